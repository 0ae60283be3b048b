import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

/// `field=value` arguments.
func parseAssignments(_ pairs: [String]) throws -> [String: String] {
    var fields: [String: String] = [:]
    for pair in pairs {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw ValidationError("'\(pair)' is not field=value")
        }
        fields[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    return fields
}

extension LeadsCommand {
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a lead to a status of the lifecycle, with the fields it requires (refusals say why; exit 1).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The lead id.") var id: String
        @Argument(help: "The new status.") var status: String
        @Argument(help: "Fields to set with it: field=value (e.g. budget_range=10-50万).") var fields: [String] = []
        @Option(help: "Why (required for some statuses, e.g. disqualified).") var reason: String?
        @Option(name: .customLong("as"), help: "Act as this rep (owner or supervisor) instead of the admin.") var actor: String?

        func validate() throws {
            guard LeadID(parsing: id) != nil else { throw ValidationError("'\(id)' is not a lead id") }
            _ = try parseAssignments(fields)
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let store = try await openWritableStore(configuration)
            do {
                let change = try await store.changeStatus(
                    LeadID(parsing: id)!, to: status, fields: try parseAssignments(fields), reason: reason,
                    actor: actor.map { .rep(RepID($0)) } ?? .admin, lifecycle: configuration.lifecycle,
                    clocks: ClockDecider(engine: configuration.routingEngine), normaliser: configuration.intake.normaliser, at: Date())
                print("lead \(id): \(change.from) → \(change.to) (as \(change.role.rawValue))")
            } catch let error as LifecycleError {
                printError("lead \(id): \(error.description)")
                throw ExitCode.failure
            }
        }
    }

    struct SetFields: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a lead's fields (typed fields are checked).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The lead id.") var id: String
        @Argument(help: "field=value ...") var fields: [String]
        @Option(name: .customLong("as"), help: "Act as this rep (owner or supervisor) instead of the admin.") var actor: String?

        func validate() throws {
            guard LeadID(parsing: id) != nil else { throw ValidationError("'\(id)' is not a lead id") }
            guard !fields.isEmpty else { throw ValidationError("give at least one field=value") }
            _ = try parseAssignments(fields)
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let store = try await openWritableStore(configuration)
            do {
                try await store.setFields(LeadID(parsing: id)!, fields: try parseAssignments(fields), actor: actor.map { .rep(RepID($0)) } ?? .admin,
                                          lifecycle: configuration.lifecycle, clocks: ClockDecider(engine: configuration.routingEngine),
                                          normaliser: configuration.intake.normaliser, at: Date())
                print("lead \(id): \(fields.joined(separator: ", "))")
            } catch let error as LifecycleError {
                printError("lead \(id): \(error.description)")
                throw ExitCode.failure
            }
        }
    }
}
