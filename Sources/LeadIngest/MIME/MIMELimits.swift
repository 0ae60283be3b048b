import LeadCore
/// Caps that keep hostile or broken mail from costing more than it is worth (Postfix's
/// `header_size_limit`, `mime_nesting_limit`). Beyond any of them a message is quarantined.
public struct MIMELimits: Sendable, Equatable {
    public var maxMessageBytes: Int
    public var maxHeaderBytes: Int
    public var maxParts: Int
    public var maxDepth: Int

    public init(maxMessageBytes: Int = 10 << 20, maxHeaderBytes: Int = 256 << 10, maxParts: Int = 256, maxDepth: Int = 16) {
        self.maxMessageBytes = maxMessageBytes; self.maxHeaderBytes = maxHeaderBytes
        self.maxParts = maxParts; self.maxDepth = maxDepth
    }
}

/// Why a message could not be taken as a lead (the quarantine reason).
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case headerTooLarge(bytes: Int, limit: Int)
    case tooManyParts(limit: Int)
    case tooDeep(limit: Int)
    case empty
    case noUsableLead(String)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): "message is \(bytes) bytes, over the limit of \(limit)"
        case .headerTooLarge(let bytes, let limit): "header block is over \(limit) bytes (\(bytes) read)"
        case .tooManyParts(let limit): "more than \(limit) MIME parts"
        case .tooDeep(let limit): "MIME nesting deeper than \(limit)"
        case .empty: "empty message"
        case .noUsableLead(let why): "no usable lead: \(why)"
        }
    }
}
