import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

/// `leadctl rules simulate`: replays stored leads through the current configuration and, with
/// `--with-config`, a new one; prints per-team and per-rep counts under both and how many leads
/// would move. Writes nothing. Each replay starts from an empty rotation and counts its own
/// assignments for caps, at each lead's arrival time.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Try routing rules on stored leads.", subcommands: [Simulate.self])

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replay stored leads through the rules, writing nothing.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only leads received on or after this date (YYYY-MM-DD, UTC).") var since: String?
        @Option(name: .customLong("with-config"), help: "A new configuration to compare with the current one.") var withConfig: String?
        @Option(help: "At most this many leads, newest first.") var limit: Int = 100_000

        func run() async throws {
            let (current, _) = try loadConfiguration(global)
            var candidate: DaemonConfiguration? = nil
            if let withConfig {
                do { candidate = try ConfigLoader().load(path: withConfig) } catch {
                    printError(error.description)
                    throw ExitCode(78)
                }
            }
            let before = try requireRouting(current)
            let after = candidate.map { $0.routingEngine } ?? nil
            if candidate != nil, after == nil { printError("no [routing] in \(withConfig!)"); throw ExitCode.failure }
            var cutoff: Date? = nil
            if let since {
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd"
                formatter.timeZone = TimeZone(identifier: "UTC")
                guard let date = formatter.date(from: since) else { throw ValidationError("--since '\(since)' is not YYYY-MM-DD") }
                cutoff = date
            }
            let store = try await openStore(current)
            let leads = try await store.leads(LeadQuery(limit: limit))
                .filter { cutoff == nil || $0.draft.receivedAt >= cutoff! }
                .sorted { $0.id < $1.id }
            let first = RuleSimulation.replay(leads.map(\.draft), engine: before)
            let second = after.map { RuleSimulation.replay(leads.map(\.draft), engine: $0) }
            let moved = second.map { s in zip(first.targets, s.targets).filter { $0 != $1 }.count } ?? 0
            if output.json {
                var object: [String: Any] = ["leads": leads.count, "current": first.json]
                if let second { object["new"] = second.json; object["moved"] = moved }
                try printJSON(object)
            } else {
                print(RuleSimulation.text(leads: leads.count, current: first, new: second, moved: moved))
            }
        }
    }
}

/// A replay's result.
struct RuleSimulation {
    var targets: [String]              // per lead: rep id, or "held"
    var teams: [String: Int]
    var reps: [String: Int]
    var held: Int

    static func replay(_ drafts: [LeadDraft], engine: RoutingEngine) -> RuleSimulation {
        var states: [TeamID: TeamState] = [:]
        var assigned: [RepID: [Date]] = [:]
        var result = RuleSimulation(targets: [], teams: [:], reps: [:], held: 0)
        for draft in drafts {
            let now = draft.receivedAt
            let decision = engine.route(draft, state: { states[$0] ?? TeamState() }, load: { rep in
                let (day, week) = engine.capWindows(for: rep, now: now)
                let times = assigned[rep] ?? []
                return RepLoad(open: times.count, today: times.filter { $0 >= day }.count, thisWeek: times.filter { $0 >= week }.count)
            }, now: now)
            if let (team, state) = decision.newState { states[team] = state }
            if let rep = decision.rep {
                assigned[rep, default: []].append(now)
                result.targets.append(rep.rawValue)
                result.reps[rep.rawValue, default: 0] += 1
                result.teams[decision.team?.rawValue ?? "(rep rule)", default: 0] += 1
            } else {
                result.targets.append("held")
                result.held += 1
            }
        }
        return result
    }

    var json: [String: Any] { ["teams": teams, "reps": reps, "held": held] }

    static func text(leads: Int, current: RuleSimulation, new: RuleSimulation?, moved: Int) -> String {
        var lines = ["\(leads) leads replayed"]
        func section(_ title: String, _ a: [String: Int], _ b: [String: Int]?) {
            var table = TextTable(new == nil ? [title, "CURRENT"] : [title, "CURRENT", "NEW"])
            for key in Set(a.keys).union(b?.keys ?? [:].keys).sorted() {
                table.add([key, String(a[key] ?? 0)] + (b.map { [String($0[key] ?? 0)] } ?? []))
            }
            lines.append(table.render())
        }
        section("TEAM", current.teams, new?.teams)
        section("REP", current.reps, new?.reps)
        lines.append("held: \(current.held)" + (new.map { " -> \($0.held)" } ?? ""))
        if new != nil { lines.append("leads that would move: \(moved)") }
        return lines.joined(separator: "\n")
    }
}
