import Foundation
import LeadConfig
import LeadCore
import LeadIngest
import Logging

/// The BCC dropbox (`[[maildrop]] kind = "activity"`): reps copy their mail to customers here,
/// and each becomes an `email` contact by that rep on the leads it was sent to. Each file is taken
/// once: the activities and the file's "taken" mark commit in one transaction, so a crash between
/// the commit and the move to `done/` never counts a mail twice.
public struct ActivityMaildrop: MaildropProcessing {
    public let configuration: MaildropConfiguration
    public let spool: MaildirSpool
    let reader: SpoolReader
    let context: DaemonContext
    let store: any MailActivityRecording
    public let batchSize = 64

    public init(configuration: MaildropConfiguration, context: DaemonContext, store: any MailActivityRecording) {
        self.configuration = configuration
        self.spool = MaildirSpool(root: configuration.path)
        self.reader = SpoolReader(spool: spool, name: configuration.name)
        self.context = context
        self.store = store
    }

    public func reconcile() async throws -> Int {
        let claimed = spool.names(in: .cur)
        var pending: [String] = []
        for name in claimed {
            if try await store.mailActivityTaken(maildrop: configuration.name, file: name) { try spool.complete(name) } else { pending.append(name) }
        }
        try await process(pending)
        return claimed.count
    }

    public func process(_ names: [String]) async throws {
        let limit = configuration.maxMessageBytes
        let current = context.state.snapshot.configuration.maildrops.first { $0.name == configuration.name } ?? configuration
        for (index, name) in names.enumerated() {
            let now = context.clock.now()
            let mail: MailMessage
            do {
                let (bytes, size) = try await reader.read(claimed: name, limit: limit, now: now)
                guard size <= limit else { throw IngestError.tooLarge(bytes: size, limit: limit) }
                mail = try MailMessage(bytes: bytes, limits: MIMELimits(maxMessageBytes: limit))
            } catch MaildirSpool.Refusal.linkInProgress {
                spool.unclaim(name)
                continue
            } catch let refusal as MaildirSpool.Refusal {
                try reject(name, reason: refusal.description)
                continue
            } catch {
                try reject(name, reason: "unreadable mail: \(error)")
                continue
            }
            guard let from = mail.fromAddress?.lowercased() else {
                try reject(name, reason: "no From address")
                continue
            }
            if let required = current.requiredHeader, !mail.headerFields.contains(where: { field in
                field.name.lowercased() == required.name.lowercased()
                    && (required.contains.map { field.value.lowercased().contains($0.lowercased()) } ?? true)
            }) {
                try reject(name, reason: "no \(required.name) header\(required.contains.map { " containing \"\($0)\"" } ?? "") (require_header)")
                continue
            }
            // The time the mail arrived, or its Date: when that is earlier by less than max_backdate
            // (a Date: is the sender's claim: far back or in the future it does not count).
            let maxBackdate = Double(context.state.snapshot.configuration.lifecycle.maxBackdateSeconds)
            let sentAt = mail.date.flatMap { $0 <= now && now.timeIntervalSince($0) < maxBackdate ? $0 : nil } ?? now
            let activity = MailActivity(maildrop: configuration.name, file: name, messageID: mail.messageID, from: from,
                                        recipients: mail.recipients, subject: mail.subject, sentAt: sentAt)
            let result: MailActivityResult
            do {
                result = try await store.recordMailActivity(activity, clocks: ClockDecider(engine: context.state.snapshot.routing), now: now)
            } catch {
                for rest in names[index...] { spool.unclaim(rest) }
                throw error
            }
            let metadata: Logger.Metadata = ["maildrop": "\(configuration.name)", "maildrop.file": "\(name)"]
            switch result {
            case .recorded(let rep, let leads):
                try spool.complete(name)
                for lead in leads {
                    context.metrics.activity(kind: "email", channel: "maildrop")
                    context.logger.info("activity mail recorded", metadata: metadata.merging(["lead.id": "\(lead)", "rep.id": "\(rep)"]))
                }
                context.wakeup.notify()
            case .noLead(let rep):
                try spool.complete(name)
                context.logger.debug("activity mail names no lead", metadata: metadata.merging(["rep.id": "\(rep)"]))
            case .duplicateMessage, .alreadyTaken:
                try spool.complete(name)
            case .unknownSender:
                try reject(name, reason: "From <\(from)> is not a configured rep's address")
            }
        }
    }

    private func reject(_ name: String, reason: String) throws {
        try spool.quarantine(name, reason: reason)
        context.metrics.rejected(channel: "maildrop", reason: "activity_mail")
        context.logger.warning("activity mail quarantined", metadata: [
            "maildrop": "\(configuration.name)", "maildrop.file": "\(name)", "intake.reason": "\(reason)",
        ])
    }
}
