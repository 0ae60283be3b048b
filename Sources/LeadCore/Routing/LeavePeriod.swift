import Foundation

/// A leave, in whole local days, both ends included (`"2026-12-01..2026-12-05"`).
public struct LeavePeriod: Hashable, Sendable {
    public var first: DateComponents
    public var last: DateComponents

    public init(first: DateComponents, last: DateComponents) { self.first = first; self.last = last }

    public static func parse(_ text: String) -> LeavePeriod? {
        let ends = text.components(separatedBy: "..").map { $0.trimmingWhitespace() }
        guard (1...2).contains(ends.count), let first = day(ends[0]), let last = day(ends.count == 2 ? ends[1] : ends[0]),
              key(first) <= key(last) else { return nil }
        return LeavePeriod(first: first, last: last)
    }

    static func day(_ text: String) -> DateComponents? {
        let p = text.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]) else { return nil }
        return DateComponents(year: p[0], month: p[1], day: p[2])
    }

    static func key(_ c: DateComponents) -> Int { (c.year ?? 0) * 10_000 + (c.month ?? 0) * 100 + (c.day ?? 0) }

    public func contains(localDay: DateComponents) -> Bool {
        let k = Self.key(localDay)
        return k >= Self.key(first) && k <= Self.key(last)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d..%04d-%02d-%02d", first.year ?? 0, first.month ?? 0, first.day ?? 0,
               last.year ?? 0, last.month ?? 0, last.day ?? 0)
    }
}
