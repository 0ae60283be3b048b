/// The store-assigned identity of a lead. Shown to people as its decimal number.
public struct LeadID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }

    /// Parses what a person types: `42` or `L42`.
    public init?(parsing text: String) {
        var digits = Substring(text.trimmingWhitespace())
        if digits.first == "L" || digits.first == "l" { digits = digits.dropFirst() }
        guard let value = Int64(digits), value > 0 else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }
    public static func < (lhs: LeadID, rhs: LeadID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension StringProtocol {
    /// Trims spaces, tabs and newlines (including the ideographic space U+3000 common in Chinese input).
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
