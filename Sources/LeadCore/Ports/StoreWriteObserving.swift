/// Told of every write transaction a store commits on its single writer: how long the change
/// waited for the writer (behind other transactions) and how long it held it, commit included.
/// The daemon turns these into metrics and a warning for a slow one; a store without a single
/// writer (PostgreSQL) does not report.
public protocol StoreWriteObserving: Sendable {
    func storeWrite(_ operation: String, waited: Duration, held: Duration)
}
