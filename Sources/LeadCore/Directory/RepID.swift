/// A rep's configured identifier, e.g. `zhang.wei`.
public struct RepID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: RepID, rhs: RepID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A team's configured identifier, e.g. `east-china`.
public struct TeamID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: TeamID, rhs: TeamID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Identifiers are ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit,
    /// so they are safe in file names, URLs, metrics labels and journal fields.
    public static func isValidIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64 else { return false }
        func ok(_ s: Unicode.Scalar) -> Bool {
            s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s))
        }
        return ok(first) && text.unicodeScalars.allSatisfy { ok($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }
}
