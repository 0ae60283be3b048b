import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadMail
import LeadStoreSQLite

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Messages waiting, sent and dead.",
        subcommands: [List.self, Show.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox messages, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Only dead letters (refused for good, or given up).") var dead = false
        @Option(help: "Only messages in this state (pending, sending, sent, dead).") var state: String?
        @Option(help: "At most this many.") var limit: Int = 100

        func validate() throws {
            if let state, OutboxMessage.State(rawValue: state) == nil { throw ValidationError("--state must be pending, sending, sent or dead") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let filter = dead ? .dead : state.flatMap(OutboxMessage.State.init(rawValue:))
            let messages = try await openStore(configuration).outboxMessages(state: filter, limit: limit)
            if output.json {
                try printJSON(messages.map(OutboxJSON.object))
            } else {
                var table = TextTable(["ID", "CREATED", "STATE", "ATTEMPTS", "KIND", "LEAD", "TO", "LAST"])
                for m in messages {
                    table.add([String(m.id), RFC3339.string(m.createdAt), m.state.rawValue, String(m.attempts), m.kind,
                               m.lead?.description ?? "-", m.channel.map { "channel:\($0)" } ?? m.recipient,
                               (m.state == .sent ? m.reply : m.lastError) ?? ""])
                }
                print(table.render())
                if messages.isEmpty { print("(empty)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one message as it is (or would be) sent.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The outbox id.") var id: Int64

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            guard let message = try await openStore(configuration).outboxMessage(id) else {
                printError("no outbox message \(id)")
                throw ExitCode.failure
            }
            let smtp = configuration.smtp ?? SMTPConfiguration(url: URL(string: "smtp://localhost")!,
                                                                from: EmailAddress(rawValue: "leadrouter@localhost.localdomain")!)
            let rendered = MailComposer.message(for: message, smtp: smtp, templates: configuration.mail.templates, at: message.sentAt ?? Date())
            if output.json {
                var object = OutboxJSON.object(message)
                object["message_id"] = rendered.messageID
                object["rendered"] = String(decoding: rendered.rendered(), as: UTF8.self)
                try printJSON(object)
            } else {
                print("outbox \(message.id): \(message.state.rawValue), \(message.attempts) attempt(s), \(message.kind)"
                      + (message.lastError.map { "; last error: \($0)" } ?? "") + (message.reply.map { "; reply: \($0)" } ?? ""))
                print("")
                print("From: \(rendered.from.address)\nTo: \(message.recipient)" + (message.cc.isEmpty ? "" : "\nCc: \(message.cc.joined(separator: ", "))"))
                print("Subject: \(rendered.subject)\nMessage-ID: \(rendered.messageID)\n")
                print(rendered.text)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a dead (or waiting) message again, now, with fresh attempts.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The outbox id.") var id: Int64

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            guard try await openWritableStore(configuration).retryOutbox(id, at: Date()) else {
                printError("outbox message \(id) does not exist or is not dead or pending")
                throw ExitCode.failure
            }
            print("outbox \(id): queued again; the daemon sends it within \(DurationText.format(seconds: configuration.scheduler.recheck.wholeSeconds))")
        }
    }
}

enum OutboxJSON {
    static func object(_ m: OutboxMessage) -> [String: Any] {
        ["id": m.id, "kind": m.kind, "lead_id": m.lead.map { $0.rawValue as Any } ?? NSNull(), "to": m.recipient, "cc": m.cc,
         "subject": m.subject, "state": m.state.rawValue, "attempts": m.attempts, "created_at": RFC3339.string(m.createdAt),
         "next_attempt_at": RFC3339.string(m.nextAttemptAt), "sent_at": m.sentAt.map { RFC3339.string($0) as Any } ?? NSNull(),
         "last_error": m.lastError ?? NSNull(), "reply": m.reply ?? NSNull(), "channel": m.channel ?? NSNull()]
    }
}
