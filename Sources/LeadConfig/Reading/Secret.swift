import Foundation

/// A secret read from a file at load time. Never printed: its description is a placeholder.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// Where it was read from (safe to show).
    public let source: String

    /// False for a placeholder: the file was not read (leadctl commands that need no secret).
    public let isRead: Bool

    public init(value: String, source: String, isRead: Bool = true) { self.value = value; self.source = source; self.isRead = isRead }

    public var description: String { "<secret from \(source)>" }
    public var debugDescription: String { description }
}

extension TableReader {
    /// A `*_file` key naming a secret. A bare name (no `/`) is looked up in `$CREDENTIALS_DIRECTORY`
    /// (systemd `LoadCredential=`) when that is set, else beside the config file; a path is relative
    /// to the config file's folder. The file's content, without its trailing newline, is the secret.
    func secretFile(_ key: String, required: Bool = false) -> Secret? {
        guard let name = text(key, required: required) else { return nil }
        guard context.readsSecrets else { return Secret(value: "", source: "\(name) (not read)", isRead: false) }
        let url: URL
        if !name.contains("/"), let credentials = context.environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            url = URL(fileURLWithPath: credentials).appendingPathComponent(name)
        } else {
            url = context.resolvePath(name)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            report(key, "cannot read secret file \(url.path)")
            return nil
        }
        guard let content = String(data: data, encoding: .utf8) else {
            report(key, "secret file \(url.path) is not UTF-8 text")
            return nil
        }
        var value = Substring(content)
        while value.last == "\n" || value.last == "\r" { value = value.dropLast() }
        guard !value.isEmpty else {
            report(key, "secret file \(url.path) is empty")
            return nil
        }
        return Secret(value: String(value), source: url.path)
    }
}
