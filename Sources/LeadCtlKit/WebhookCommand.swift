import ArgumentParser
import Crypto
import Foundation
import LeadConfig

/// `leadctl webhook sign`: the Standard Webhooks headers for a body, to test an endpoint with curl.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Help for testing webhook endpoints.", subcommands: [Sign.self])

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print curl -H arguments that sign FILE for a json/form webhook with auth = \"standard\".")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The [[webhook]] name.") var webhook: String
        @Option(help: "The event id (default: a new one).") var id: String?
        @Argument(help: "The body file.") var file: String

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global, secrets: true)
            guard let endpoint = configuration.webhooks.first(where: { $0.name == webhook }),
                  case .standard(let secret) = endpoint.authentication else {
                printError("no [[webhook]] \"\(webhook)\" with auth = \"standard\"")
                throw ExitCode.failure
            }
            let body = try Data(contentsOf: URL(fileURLWithPath: file))
            let eventID = id ?? "msg_\(UUID().uuidString.lowercased())"
            let timestamp = String(Int(Date().timeIntervalSince1970))
            var key = Array(secret.value.utf8)
            if secret.value.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(secret.value.dropFirst(6))) { key = Array(decoded) }
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(eventID).\(timestamp).".utf8) + Array(body), using: SymmetricKey(data: key))
            print("-H 'webhook-id: \(eventID)' -H 'webhook-timestamp: \(timestamp)' -H 'webhook-signature: v1,\(Data(mac).base64EncodedString())'")
        }
    }
}
