import Foundation
import LeadCore
import Mustache

/// Mail templates (`[mail] templates`): one file per notice kind and language,
/// `KIND.LANG.mustache` with the kind's dots as underscores (`sla_supervisor.zh.mustache`). The
/// first line is `Subject: …`, then a blank line, then the body; both are Mustache (plain text: no
/// HTML escaping). Every file is checked when loaded: a name, tag or variable the kind does not have
/// is an error with the file and line. A kind without a file keeps the built-in text.
///
/// Group robots (`[[channel]]` wecom, dingtalk, feishu) have their own files beside them,
/// `KIND.LANG.md.mustache`: the first line is `Title: …` (DingTalk's and Feishu's message title,
/// the notification's preview), then a blank line, then a Markdown body (sent as is to a `text`
/// channel). Same variables and checks; a kind without one keeps the robot's built-in text.
public struct TemplateLibrary: Sendable, Equatable {
    public static func == (a: TemplateLibrary, b: TemplateLibrary) -> Bool {
        a.sources == b.sources && a.defaultLanguage == b.defaultLanguage
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    struct Entry: Sendable {
        var subject: MustacheTemplate
        var body: MustacheTemplate
    }

    private let entries: [String: Entry]
    /// The template texts by file name (what equality compares).
    private let sources: [String: String]
    public let defaultLanguage: String

    /// The (kind, language) pairs present.
    public let available: Set<String>

    public static func load(directory: URL, defaultLanguage: String) throws(LoadError) -> TemplateLibrary {
        var problems: [Problem] = []
        var entries: [String: Entry] = [:]
        var sources: [String: String] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        if !FileManager.default.fileExists(atPath: directory.path) {
            throw LoadError(problems: [Problem(file: directory.path, line: 0, message: "no such template directory")])
        }
        for name in names where name.hasSuffix(".mustache") {
            let path = directory.appendingPathComponent(name).path
            let parts = name.dropLast(".mustache".count).split(separator: ".")
            guard parts.count == 2 || parts.count == 3 && parts[2] == "md" else {
                problems.append(Problem(file: path, line: 0, message: "a template is named KIND.LANG.mustache (mail) or KIND.LANG.md.mustache "
                                            + "(group robots), e.g. sla_supervisor.zh.mustache"))
                continue
            }
            let robot = parts.count == 3
            let fileKinds = Dictionary(uniqueKeysWithValues: NoticeVariables.kinds.map { ($0.replacingOccurrences(of: ".", with: "_"), $0) })
            let language = String(parts[1])
            guard let kind = fileKinds[String(parts[0])] else {
                let known = NoticeVariables.kinds.map { $0.replacingOccurrences(of: ".", with: "_") }.joined(separator: ", ")
                problems.append(Problem(file: path, line: 0, message: "\"\(parts[0])\" is not a notice kind (\(known))"))
                continue
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                problems.append(Problem(file: path, line: 0, message: "not readable UTF-8 text"))
                continue
            }
            sources[name] = text
            switch parse(text, kind: kind, file: path, header: robot ? "Title:" : "Subject:") {
            case .success(let entry): entries[Self.key(kind, language, robot: robot)] = entry
            case .failure(let found): problems += found.problems
            }
        }
        guard problems.isEmpty else { throw LoadError(problems: problems) }
        return TemplateLibrary(entries: entries, sources: sources, defaultLanguage: defaultLanguage, available: Set(entries.keys))
    }

    static func key(_ kind: String, _ language: String, robot: Bool) -> String { "\(kind)|\(language)" + (robot ? "|md" : "") }

    /// `header`: "Subject:" (mail) or "Title:" (robots).
    static func parse(_ text: String, kind: String, file: String, header: String = "Subject:") -> Result<Entry, LoadError> {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        guard let first = lines.first, first.hasPrefix(header) else {
            return .failure(LoadError(problems: [Problem(file: file, line: 1, message: "the first line must be \"\(header) …\"")]))
        }
        guard lines.count >= 2, lines[1].trimmingCharacters(in: .whitespaces).isEmpty else {
            let what = header.dropLast().lowercased()
            return .failure(LoadError(problems: [Problem(file: file, line: 2, message: "a blank line must follow the \(what)")]))
        }
        let subject = String(first.dropFirst(header.count)).trimmingCharacters(in: .whitespaces)
        let body = lines.dropFirst(2).joined(separator: "\n")
        var problems = checkTags(subject, kind: kind, file: file, firstLine: 1) + checkTags(body, kind: kind, file: file, firstLine: 3)
        var compiled: (MustacheTemplate, MustacheTemplate)? = nil
        do {
            compiled = (try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + subject),
                        try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + body))
        } catch {
            problems.append(Problem(file: file, line: 1, message: "not a valid Mustache template: \(error)"))
        }
        guard problems.isEmpty, let (s, b) = compiled else { return .failure(LoadError(problems: problems)) }
        return .success(Entry(subject: s, body: b))
    }

    /// Every tag names something the kind provides; sections over `items` see the item fields.
    static func checkTags(_ text: String, kind: String, file: String, firstLine: Int) -> [Problem] {
        let allowed = NoticeVariables.allowed(for: kind)
        let pattern = try! NSRegularExpression(pattern: #"\{\{(\{?)\s*([#^/&!>%]?)\s*([^}]*?)\s*\}?\}\}"#)
        var problems: [Problem] = []
        var scopes: [String] = []
        let ns = text as NSString
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let sigil = ns.substring(with: match.range(at: 2))
            let name = ns.substring(with: match.range(at: 3))
            let line = firstLine + ns.substring(to: match.range.location).filter { $0 == "\n" }.count
            switch sigil {
            case "!": continue
            case ">", "%": problems.append(Problem(file: file, line: line, message: "partials and pragmas are not supported ({{\(sigil)\(name)}})"))
            case "/":
                if scopes.last == name { scopes.removeLast() }
            default:
                let root = String(name.split(separator: ".").first ?? "")
                let visible = scopes.compactMap(NoticeVariables.itemFields(of:)).reduce(allowed) { $0.union($1) }
                let known = visible.contains(root) || root.isEmpty && name == "."
                if !known {
                    let names = visible.sorted().joined(separator: ", ")
                    problems.append(Problem(file: file, line: line, message: "unknown variable \"\(name)\" for \(kind) (known: \(names))"))
                }
                if sigil == "#" || sigil == "^" { scopes.append(name) }
            }
        }
        return problems
    }

    /// Subject and body for a notice (`robot`: title and Markdown body for a group robot), or nil
    /// when no template covers its kind (built-in text).
    public func render(kind: String, language: String?, variables: [String: TemplateValue], robot: Bool = false) -> (subject: String, body: String)? {
        let entry = language.flatMap { entries[Self.key(kind, $0, robot: robot)] } ?? entries[Self.key(kind, defaultLanguage, robot: robot)]
        guard let entry else { return nil }
        let object = variables.mapValues(\.renderable)
        let subject = entry.subject.render(object).replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return (subject, entry.body.render(object))
    }
}
