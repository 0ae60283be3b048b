import Foundation
import LeadConfig
import LeadCore
import LeadIngest

/// The parsers that take bytes from strangers, each as one function of the bytes for libFuzzer
/// (`leadfuzz`, built by `scripts/fuzz`) and for the regression fixtures the tests replay.
/// A target may throw the parser's own errors (refusing input is its job); it must not crash,
/// hang or read out of bounds.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A mail-drop file: MIME structure, charsets, encoded words, HTML, field extraction.
    case mime
    /// A webhook request: first line the Content-Type, the rest the body; every decoder and
    /// every signature scheme reads it.
    case webhook
    /// A configuration file: TOML syntax and every section's validation.
    case config

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .mime: MIMEFuzz.run(bytes)
        case .webhook: WebhookFuzz.run(bytes)
        case .config: ConfigFuzz.run(bytes)
        }
    }

    /// Fixed instant: a target's behaviour depends on its input only.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
}
