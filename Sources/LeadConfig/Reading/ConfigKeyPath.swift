/// Where a value sits in the file, written as people read it: `team[1].supervisor`, `http.listen`.
/// Array indexes count from 0, in the order the tables appear in the file.
public struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public func appending(_ key: String) -> ConfigKeyPath { ConfigKeyPath(components + [.key(key)]) }
    public func appending(index: Int) -> ConfigKeyPath { ConfigKeyPath(components + [.index(index)]) }

    public var parent: ConfigKeyPath? {
        components.isEmpty ? nil : ConfigKeyPath(Array(components.dropLast()))
    }

    public var description: String { rendered(indexes: true) }

    /// The path with array indexes as `[]`, as the key table names keys: `rep[].mobile`.
    var pattern: String { rendered(indexes: false) }

    private func rendered(indexes: Bool) -> String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += indexes ? "[\(index)]" : "[]"
            }
        }
        return text
    }
}
