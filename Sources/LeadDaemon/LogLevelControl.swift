import Logging
import Synchronization

/// The log level in force, shared by every handler so a reload can change it.
public final class LogLevelControl: Sendable {
    private let level: Mutex<Logger.Level>
    public init(_ level: Logger.Level) { self.level = Mutex(level) }
    public var current: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }
}

/// Wraps a handler so its level follows a `LogLevelControl`.
public struct ControlledLevelLogHandler<Wrapped: LogHandler>: LogHandler {
    private var wrapped: Wrapped
    private let control: LogLevelControl

    public init(_ wrapped: Wrapped, control: LogLevelControl) {
        self.wrapped = wrapped
        self.control = control
    }

    public var logLevel: Logger.Level {
        get { control.current }
        set { control.current = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        wrapped.log(level: level, message: message, metadata: metadata, source: source, file: file,
                    function: function, line: line)
    }
}
