import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadIngest
import LeadStoreSQLite

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Inputs that could not become leads, with their reasons.",
        subcommands: [List.self, Show.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List quarantined inputs, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "At most this many.") var limit: Int = 100

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let entries = try await openStore(configuration).quarantined(limit: limit)
            if output.json {
                try printJSON(entries.map(QuarantineJSON.object))
            } else {
                var table = TextTable(["ID", "RECEIVED", "STATE", "ORIGIN", "REASON"])
                for e in entries {
                    table.add([String(e.id), RFC3339.string(e.receivedAt), e.state.rawValue,
                               "\(e.origin.channel.rawValue):\(e.origin.name)", e.reason])
                }
                print(table.render())
                if entries.isEmpty { print("(nothing quarantined)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one quarantined input and its raw bytes.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The quarantine id.") var id: Int64

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            guard let (entry, raw) = try await openStore(configuration).quarantineRaw(id) else {
                printError("no quarantine entry \(id)")
                throw ExitCode.failure
            }
            if output.json {
                var object = QuarantineJSON.object(entry)
                object["raw_base64"] = Data(raw.body).base64EncodedString()
                object["headers"] = raw.headers
                try printJSON(object)
            } else {
                print("quarantine \(entry.id): \(TerminalSafe.text(entry.reason))")
                print("origin: \(entry.origin.channel.rawValue):\(TerminalSafe.text(entry.origin.name)) \(TerminalSafe.text(entry.origin.key))")
                if !raw.headers.isEmpty { print(TerminalSafe.text(raw.headers, keepingLines: true)) }
                print("")
                TerminalSafe.writeRaw(raw.body)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed a quarantined mail-drop input again (after fixing the configuration).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The quarantine id.") var id: Int64

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let store = try await openWritableStore(configuration)
            guard let (entry, raw) = try await store.quarantineRaw(id) else {
                printError("no quarantine entry \(id)")
                throw ExitCode.failure
            }
            guard entry.origin.channel == .maildrop,
                  let maildrop = configuration.maildrops.first(where: { $0.name == entry.origin.name }) else {
                printError("quarantine entry \(id) came from \(entry.origin.channel.rawValue):\(entry.origin.name); only mail-drop inputs can be re-fed here (webhook senders redeliver by themselves)")
                throw ExitCode.failure
            }
            try MaildirSpool(root: maildrop.path).prepare()
            let name = try MaildirSpool.deliver(raw.body, to: maildrop.path)
            try await store.markQuarantineRetried(id, at: Date())
            print("quarantine \(id): re-delivered to \(maildrop.name) as \(name)")
        }
    }
}

enum QuarantineJSON {
    static func object(_ e: QuarantineEntry) -> [String: Any] {
        ["id": e.id, "channel": e.origin.channel.rawValue, "origin": e.origin.name, "key": e.origin.key,
         "reason": e.reason, "received_at": RFC3339.string(e.receivedAt), "state": e.state.rawValue]
    }
}
