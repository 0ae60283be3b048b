import Foundation
import LeadCore

/// Turns one mail into a lead draft: labelled fields from the body (`Label: value`, the
/// full-width colon `：`, or HTML table cells), else the sender from Reply-To/From; the subject
/// and body become the message. A mail with no way to reach anyone is not a lead.
///
/// A mail whose body has labelled fields is a form notification: its From/Reply-To are the form
/// service's (one address for every person who fills in the form), so they never become the
/// lead's e-mail or name; likewise for mail from a configured notifier address.
public struct MailLeadExtractor: Sendable {
    public var labels: FieldLabels
    public var notifiers: NotifierAddresses
    public var source: String
    public var limits: MIMELimits
    /// Longest message text kept on the lead (the whole mail stays in the capture log).
    public var maxMessageCharacters: Int

    public init(labels: FieldLabels = .defaults, source: String, limits: MIMELimits = MIMELimits(),
                maxMessageCharacters: Int = 20_000, notifiers: NotifierAddresses = NotifierAddresses()) {
        self.labels = labels; self.source = source; self.limits = limits; self.notifiers = notifiers
        self.maxMessageCharacters = maxMessageCharacters
    }

    public struct Extraction: Sendable {
        public var draft: LeadDraft
        public var warnings: [String]
    }

    public func extract(_ bytes: [UInt8], origin: LeadOrigin, receivedAt: Date) throws(IngestError) -> Extraction {
        let mail = try MailMessage(bytes: bytes, limits: limits)
        if mail.isAutomaticReport { throw .noUsableLead("automatic message (delivery report or auto-reply)") }
        var draft = LeadDraft(source: source, origin: origin, receivedAt: receivedAt)
        var labelled = false
        var form = false                              // a labelled field beyond the message: a form
        for line in mail.text.split(whereSeparator: { $0 == "\n" }) {
            for (field, value) in labelledValues(line) {
                labelled = true
                if field != .message { form = true }
                Self.set(field, value, on: &draft)
            }
        }
        let sender = mail.fromAddress?.lowercased()
        let fromNotifier = [mail.fromAddress, mail.replyToAddress].contains { $0.map(notifiers.contains) ?? false }
        if form || fromNotifier {
            draft.formSender = form ? sender : nil
        } else {
            if draft.email == nil, let address = mail.replyToAddress ?? mail.fromAddress {
                draft.email = address
                draft.emailFromHeader = true
            }
            if draft.name == nil { draft.name = mail.replyToAddress != nil ? mail.replyToName : mail.fromName }
        }
        var message = [mail.subject, mail.text.isEmpty ? nil : mail.text].compactMap { $0 }.joined(separator: "\n\n")
        if message.count > maxMessageCharacters { message = String(message.prefix(maxMessageCharacters)) + "…" }
        if draft.message == nil || !labelled { draft.message = message.isEmpty ? nil : message }
        guard draft.email != nil || draft.phone != nil else {
            if form || fromNotifier {
                throw .noUsableLead("a form notification from \(sender ?? "an unknown sender") whose fields hold no e-mail address or phone number (the sender is the form service, not the lead)")
            }
            throw .noUsableLead("no e-mail address or phone number in the headers or the body")
        }
        return Extraction(draft: draft, warnings: mail.warnings)
    }

    /// The known `Label: value` pairs of one line (ASCII or full-width colon, or a tab between
    /// HTML table cells). A line may hold several (`联系人：洪武  电话：139…`): a value ends where
    /// the next known label begins.
    func labelledValues(_ line: Substring) -> [(LeadField, String)] {
        let characters = Array(line)
        let separators = characters.indices.filter { characters[$0] == ":" || characters[$0] == "：" || characters[$0] == "\t" }
        // Each separator preceded by a known label starts a pair: (label start, separator, field).
        var starts: [(labelStart: Int, separator: Int, field: LeadField)] = []
        var previousEnd = 0
        for separator in separators where separator > previousEnd {
            // Try the longest label first: from the previous pair's end, then later starts.
            for labelStart in previousEnd..<separator where separator - labelStart <= 40 {
                let label = String(characters[labelStart..<separator])
                if let field = labels.field(for: Substring(label)) {
                    starts.append((labelStart, separator, field))
                    previousEnd = separator + 1
                    break
                }
            }
        }
        return starts.enumerated().compactMap { index, start in
            let end = index + 1 < starts.count ? starts[index + 1].labelStart : characters.count
            guard start.separator + 1 <= end else { return nil }
            var value = String(characters[(start.separator + 1)..<end]).trimmingCharacters(in: "\t ")
            value = CJKText.droppingTrailingListMarker(CJKText.collapsingSpaces(value.trimmingWhitespace()))
            return value.isEmpty ? nil : (start.field, value)
        }
    }

    public static func set(_ field: LeadField, _ value: String, on draft: inout LeadDraft) {
        switch field {
        case .name: draft.name = draft.name ?? value
        case .company: draft.company = draft.company ?? value
        case .email: draft.email = draft.email ?? value
        case .phone: draft.phone = draft.phone ?? value
        case .country: draft.country = draft.country ?? value
        case .province: draft.province = draft.province ?? value
        case .city: draft.city = draft.city ?? value
        case .industry: draft.industry = draft.industry ?? value
        case .source: draft.source = value
        case .campaign: draft.campaign = draft.campaign ?? value
        case .message: draft.message = draft.message.map { $0 + "\n" + value } ?? value
        case .custom(let name): draft.customFields[name] = draft.customFields[name] ?? value
        }
    }
}
