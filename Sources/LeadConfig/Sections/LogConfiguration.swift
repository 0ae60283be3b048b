/// `[log]`
/// - `log.level` (`"trace"` … `"critical"`, default `"info"`): the lowest level written.
/// - `log.target` (`"auto"` | `"journal"` | `"stderr"`, default `"auto"`): `auto` writes structured
///   entries to journald when its socket exists, else to stderr with `<N>` priority prefixes.
public struct LogConfiguration: Sendable, Equatable {
    public enum Level: String, Sendable, CaseIterable { case trace, debug, info, notice, warning, error, critical }
    public enum Target: String, Sendable, CaseIterable { case auto, journal, stderr }

    public var level: Level
    public var target: Target

    public init(level: Level = .info, target: Target = .auto) { self.level = level; self.target = target }

    static func decode(_ table: TableReader) -> LogConfiguration {
        defer { table.finish() }
        return LogConfiguration(level: table.choice("level", default: .info),
                                target: table.choice("target", default: .auto))
    }
}
