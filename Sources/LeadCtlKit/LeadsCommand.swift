import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

struct LeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads", abstract: "List and show leads.",
        subcommands: [List.self, Show.self, Assign.self, Contact.self, Move.self, SetFields.self])

    struct Contact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a contact with a lead; by its owner or supervisor it meets the first-contact clock.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The lead id.") var id: String
        @Option(help: "call, email, meeting, message or note.") var kind: String = "call"
        @Option(help: "What was said or agreed.") var note: String?
        @Option(help: "The rep who made the contact (default: the lead's owner).") var rep: String?
        @Option(help: "When (RFC 3339 with an offset; default: now).") var at: String?

        func validate() throws {
            guard LeadID(parsing: id) != nil else { throw ValidationError("'\(id)' is not a lead id") }
            guard let kind = ActivityDraft.Kind(rawValue: kind), kind != .statusChange else {
                throw ValidationError("--kind must be call, email, meeting, message or note")
            }
            if let at { _ = try requireTime(at, option: "--at") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let store = try await openWritableStore(configuration)
            let leadID = LeadID(parsing: id)!
            guard let lead = try await store.lead(leadID) else {
                printError("no lead with id \(leadID)")
                throw ExitCode.failure
            }
            let who = rep.map(RepID.init(rawValue:)) ?? lead.owner
            let now = Date()
            // The local admin may record a contact made well before now (a correction): max_backdate
            // bounds what arrives over HTTP and mail; here only the future and times before the
            // lead's current assignment are refused.
            var bounds = configuration.lifecycle
            bounds.maxBackdateSeconds = Int64.max / 2
            let result: ActivityOutcome
            do {
                result = try await store.recordActivity(
                    ActivityDraft(lead: leadID, kind: ActivityDraft.Kind(rawValue: kind)!, rep: who, note: note),
                    at: at.flatMap(RouteCommand.parseTime) ?? now, clocks: ClockDecider(engine: configuration.routingEngine), ownedBy: nil,
                    bounds: bounds, now: now)
            } catch let error as LeadStoreError {
                printError(error.description)
                throw ExitCode.failure
            }
            print("\(kind) recorded on lead \(leadID)" + (result.metFirstContact ? "; first-contact clock stopped" : "")
                  + (result.metFollowUps ? "; follow-ups complete" : "")
                  + (result.countsForSLA ? "" : " (not by the owner or supervisor: the clocks keep running)"))
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a lead to a rep by hand (audited; respects leave, shifts and caps unless --force).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The lead id.") var id: String
        @Argument(help: "The rep id.") var rep: String
        @Option(help: "Why (kept in the audit).") var reason: String
        @Flag(help: "Assign even if the rep is on leave, off shift or at a cap.") var force = false

        func validate() throws {
            guard LeadID(parsing: id) != nil else { throw ValidationError("'\(id)' is not a lead id") }
            guard !reason.trimmingWhitespace().isEmpty else { throw ValidationError("--reason must not be empty") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let engine = try requireRouting(configuration)
            let store = try await openWritableStore(configuration)
            do {
                let decision = try await store.reassign(LeadID(parsing: id)!, to: RepID(rep), reason: reason, force: force,
                                                        engine: engine, at: Date())
                print("lead \(id) assigned to \(rep)" + (decision.considered.first?.eligible == false ? " (forced)" : ""))
            } catch let error as ReassignError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List leads, newest first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only leads in this status (new, contacted, qualified, converted, disqualified).")
        var status: String?
        @Option(help: "Only leads owned by this rep id.")
        var owner: String?
        @Option(help: "At most this many leads.")
        var limit: Int = 100
        @Flag(help: "Only leads waiting for an eligible rep (the held queue), oldest first.")
        var held = false
        @Flag(help: "Only leads with a deadline already past.")
        var overdue = false
        @Option(name: .customLong("due-within"), help: "Only leads with a deadline within this time, e.g. 4h.")
        var dueWithin: String?

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1...100000") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let store = try await openStore(configuration)
            if overdue || dueWithin != nil {
                var horizon = Date()
                if let dueWithin {
                    do { horizon += TimeInterval(try DurationText.seconds(dueWithin)) } catch { throw ValidationError(error.description) }
                }
                let due = try await store.leadsDue(before: horizon, limit: limit)
                if output.json {
                    try printJSON(due.map { ["id": $0.0.rawValue, "clock": $0.1, "due_at": RFC3339.string($0.2)] as [String: Any] })
                } else {
                    var table = TextTable(["ID", "CLOCK", "DUE (UTC)"])
                    for (id, clock, at) in due { table.add([id.description, clock, RFC3339.string(at)]) }
                    print(table.render())
                    if due.isEmpty { print("(none)") }
                }
                return
            }
            if held {
                let queue = try await store.heldLeads(limit: limit)
                if output.json {
                    try printJSON(queue.map { ["id": $0.0.rawValue, "reason": $0.1, "since": RFC3339.string($0.2)] as [String: Any] })
                } else {
                    var table = TextTable(["ID", "HELD SINCE", "REASON"])
                    for (id, reason, since) in queue { table.add([id.description, RFC3339.string(since), reason]) }
                    print(table.render())
                    if queue.isEmpty { print("(no held leads)") }
                }
                return
            }
            let leads = try await store.leads(LeadQuery(status: status.map(LeadStatus.init(rawValue:)),
                                                        owner: owner.map(RepID.init(rawValue:)), limit: limit))
            if output.json {
                try printJSON(leads.map(LeadJSON.object))
            } else {
                var table = TextTable(["ID", "CREATED", "STATUS", "OWNER", "NAME", "COMPANY", "PROVINCE", "SOURCE"])
                for lead in leads {
                    table.add([lead.id.description, RFC3339.string(lead.createdAt), lead.status.rawValue,
                               lead.owner?.rawValue ?? "-", lead.draft.name ?? "-", lead.draft.company ?? "-",
                               lead.draft.province ?? "-", lead.draft.source ?? "-"])
                }
                print(table.render())
                if leads.isEmpty { print("(no leads)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one lead.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The lead id, e.g. 42.")
        var id: String
        @Flag(help: "Print the raw input the lead came from (mail file or webhook headers and body).")
        var raw = false

        func validate() throws {
            guard LeadID(parsing: id) != nil else { throw ValidationError("'\(id)' is not a lead id") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let store = try await openStore(configuration)
            let leadID = LeadID(parsing: id)!
            guard let lead = try await store.lead(leadID) else {
                printError("no lead with id \(leadID)")
                throw ExitCode.failure
            }
            let inputs = try await store.inputs(of: leadID)
            if raw {
                guard let first = inputs.first else {
                    printError("no raw input kept for lead \(leadID)")
                    throw ExitCode.failure
                }
                if !first.raw.headers.isEmpty { print(TerminalSafe.text(first.raw.headers, keepingLines: true) + "\n") }
                TerminalSafe.writeRaw(first.raw.body)
                // Each re-inquiry merged into this lead follows, with where and when it came.
                for input in inputs.dropFirst() {
                    print("\n\n--- re-inquiry \(input.origin.channel.rawValue):\(TerminalSafe.text(input.origin.name))/\(TerminalSafe.text(input.origin.key)) at \(RFC3339.string(input.receivedAt)) ---")
                    if !input.raw.headers.isEmpty { print(TerminalSafe.text(input.raw.headers, keepingLines: true) + "\n") }
                    TerminalSafe.writeRaw(input.raw.body)
                }
                return
            }
            let reinquiries = inputs.dropFirst().map { input in
                ["origin": "\(input.origin.channel.rawValue):\(input.origin.name)", "key": input.origin.key,
                 "received_at": RFC3339.string(input.receivedAt), "warnings": input.warnings] as [String: Any]
            }
            if output.json {
                var object = LeadJSON.object(lead)
                object["reinquiries"] = reinquiries
                try printJSON(object)
            } else {
                let object = LeadJSON.object(lead)
                var table = TextTable(["FIELD", "VALUE"])
                for key in LeadJSON.keys {
                    let value = object[key]
                    let text: String = switch value {
                    case let string as String: string
                    case let number as Int64: String(number)
                    case let dict as [String: String]: dict.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                    default: "-"
                    }
                    table.add([key, text])
                }
                print(table.render())
                let clocks = try await ClockReport.lines(of: leadID, store: store, configuration: configuration, now: Date())
                if !clocks.isEmpty { print("\nclocks:\n" + clocks.map { "  " + $0 }.joined(separator: "\n")) }
                let escalations = try await store.escalations(of: leadID)
                if !escalations.isEmpty {
                    print("\nescalations:\n" + escalations.map { e in
                        "  \(RFC3339.string(e.decidedAt)) \(e.clock) #\(e.cycle) level \(e.level) (\(e.policy)): \(e.actions)"
                            + (e.outcome.isEmpty ? "" : "; \(e.outcome)")
                            + (e.lateMilliseconds >= 1_000 ? "; decided \(DurationText.format(seconds: e.lateMilliseconds / 1_000)) late" : "")
                    }.joined(separator: "\n"))
                }
                if !reinquiries.isEmpty {
                    print("\nre-inquiries (merged into this lead; --raw prints each input):\n" + inputs.dropFirst().map { input in
                        TerminalSafe.text("  \(RFC3339.string(input.receivedAt)) \(input.origin.channel.rawValue):\(input.origin.name) \(input.origin.key)"
                            + (input.warnings.isEmpty ? "" : " (\(input.warnings.joined(separator: "; ")))"))
                    }.joined(separator: "\n"))
                }
                let history = try await store.routingHistory(of: leadID)
                if !history.isEmpty { print("\nrouting:\n" + history.map { "  " + $0 }.joined(separator: "\n")) }
            }
        }
    }
}

/// A lead's stable JSON form (keys never renamed; new keys may be added).
enum LeadJSON {
    static let keys = ["id", "name", "company", "email", "phone", "country", "province", "city", "industry",
                       "source", "campaign", "message", "custom_fields", "status", "owner", "team",
                       "origin", "received_at", "created_at", "updated_at"]

    static func object(_ lead: Lead) -> [String: Any] {
        func value(_ text: String?) -> Any { text ?? NSNull() }
        let d = lead.draft
        return [
            "id": lead.id.rawValue, "name": value(d.name), "company": value(d.company), "email": value(d.email),
            "phone": value(d.phone), "country": value(d.country), "province": value(d.province),
            "city": value(d.city), "industry": value(d.industry), "source": value(d.source),
            "campaign": value(d.campaign), "message": value(d.message), "custom_fields": d.customFields,
            "status": lead.status.rawValue, "owner": value(lead.owner?.rawValue), "team": value(lead.team?.rawValue),
            "origin": "\(d.origin.channel.rawValue):\(d.origin.name)",
            "received_at": RFC3339.string(d.receivedAt), "created_at": RFC3339.string(lead.createdAt),
            "updated_at": RFC3339.string(lead.updatedAt),
        ]
    }
}
