import ArgumentParser
import CBuildInfo
import LeadCore

/// `leadctl`: the admin CLI. Each verb is a thin call into LeadConfig and the store.
public struct LeadCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "leadctl",
        abstract: "Administer leadrouter: check configuration, see status, list and show leads.",
        version: LeadRouterVersion.describe(commit: String(cString: leadrouter_build_commit())),
        subcommands: [ConfigCommand.self, StatusCommand.self, LeadsCommand.self, DropCommand.self, QuarantineCommand.self, OutboxCommand.self, TemplatesCommand.self, ReportCommand.self, DemoCommand.self, WebhookCommand.self, RouteCommand.self, RulesCommand.self, CalendarCommand.self, RepsCommand.self, UICommand.self, ChannelCommand.self])

    public init() {}
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $LEADROUTER_CONFIG, else /etc/leadrouter/leadrouter.toml).")
    var config: String?
}

/// `--json` for read commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON with stable keys.")
    var json = false
}

extension LeadCtl {
    /// Parses `arguments`, runs the command, and exits with its status (argument-parser's
    /// conventions: usage errors exit 64, `ExitCode` values as thrown).
    public static func runAsRoot(_ arguments: some Sequence<String>) async -> Never {
        do {
            var command = try parseAsRoot(hoistingGlobalOptions(Array(arguments)))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit()
        } catch {
            exit(withError: error)
        }
    }
}

/// `leadctl --config FILE config check` reads naturally, but argument-parser gives options to the
/// command that declares them. Global options written before the subcommand are moved after it.
func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var rest = arguments[...]
    while let first = rest.first, first.hasPrefix("--config") {
        if first == "--config", rest.count >= 2 {
            leading += rest.prefix(2)
            rest = rest.dropFirst(2)
        } else if first.hasPrefix("--config=") {
            leading.append(first)
            rest = rest.dropFirst()
        } else {
            break
        }
    }
    guard !leading.isEmpty else { return arguments }
    if let separator = rest.firstIndex(of: "--") {
        return Array(rest[..<separator]) + leading + Array(rest[separator...])
    }
    return Array(rest) + leading
}
