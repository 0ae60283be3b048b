/// One background checkpoint of a write-ahead log (SQLite's, run by the daemon on a connection
/// of its own): the log's pages, and how many of them are now in the database file. A value
/// here so the daemon reports it without knowing the store behind the port.
public struct WALCheckpoint: Sendable, Equatable {
    public var walFrames: Int
    public var copiedFrames: Int

    public init(walFrames: Int, copiedFrames: Int) {
        self.walFrames = walFrames
        self.copiedFrames = copiedFrames
    }
}
