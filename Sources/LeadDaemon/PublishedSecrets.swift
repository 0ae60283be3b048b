import Crypto
import Foundation
import LeadConfig
import Logging

/// Secrets anyone can read in the repository (`Config/secrets/`, the README's examples): a
/// configuration using one accepts webhooks signed by anybody. Known by their SHA-256 only; a
/// test keeps this list in step with the shipped files.
enum PublishedSecrets {
    static let digests: Set<String> = [
        "fa475bcf043c47b9277e0cc18b3a13f04756b74395fe0e88cc838cbfa9578d69",   // Config/secrets/site-form.secret
    ]

    static func isPublished(_ value: String) -> Bool {
        digests.contains(SHA256.hash(data: Array(value.utf8)).map { String(format: "%02x", $0) }.joined())
    }

    /// The configuration's secrets that are published examples, as `key (file)`.
    static func inUse(_ configuration: DaemonConfiguration) -> [String] {
        var found: [String] = []
        for webhook in configuration.webhooks {
            let secret: Secret? = switch webhook.authentication {
            case .standard(let s), .bearer(let s), .vendor(let s): s
            case .none: nil
            }
            for (key, value) in [("secret_file", secret), ("verify_token_file", webhook.verifyToken),
                                 ("page_token_file", webhook.metaDetails?.pageToken)] {
                if let value, isPublished(value.value) { found.append("webhook \(webhook.name) \(key) (\(value.source))") }
            }
        }
        if let token = configuration.http.adminToken, isPublished(token.value) { found.append("http.admin_token_file (\(token.source))") }
        return found
    }

    /// Logs `published secret in use` for each (at start and on reload).
    static func warn(_ configuration: DaemonConfiguration, logger: Logger) {
        for use in inUse(configuration) {
            logger.warning("published secret in use", metadata: ["secret": "\(use)"])
        }
    }
}
