import Foundation
import LeadConfig

enum ConfigFuzz {
    /// No environment (no `${VAR}` from the fuzzing machine) and a directory that does not exist,
    /// so files the text names (secrets, calendars, templates) fail to read the same way each run.
    static let loader = ConfigLoader(environment: [:])
    static let file = URL(fileURLWithPath: "/nonexistent/leadfuzz/leadrouter.toml")

    static func run(_ bytes: [UInt8]) {
        _ = try? loader.decode(text: String(decoding: bytes, as: UTF8.self), file: file)
    }
}
