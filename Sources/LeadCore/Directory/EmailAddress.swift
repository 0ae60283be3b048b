/// An e-mail address in its canonical form: trimmed, domain lower-cased, syntax checked.
/// The check is the practical subset of RFC 5321 `Mailbox` that mail relays accept.
public struct EmailAddress: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        let trimmed = rawValue.trimmingWhitespace()
        guard trimmed.utf8.count <= 254,
              let at = trimmed.lastIndex(of: "@") else { return nil }
        let local = trimmed[..<at]
        let domain = trimmed[trimmed.index(after: at)...].lowercased()
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty else { return nil }
        guard local.utf8.allSatisfy({ Self.localAllowed[Int($0)] }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        }
        self.rawValue = "\(local)@\(domain)"
    }

    public var description: String { rawValue }

    /// Bytes allowed in the local part (RFC 5321 atext and `.`), as a lookup table.
    private static let localAllowed: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.".utf8 { table[Int(byte)] = true }
        return table
    }()
}
