import CSystemd
import Glibc
import Logging

/// A swift-log handler that writes structured entries to journald with `sd_journal_sendv`.
public struct JournaldLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    /// The socket journald listens on; its presence decides `log.target = "auto"`.
    public static let socketPath = "/run/systemd/journal/socket"

    public static var isJournalAvailable: Bool { access(socketPath, W_OK) == 0 }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(explicit ?? [:]) { _, new in new }
        let fields = JournalFields.fields(label: label, level: level, message: message.description, metadata: merged)
        // One iovec per field, on C copies that live until sd_journal_sendv returns.
        // (Values with embedded newlines are fine: journald's native protocol takes them.)
        let copies = fields.map { strdup("\($0.name)=\($0.value)") }
        defer { copies.forEach { free($0) } }
        var vectors = copies.map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: $0.map { strlen($0) } ?? 0) }
        _ = sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}
