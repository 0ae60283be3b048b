import Foundation
import LeadCore

/// `[mail]`: what leadrouter's messages say.
/// - `mail.templates` (directory, optional, relative to this file): `KIND.LANG.mustache` files
///   (see `TemplateLibrary`); checked at load. Without it the built-in texts are used.
/// - `mail.language` (string, default `"zh"`): the language of recipients without their own
///   (`[[rep]] language`, `[[team]] language`).
/// - `mail.notify_owner` (boolean, default `true`): a new lead's owner gets a "new lead" mail
///   when it is assigned (written with the assignment, sent by the outbox).
/// - `mail.welcome_sources` (array of lead sources, default none): new leads from these sources
///   with a valid e-mail address get an acknowledgement (`lead_welcome` template); never a
///   re-inquiry.
public struct MailConfiguration: Sendable, Equatable {
    public var templates: TemplateLibrary?
    public var language: String
    public var notifyOwner: Bool
    public var welcomeSources: Set<String>
    /// `[digest]`: the daily to-do mail (nil: none).
    public var digest: DailyDigestSchedule?
    /// `[digest] weekly`: the supervisors' weekly summary (nil: none).
    public var weekly: WeeklySummarySchedule?

    public init(templates: TemplateLibrary? = nil, language: String = "zh", notifyOwner: Bool = true, welcomeSources: Set<String> = [],
                digest: DailyDigestSchedule? = nil) {
        self.templates = templates; self.language = language; self.notifyOwner = notifyOwner; self.welcomeSources = welcomeSources
        self.digest = digest
    }

    static func decode(_ table: TableReader) -> MailConfiguration {
        defer { table.finish() }
        var mail = MailConfiguration()
        mail.language = table.text("language") ?? "zh"
        mail.notifyOwner = table.bool("notify_owner", default: true)
        mail.welcomeSources = Set(table.stringArray("welcome_sources") ?? [])
        if let folder = table.text("templates") {
            let url = table.context.resolvePath(folder, isDirectory: true)
            do {
                mail.templates = try TemplateLibrary.load(directory: url, defaultLanguage: mail.language)
            } catch {
                for problem in error.problems {
                    table.context.report(file: problem.file, line: problem.line == 0 ? nil : problem.line, problem.message)
                }
            }
        }
        return mail
    }
}
