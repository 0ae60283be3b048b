import Foundation
import Logging

/// The fallback when there is no journal: one line per entry on stderr, `<N>` priority prefix
/// (sd-daemon.h, so systemd still sees the level when stderr is a journal stream), the fixed
/// phrase, then logfmt metadata.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(explicit ?? [:]) { _, new in new }
        write(Self.format(level: level, message: message.description, metadata: merged) + "\n")
    }

    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let redact = level >= .info
        var line = "<\(JournalFields.priority(level))>\(redact ? LogRedactor.redact(message) : message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let rendered = JournalFields.render(value)
            line += " \(key)=\(quote(redact ? LogRedactor.redact(rendered) : rendered))"
        }
        return line
    }

    private static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
