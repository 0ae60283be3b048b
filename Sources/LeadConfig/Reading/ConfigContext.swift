import Foundation

/// State of one load: where the file is, the environment it resolves secrets from, and the issues
/// found so far. Lives only for the duration of `ConfigLoader.load`.
final class ConfigContext {
    let displayPath: String
    let baseDirectory: URL
    let environment: [String: String]
    /// False for `leadctl`'s commands that need no secret: a `*_file` key is checked for presence
    /// only, so they work as a user who may not read the secrets (or outside the unit's
    /// `$CREDENTIALS_DIRECTORY`).
    var readsSecrets = true
    /// Set by `ConfigLoader.keyTable`: every key the readers ask for is noted.
    var recorder: ConfigKeyRecorder?
    private let locator: KeyLocator
    private(set) var issues: [ConfigIssue] = []

    init(displayPath: String, baseDirectory: URL, environment: [String: String], text: String) {
        self.displayPath = displayPath
        self.baseDirectory = baseDirectory
        self.environment = environment
        self.locator = KeyLocator(text: text)
    }

    func report(_ path: ConfigKeyPath, _ message: String) {
        issues.append(ConfigIssue(file: displayPath, line: locator.line(for: path),
                                  keyPath: path.description, message: message))
    }

    /// Takes the issues of an included file's context.
    func absorb(_ other: ConfigContext) { issues += other.issues }

    /// A problem in another file read for this configuration (a template).
    func report(file: String, line: Int?, _ message: String) {
        issues.append(ConfigIssue(file: file, line: line, keyPath: "", message: message))
    }

    func report(line: Int?, _ message: String) {
        issues.append(ConfigIssue(file: displayPath, line: line, keyPath: "", message: message))
    }

    /// A path from the file, resolved against the file's own folder when relative.
    func resolvePath(_ text: String, isDirectory: Bool = false) -> URL {
        let joined = text.hasPrefix("/") ? text : baseDirectory.path + "/" + text
        return URL(fileURLWithPath: (joined as NSString).standardizingPath, isDirectory: isDirectory)
    }

    var sortedIssues: [ConfigIssue] {
        issues.enumerated().sorted { a, b in
            switch (a.element.line, b.element.line) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}
