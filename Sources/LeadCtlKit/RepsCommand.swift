import ArgumentParser
import Foundation
import LeadConfig
import LeadCore

struct RepsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reps", abstract: "Act on reps' leads.", subcommands: [Handover.self])

    struct Handover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand all of a rep's open leads over (the rep leaves or goes on long leave).",
            discussion: """
                Without --to each lead goes to the next eligible rep of its own team by the team's strategy; --to TEAM \
                spreads them over that team, --to REP gives them all to one rep (rep:ID or team:ID when an id is both). \
                Caps, leave and shifts are respected unless --force (which lifts the caps; for a named rep, every check). \
                Each move is an audited reassignment: clocks restart for the new owner, who is told by mail. \
                A lead nobody may take stays with the rep and is listed. --dry-run shows the same decisions without \
                writing anything.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The leaving rep's id.") var rep: String
        @Option(help: "A rep or team to hand everything to (default: each lead's own team).") var to: String?
        @Option(help: "Why (kept in the audit of every move).") var reason: String
        @Flag(name: .customLong("dry-run"), help: "Show who would get what; change nothing.") var dryRun = false
        @Flag(help: "Fill reps past their caps (a named rep: also on leave or off shift).") var force = false

        func validate() throws {
            guard !reason.trimmingWhitespace().isEmpty else { throw ValidationError("--reason must not be empty") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let engine = try requireRouting(configuration)
            guard engine.reps[RepID(rep)] != nil else {
                printError(HandoverError.unknownRep(RepID(rep)).description)
                throw ExitCode.failure
            }
            let target: HandoverTarget
            switch HandoverTarget.parse(to, engine: engine) {
            case .success(.rep(let same)) where same == RepID(rep):
                printError(HandoverError.toSelf(same).description)
                throw ExitCode.failure
            case .success(let parsed): target = parsed
            case .failure(let error):
                printError(error.description)
                throw ExitCode.failure
            }
            let store = try await openWritableStore(configuration)
            let plan = try await store.handover(RepID(rep), to: target, reason: reason, force: force, dryRun: dryRun,
                                                decider: AssignmentDecider(engine), at: Date())
            if output.json {
                print(plan.json)
                return
            }
            var table = TextTable(["LEAD", "NAME", "STATUS", "TO", "TEAM"])
            for move in plan.moves {
                table.add([move.lead.description, TerminalSafe.text(move.name ?? "-"), move.status, move.to?.rawValue ?? "(stays)",
                           move.team?.rawValue ?? move.stays ?? "-"])
            }
            print(table.render())
            let spread = plan.spread.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            print((dryRun ? "would move" : "moved") + " \(plan.moved) of \(plan.moves.count) open leads of \(rep)"
                  + (spread.isEmpty ? "" : " (\(spread))") + (plan.stayed > 0 ? "; \(plan.stayed) stay: nobody eligible" : ""))
        }
    }
}
