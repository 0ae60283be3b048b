import Foundation

/// A rep's outbound mail taken from an activity mail-drop (the BCC dropbox).
public struct MailActivity: Hashable, Sendable {
    public var maildrop: String
    /// The mail-drop file name: the mail is taken once per file.
    public var file: String
    public var messageID: String?
    public var from: String
    /// To and Cc addresses, lower-cased.
    public var recipients: [String]
    public var subject: String?
    public var sentAt: Date

    public init(maildrop: String, file: String, messageID: String?, from: String, recipients: [String], subject: String?, sentAt: Date) {
        self.maildrop = maildrop; self.file = file; self.messageID = messageID; self.from = from
        self.recipients = recipients; self.subject = subject; self.sentAt = sentAt
    }
}

public enum MailActivityResult: Hashable, Sendable {
    /// An `email` contact by the rep on each lead found among the recipients.
    case recorded(RepID, [LeadID])
    /// From is a rep, but no open lead has any of the recipients' addresses.
    case noLead(RepID)
    /// From is not a configured rep's address.
    case unknownSender
    /// The same Message-ID was taken before (the mail was BCC'd twice).
    case duplicateMessage
    /// This file was taken before (a restart after the commit, before the file moved on).
    case alreadyTaken
}

/// Stores that take activity mail: the activity rows, their effect on the clocks and the "taken"
/// mark commit together, so a crash never counts a mail twice.
public protocol MailActivityRecording: Sendable {
    func recordMailActivity(_ mail: MailActivity, clocks: ClockDecider, now: Date) async throws -> MailActivityResult
    func mailActivityTaken(maildrop: String, file: String) async throws -> Bool
}

extension MailActivityRecording {
    public func recordMailActivity(_ mail: MailActivity, sla: SLAPlan?, now: Date) async throws -> MailActivityResult {
        try await recordMailActivity(mail, clocks: ClockDecider(sla), now: now)
    }
}
