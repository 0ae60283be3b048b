import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadIngest
import LeadStoreSQLite
import LeadStores
import Logging

/// `leadctl route --explain FILE`: which rule and rep a lead would get, and why; writes nothing.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Explain how a lead would be routed, without writing anything.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Explain the decision (the only mode).") var explain = false
    @Option(help: "Evaluate shifts, leave and caps at this instant (RFC 3339, e.g. 2026-12-01T10:00:00+08:00).")
    var at: String?
    @Argument(help: "The lead as a JSON object (field names as in leadctl leads show --json); '-' reads stdin.")
    var file: String

    func validate() throws {
        guard explain else { throw ValidationError("use --explain") }
        if let at { _ = try requireTime(at, option: "--at") }
    }

    static func parseTime(_ text: String) -> Date? { RFC3339Text.date(text) }

    func run() async throws {
        let (configuration, _) = try loadConfiguration(global)
        guard let table = configuration.routing.table else {
            printError("no [routing] in the configuration")
            throw ExitCode.failure
        }
        let bytes = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        let now = at.flatMap(RouteCommand.parseTime) ?? Date()
        let draft: LeadDraft
        do {
            draft = try LeadJSONInput.draft(from: Array(bytes), normaliser: configuration.intake.normaliser, receivedAt: now)
        } catch {
            printError("\(file): \(error)")
            throw ExitCode(65)
        }
        let engine = RoutingEngine(table: table, reps: configuration.directory.reps, teams: configuration.directory.teams,
                                   defaultZone: configuration.routing.zone)
        // Rotation state and loads come from the daemon's database when there is one.
        let store: (any LeadCtlStore)? = try? await StoreOpener.open(configuration, access: .read, logger: Logger(label: "leadctl")).store
        var states: [TeamID: TeamState] = [:]
        var loads: [RepID: RepLoad] = [:]
        if let store {
            for team in configuration.directory.teams { states[team.id] = try await store.teamState(team.id) }
            for rep in configuration.directory.reps {
                let (day, week) = engine.capWindows(for: rep.id, now: now)
                loads[rep.id] = try await store.load(of: rep.id, dayStart: day, weekStart: week)
            }
        }
        let decision = engine.route(draft, states: states, loads: loads, now: now)
        if output.json {
            try printJSON(RouteExplanation.json(decision))
        } else {
            print(RouteExplanation.text(decision, lead: draft))
        }
    }
}

/// A lead given as JSON to `route --explain`.
enum LeadJSONInput {
    static func draft(from bytes: [UInt8], normaliser: LeadNormaliser, receivedAt: Date) throws -> LeadDraft {
        let json = try JSONParser.parse(bytes)
        guard case .object(let members) = json else { throw JSONParser.ParseError(offset: 0, reason: "expected a JSON object") }
        var draft = LeadDraft(origin: LeadOrigin(channel: .manual, name: "explain", key: "explain"), receivedAt: receivedAt)
        for (key, value) in members {
            if key == "custom_fields", case .object(let custom) = value {
                for (name, v) in custom { if let text = v.text { draft.customFields[name] = text } }
            } else if let field = LeadField(configName: key), let text = value.text {
                MailLeadExtractor.set(field, text, on: &draft)
            }
        }
        return normaliser.normalise(draft)
    }
}

/// The explanation, for people and as JSON.
enum RouteExplanation {
    static func text(_ d: RoutingDecision, lead: LeadDraft) -> String {
        var lines: [String] = []
        for outcome in d.rulesTried {
            lines.append(outcome.matched ? "rule \"\(outcome.rule)\" matched" : "rule \"\(outcome.rule)\" did not match: \(outcome.failed ?? "")")
        }
        if d.rule == "default" { lines.append("no rule matched: the default target applies") }
        if !d.teamsTried.isEmpty {
            lines.append("team: " + d.teamsTried.map(\.rawValue).joined(separator: " -> ") + (d.strategy.map { " (\($0.rawValue))" } ?? ""))
        }
        for candidate in d.considered {
            lines.append("  \(candidate.rep == d.rep ? "*" : " ") \(candidate.rep): \(candidate.eligible ? "eligible" : "skipped"), \(candidate.reason)")
        }
        if let rep = d.rep {
            lines.append("=> \(rep)")
        } else {
            lines.append("=> held: \(d.holdReason ?? "nobody eligible")")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ d: RoutingDecision) -> [String: Any] {
        [
            "rule": d.rule,
            "team": d.team?.rawValue ?? NSNull(),
            "rep": d.rep?.rawValue ?? NSNull(),
            "held": d.rep == nil ? (d.holdReason ?? "nobody eligible") : NSNull(),
            "considered": d.considered.map { ["rep": $0.rep.rawValue, "eligible": $0.eligible, "reason": $0.reason] as [String: Any] },
            "rules": d.rulesTried.map { ["rule": $0.rule, "matched": $0.matched, "failed": $0.failed ?? NSNull()] as [String: Any] },
        ]
    }
}
