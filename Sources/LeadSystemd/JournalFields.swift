import Logging

/// Turns swift-log events into journald fields: `MESSAGE` is the fixed phrase, `PRIORITY` comes
/// from the level, metadata keys become UPPERCASE field names (`lead.id` → `LEAD_ID`), and known
/// phrases get their `MESSAGE_ID` from `LogCatalog`.
public enum JournalFields {
    public static let identifier = "leadrouterd"

    /// syslog priorities (sd-daemon.h): 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// journald keeps only `[A-Z0-9_]` names that do not start with `_` or a digit, up to 64 bytes.
    public static func fieldName(_ key: String) -> String {
        var name = String(key.uppercased().unicodeScalars.map { scalar -> Character in
            (("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        })
        while name.hasPrefix("_") { name.removeFirst() }
        if name.isEmpty { name = "FIELD" }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "F_" + name }
        return String(name.prefix(64))
    }

    /// Fields reserved for the handler itself; metadata may not overwrite them.
    static let reserved: Set<String> = ["MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER", "LOGGER"]

    public static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): items.map(render).joined(separator: ",")
        case .dictionary(let dict): dict.sorted { $0.key < $1.key }.map { "\($0.key)=\(render($0.value))" }.joined(separator: ",")
        }
    }

    /// The fields of one entry, in a stable order.
    public static func fields(label: String, level: Logger.Level, message: String,
                              metadata: Logger.Metadata) -> [(name: String, value: String)] {
        let redact = level >= .info
        let text = redact ? LogRedactor.redact(message) : message
        var fields: [(String, String)] = [
            ("MESSAGE", text),
            ("PRIORITY", String(priority(level))),
            ("SYSLOG_IDENTIFIER", identifier),
            ("LOGGER", label),
        ]
        if let id = LogCatalog.messageID(for: message) { fields.append(("MESSAGE_ID", id)) }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = fieldName(key)
            guard !reserved.contains(name) else { continue }
            let rendered = render(value)
            fields.append((name, redact ? LogRedactor.redact(rendered) : rendered))
        }
        return fields
    }
}
