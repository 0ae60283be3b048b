import Foundation

/// One key of the configuration file as the loader reads it: where it sits (`http.listen`,
/// `rep[].mobile`, `rule[].*` for keys that are data), what the loader expects there, its default
/// and whether it is required. `leadctl config keys` prints the table and leadrouter.toml(5) is
/// made from it, so the reference names what the loader reads.
public struct ConfigKeyInfo: Hashable, Sendable {
    public var key: String
    public var type: String
    public var defaultValue: String?
    public var required: Bool
}

/// Collects `ConfigKeyInfo` while a load reads the file (`ConfigLoader.keyTable`).
final class ConfigKeyRecorder {
    private(set) var keys: [String: ConfigKeyInfo] = [:]

    func asked(_ key: String, required: Bool) {
        keys[key, default: ConfigKeyInfo(key: key, type: "", defaultValue: nil, required: false)].required = keys[key]?.required == true || required
    }

    /// What is known about the value: the reader's `expected` text (kept when a more precise one
    /// came first) and its default.
    func describe(_ key: String, type: String, defaultValue: String? = nil, precise: Bool) {
        guard var info = keys[key] else { return }
        if precise || info.type.isEmpty { info.type = type }
        if let defaultValue { info.defaultValue = defaultValue }
        keys[key] = info
    }
}

extension ConfigLoader {
    /// Every key the loader reads for the file at `path`, sorted, with the problems the file has
    /// (the table is whole even for a file with problems).
    public func keyTable(path: String) -> (keys: [ConfigKeyInfo], issues: [ConfigIssue]) {
        let recorder = ConfigKeyRecorder()
        do {
            _ = try load(path: path, recorder: recorder)
            return (recorder.keys.values.sorted { $0.key < $1.key }, [])
        } catch {
            return (recorder.keys.values.sorted { $0.key < $1.key }, error.issues)
        }
    }
}
