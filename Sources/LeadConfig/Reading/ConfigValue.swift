import TOMLKit

/// A TOML document as plain Sendable values, so decoding does not depend on TOMLKit's classes.
indirect enum ConfigValue: Equatable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])
    /// Dates and times: kept as text; no key takes them yet.
    case other(kind: String, text: String)

    /// "a string", "an integer", ...: for "expected X, got Y" messages.
    var kindDescription: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number with a fraction"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .other(let kind, _): "a \(kind)"
        }
    }

    init(_ node: any TOMLValueConvertible) {
        switch node.type {
        case .table:
            var values: [String: ConfigValue] = [:]
            if let table = node.table {
                for (key, value) in table { values[key] = ConfigValue(value) }
            }
            self = .table(values)
        case .array:
            self = .array((node.array.map { Array($0) } ?? []).map { ConfigValue($0) })
        case .string: self = .string(node.string ?? "")
        case .int: self = .int(node.int ?? 0)
        case .double: self = .double(node.double ?? 0)
        case .bool: self = .bool(node.bool ?? false)
        case .date: self = .other(kind: "date", text: node.debugDescription)
        case .time: self = .other(kind: "time", text: node.debugDescription)
        case .dateTime: self = .other(kind: "date-time", text: node.debugDescription)
        }
    }
}
