import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadSessions

struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "The web console.", subcommands: [Link.self])

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a one-time login link for a rep (or 'admin').",
            discussion: """
                The link is signed with ui.session_secret_file (required: the daemon must know the same key) and works \
                once, within --ttl. Opening it shows one button; pressing it logs in. The address is ui.public_url, \
                else the console's listener (ui.listen, else http.listen), else --base-url.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A rep id, or 'admin'.") var who: String
        @Option(help: "How long the link works, e.g. 15m, 2h (at most 7d).") var ttl: String = "1h"
        @Option(name: .customLong("base-url"), help: "The console's address as people open it (overrides the configuration).")
        var baseURL: String?

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global, secrets: true)
            guard let secret = configuration.ui.sessionSecret?.value else {
                printError("ui.session_secret_file is not set: the daemon draws a random session key at start, so no link made here would work")
                throw ExitCode.failure
            }
            let actor: ConsoleActor
            if who == "admin" {
                actor = .admin
            } else {
                guard let rep = configuration.directory.reps.first(where: { $0.id == RepID(who) }) else {
                    printError("no rep \(who) in the configuration")
                    throw ExitCode.failure
                }
                guard rep.active else {
                    printError("rep \(who) is inactive")
                    throw ExitCode.failure
                }
                actor = .rep(rep.id)
            }
            let seconds: Int64
            do { seconds = try DurationText.seconds(ttl) } catch { throw ValidationError("--ttl: \(error)") }
            guard (60...7 * 86_400).contains(seconds) else { throw ValidationError("--ttl must be 1m…7d") }
            let sessions = ConsoleSessions(secret: secret, lifetime: TimeInterval(configuration.ui.sessionLifetime.components.seconds))
            let token = sessions.issueLink(actor, now: Date(), ttl: TimeInterval(seconds))
            let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? Self.base(configuration)
            print("\(base)/ui/login?link=\(token)")
        }

        static func base(_ configuration: DaemonConfiguration) -> String {
            if let url = configuration.ui.publicURL { return url }
            switch configuration.ui.listen ?? configuration.http.listen {
            case .tcp(let host, let port):
                let shown = ["0.0.0.0", "::"].contains(host) ? "127.0.0.1" : host
                return "http://" + (shown.contains(":") ? "[\(shown)]" : shown) + ":\(port)"
            case .unix:
                return "http://localhost"
            }
        }
    }
}
