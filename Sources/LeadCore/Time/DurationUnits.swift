/// `Duration` in the integer units the system interfaces want (seconds for SQL, milliseconds for
/// poll(2) and libcurl, microseconds for sd_notify's WATCHDOG_USEC, nanoseconds for NIO and
/// metrics): the one place these conversions are written. Fractions below the unit are dropped.
extension Duration {
    public var wholeSeconds: Int64 { components.seconds }
    public var milliseconds: Int64 { components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000 }
    public var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
    public var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
