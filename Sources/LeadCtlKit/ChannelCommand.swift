import ArgumentParser
import Foundation
import LeadChannels
import LeadConfig
import LeadCore
import LeadMail

struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel", abstract: "Group robots and outbound webhooks ([[channel]]).", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message to a channel and print the vendor's answer.",
            discussion: "Exit status 0 when the vendor accepted it. The channel's URL (a credential) is never printed, only its host.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The channel's name.") var name: String
        @Option(help: "The message text (default: a test message naming the time).") var text: String?
        @Option(name: .customLong("mention"), help: "A mobile number (E.164) to @-mention; repeatable.") var mentions: [String] = []

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global, secrets: true)
            guard let channel = configuration.channels.first(where: { $0.name == name }) else {
                printError("no channel \(name) in the configuration" + (configuration.channels.isEmpty ? "" : " (have: \(configuration.channels.map(\.name).joined(separator: ", ")))"))
                throw ExitCode.failure
            }
            let now = Date()
            let message = ChannelMessage(title: "leadrouter 测试消息 test message",
                                         text: text ?? "来自 leadctl 的测试消息，\(RFC3339Text.string(now)) A test message from leadctl.",
                                         mentions: mentions)
            let endpoint = ChannelEndpoint(name: channel.name, kind: channel.kind, url: channel.url.value, secret: channel.secret?.value,
                                           format: channel.format)
            let request = RobotEncoder.request(message, to: endpoint, now: now)
            guard let transport = HTTPTransport() else {
                printError("curl_easy_init failed")
                throw ExitCode.failure
            }
            let response = transport.post(request.url, headers: request.headers, body: request.body, caFile: channel.caFile?.path,
                                          timeoutSeconds: Int(channel.timeout.components.seconds))
            let host = URL(string: request.url)?.host ?? "?"
            let answer = ChannelAnswers.classify(ChannelAnswers.Exchange(status: response.status, retryAfter: response.retryAfter,
                                                                         body: response.body, transportError: response.transportError),
                                                 kind: channel.kind, now: Date())
            if let error = response.transportError {
                print("\(channel.kind.rawValue) \(host): no answer: \(error)")
            } else {
                print("\(channel.kind.rawValue) \(host): HTTP \(response.status) \(TerminalSafe.text(String(decoding: response.body.prefix(2_000), as: UTF8.self)))")
            }
            switch answer {
            case .sent:
                print("sent")
            case .retry(let after, let reason):
                print("not sent, would be retried" + (after.map { " after \(Int($0)) s" } ?? "") + ": \(reason)")
                throw ExitCode.failure
            case .dead(let reason):
                print("refused, would not be retried: \(reason)")
                throw ExitCode.failure
            }
        }
    }
}
