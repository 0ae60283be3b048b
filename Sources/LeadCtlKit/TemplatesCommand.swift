import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Check and preview mail templates.", subcommands: [Render.self])

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a template for a stored lead, as its mail would read now or --at (SLA values from the lead's deadline of --clock).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The notice kind: \(NoticeVariables.kinds.joined(separator: ", ")) (dots or underscores).") var name: String
        @Option(help: "The lead id.") var lead: String
        @Option(help: "The language (default: the owner's, the team's, then [mail] language).") var language: String?
        @Option(help: "The clock whose newest deadline fills the SLA values: first_contact, follow_ups or stale.") var clock: String = "first_contact"
        @Option(help: "Render as the mail would read at this time (RFC 3339 with an offset; default: now).") var at: String?
        @Flag(help: "The group robot's template (KIND.LANG.md.mustache) instead of the mail's.") var robot = false

        func validate() throws {
            guard NoticeVariables.kinds.contains(kind) else { throw ValidationError("'\(name)' is not a notice kind") }
            guard LeadID(parsing: lead) != nil else { throw ValidationError("'\(lead)' is not a lead id") }
            guard SLAClock(rawValue: clock) != nil else { throw ValidationError("--clock must be first_contact, follow_ups or stale") }
            if let at { _ = try requireTime(at, option: "--at") }
        }

        var kind: String {
            NoticeVariables.kinds.first { $0 == name || $0.replacingOccurrences(of: ".", with: "_") == name } ?? name
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            guard let templates = configuration.mail.templates else {
                printError("no [mail] templates in the configuration: the built-in texts are used")
                throw ExitCode.failure
            }
            let store = try await openStore(configuration)
            let id = LeadID(parsing: lead)!
            guard let stored = try await store.lead(id) else {
                printError("no lead with id \(id)")
                throw ExitCode.failure
            }
            let engine = configuration.routingEngine
            let deadline = try await store.deadlines(of: id).first { $0.clock == clock }
            let now = try at.map { try requireTime($0, option: "--at") } ?? Date()
            let policy = deadline?.policy.flatMap { engine?.sla?.policy(named: $0) }
            let due = deadline?.dueAt ?? now
            let zone = policy.flatMap { engine?.sla?.calendars[$0.calendar]?.zone } ?? engine?.defaultZone ?? "Asia/Shanghai"
            let overdue = policy.flatMap { p in engine?.sla.map { -$0.remaining(p, from: now, to: due) } } ?? Int64(now.timeIntervalSince(due))
            let facts = SLANoticeFacts(lead: id, title: [stored.draft.name, stored.draft.company].compactMap { $0 }.joined(separator: ", "),
                                       policy: deadline?.policy ?? "", clock: SLAClock(rawValue: clock) ?? .firstContact,
                                       level: 1, dueAt: due, overdueSeconds: overdue, lateSeconds: 0, zone: zone,
                                       leadVariables: NoticeVariables.of(stored, engine: engine))
            var variables = facts.variables
            variables["rule"] = .text("(preview)")
            variables["old_owner_id"] = variables["owner_id"]
            variables["old_owner_name"] = variables["owner_name"]
            variables["new_owner_id"] = variables["owner_id"]
            variables["new_owner_name"] = variables["owner_name"]
            if kind == "sla.digest" {
                variables = ["count": .text("1"), "recipient": .text("preview@example.com"),
                             "items": .list([["lead_id": .text(id.description), "lead_title": variables["lead_title"] ?? .text(""),
                                              "subject": .text("(preview)"), "summary": .text("(preview)")]])]
            }
            let owner = stored.owner.flatMap { configuration.directory.rep($0) }
            let team = stored.team.flatMap { team in configuration.directory.teams.first { $0.id == team } }
            let chosen = language ?? owner?.language ?? team?.language
            guard let rendered = templates.render(kind: kind, language: chosen, variables: variables, robot: robot) else {
                printError("no \(robot ? "robot " : "")template for \(kind) in \(chosen ?? configuration.mail.language) or \(configuration.mail.language)")
                throw ExitCode.failure
            }
            print("\(robot ? "Title" : "Subject"): \(rendered.subject)\n\n\(rendered.body)")
        }
    }
}
