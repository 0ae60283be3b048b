import Foundation

/// `[state]`
/// - `state.directory` (path, default: `/var/lib/leadrouter`): where the database and spool live.
///   Relative to the config file's folder when relative.
public struct StateConfiguration: Sendable, Equatable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The SQLite database file.
    public var databaseFile: URL { directory.appendingPathComponent("leadrouter.sqlite") }

    static func decode(_ table: TableReader) -> StateConfiguration {
        defer { table.finish() }
        let directory = table.text("directory").map { table.context.resolvePath($0, isDirectory: true) }
            ?? URL(fileURLWithPath: "/var/lib/leadrouter", isDirectory: true)
        return StateConfiguration(directory: directory)
    }
}
