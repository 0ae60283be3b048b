/// `[maildrop] notifier_addresses`: the addresses form services send their notifications from.
/// Such an address is never a lead's e-mail. Each pattern is an address (`notify@jinshuju.net`)
/// or a whole domain (`@wjx.cn` or `*@wjx.cn`); matching ignores case.
public struct NotifierAddresses: Sendable, Equatable {
    public private(set) var addresses: Set<String> = []
    public private(set) var domains: Set<String> = []

    public init(_ patterns: [String] = []) {
        for pattern in patterns.map({ $0.trimmingWhitespace().lowercased() }) where !pattern.isEmpty {
            if pattern.hasPrefix("*@") { domains.insert(String(pattern.dropFirst(2))) }
            else if pattern.hasPrefix("@") { domains.insert(String(pattern.dropFirst())) }
            else { addresses.insert(pattern) }
        }
    }

    public func contains(_ address: String) -> Bool {
        let a = address.lowercased()
        if addresses.contains(a) { return true }
        guard let at = a.lastIndex(of: "@") else { return false }
        return domains.contains(String(a[a.index(after: at)...]))
    }
}
