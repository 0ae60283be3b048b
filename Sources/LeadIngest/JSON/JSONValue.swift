/// JSON as parsed by `JSONParser`: numbers are kept as their literal text, so ids above 2^53
/// (Meta's leadgen ids, Tanmarket's `noise`) survive exactly.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(a), .array(b)): a == b
        case let (.string(a), .string(b)), let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// Text of a string, number or boolean (numbers exactly as written).
    public var text: String? {
        switch self {
        case .string(let s), .number(let s): s
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// Follows a path such as `contact.name`, `$.answers[0].email` or `data.phones[1]`.
    public func value(at path: String) -> JSONValue? {
        var current: JSONValue? = self
        var trimmed = Substring(path)
        if trimmed.hasPrefix("$") { trimmed = trimmed.dropFirst() }
        for rawPart in trimmed.split(separator: ".", omittingEmptySubsequences: true) {
            var part = rawPart
            var indexes: [Int] = []
            while let open = part.lastIndex(of: "["), part.hasSuffix("]"), let index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]) {
                indexes.insert(index, at: 0)
                part = part[..<open]
            }
            if !part.isEmpty { current = current?[String(part)] }
            for index in indexes {
                guard let array = current?.arrayValue, array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
