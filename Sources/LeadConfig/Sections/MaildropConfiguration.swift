import Foundation
import LeadCore

/// `[[maildrop]]`: a Maildir that an MTA, procmail or `leadctl drop` delivers lead mail into.
/// - `name` (identifier, required, unique): the origin of its leads.
/// - `kind` (`"leads"` | `"activity"`, default `"leads"`): an activity mail-drop is the BCC
///   dropbox: a mail From a rep's address whose To/Cc holds an open lead's address is recorded as
///   an `email` contact by that rep (it stops first contact, counts toward follow-ups). Mail from
///   anyone else is quarantined; mail naming no lead is kept in `done/` and ignored.
/// - `path` (path, default: `<state.directory>/maildrop/<name>`): the Maildir (`tmp/`, `new/`,
///   `cur/`; leadrouter adds `done/` and `quarantine/`). Relative to the config file.
/// - `source` (string, default `"email"`): the lead source label.
/// - `max_message_size` (size, default `"10MiB"`, range 1KiB–100MiB): larger mail is quarantined.
/// - `rescan_interval` (duration, default `60s`, range 1s–1h): full scan backstop to inotify.
/// - `done_retention` (duration, default `30d`): how long processed files stay in `done/`.
/// - `notifier_addresses` (array of strings, default empty): the addresses form services send
///   their notifications from (`notify@jinshuju.net`, or a domain as `@wjx.cn`): never a lead's
///   e-mail, even when the body has no labelled fields. (A mail whose body has labelled fields is
///   a form notification anyway, and an address seen sending two forms is known as one.)
/// - `require_header` (string, `activity` only, optional): `"Name"` or `"Name: text"`; mail without
///   such a header field (e.g. the `Authentication-Results: … dkim=pass` or a `Received` line
///   your MTA adds after authenticating the sender) is quarantined instead of recorded. Without it
///   the dropbox trusts the MTA for `From:`.
/// - `[maildrop.labels]`: form label → field (`name`, `company`, `email`, `phone`, `country`,
///   `province`, `city`, `industry`, `source`, `campaign`, `message`, or `custom:NAME`), over the
///   built-in Chinese and English labels.
public struct MaildropConfiguration: Sendable, Equatable {
    /// `require_header`: a header field the mail must carry, and text its value must contain (if any).
    public struct RequiredHeader: Sendable, Equatable {
        public var name: String
        public var contains: String?
    }

    public enum Kind: String, Sendable, CaseIterable { case leads, activity }

    public var name: String
    public var kind: Kind
    public var path: URL
    public var source: String
    public var maxMessageBytes: Int
    public var rescanInterval: Duration
    public var doneRetention: Duration
    public var labels: [String: String]
    public var notifierAddresses: [String]
    public var requiredHeader: RequiredHeader?

    public init(name: String, kind: Kind = .leads, path: URL, source: String = "email", maxMessageBytes: Int = 10 << 20,
                rescanInterval: Duration = .seconds(60), doneRetention: Duration = .seconds(30 * 86_400),
                labels: [String: String] = [:], notifierAddresses: [String] = []) {
        self.name = name; self.kind = kind; self.path = path; self.source = source; self.maxMessageBytes = maxMessageBytes
        self.rescanInterval = rescanInterval; self.doneRetention = doneRetention; self.labels = labels
        self.notifierAddresses = notifierAddresses
    }

    static let fields = ["name", "company", "email", "phone", "country", "province", "city", "industry",
                         "source", "campaign", "message"]

    static func decodeAll(_ root: TableReader, stateDirectory: URL) -> [MaildropConfiguration] {
        var seen: Set<String> = []
        return root.tables("maildrop").compactMap { table in
            defer { table.finish() }
            guard let name = table.text("name", required: true) else { return nil }
            guard TeamID.isValidIdentifier(name) else {
                table.report("name", "\"\(name)\" is not an identifier (ASCII letters, digits, '.', '_', '-')")
                return nil
            }
            if !seen.insert(name).inserted { table.report("name", "duplicate maildrop name \"\(name)\"") }
            let path = table.text("path").map { table.context.resolvePath($0, isDirectory: true) }
                ?? stateDirectory.appendingPathComponent("maildrop/\(name)", isDirectory: true)
            var labels: [String: String] = [:]
            for (label, field) in table.stringTable("labels") {
                if fields.contains(field) || (field.hasPrefix("custom:") && field.count > 7) {
                    labels[label] = field
                } else {
                    table.context.report(table.path.appending("labels").appending(label),
                                         "\"\(field)\" is not a lead field (one of \(fields.joined(separator: ", ")) or custom:NAME)")
                }
            }
            var required: RequiredHeader? = nil
            if let text = table.text("require_header") {
                let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts[0].isEmpty || parts[0].contains(" ") { table.report("require_header", "\"\(text)\" is not \"Header-Name\" or \"Header-Name: text\"") }
                else { required = RequiredHeader(name: parts[0], contains: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil) }
            }
            let notifiers = table.stringArray("notifier_addresses") ?? []
            for pattern in notifiers where !Self.isNotifierPattern(pattern) {
                table.report("notifier_addresses", "\"\(pattern)\" is not an address (name@example.cn) or a domain (@example.cn)")
            }
            var maildrop = MaildropConfiguration(
                name: name, kind: table.choice("kind", default: .leads), path: path, source: table.text("source") ?? "email",
                maxMessageBytes: table.size("max_message_size", default: 10 << 20, range: 1 << 10 ... 100 << 20),
                rescanInterval: table.duration("rescan_interval", default: .seconds(60), range: .seconds(1) ... .seconds(3_600)),
                doneRetention: table.duration("done_retention", default: .seconds(30 * 86_400), range: .seconds(0) ... .seconds(3_650 * 86_400)),
                labels: labels, notifierAddresses: notifiers)
            maildrop.requiredHeader = required
            return maildrop
        }
    }

    /// `local@domain`, `@domain` or `*@domain` (the forms `NotifierAddresses` reads).
    static func isNotifierPattern(_ pattern: String) -> Bool {
        let p = pattern.trimmingCharacters(in: .whitespaces)
        let parts = p.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].contains("."), !p.contains(" ") else { return false }
        return parts[0].isEmpty || parts[0] == "*" || !parts[0].contains("*")
    }
}
