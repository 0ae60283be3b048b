import Logging
import Synchronization

/// Records log entries for assertions (swift-log handler).
public final class LogRecorder: Sendable {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])
    public init() {}

    public var entries: [Entry] { storage.withLock { $0 } }

    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in InMemoryLogHandler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }
}

public struct InMemoryLogHandler: LogHandler {
    let recorder: LogRecorder
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        recorder.append(.init(level: level, message: message.description,
                              metadata: merged.mapValues { "\($0)" }))
    }
}
