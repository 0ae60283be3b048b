import Foundation

/// Stores that remember used one-time login links, so a link logs in once on any node.
public protocol ConsoleLinkRedeeming: Sendable {
    /// True the first time `nonce` is redeemed; false ever after (until `expires` has passed and
    /// the row is swept, when the link's own expiry refuses it anyway).
    func redeemLink(nonce: String, actor: String, expires: Date, at now: Date) async throws -> Bool
}
