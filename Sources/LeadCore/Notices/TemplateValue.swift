/// A value a mail template can use: text, a flag for `{{#x}}…{{/x}}`, or a list of rows.
public enum TemplateValue: Hashable, Sendable, Codable {
    case text(String)
    case flag(Bool)
    case list([[String: TemplateValue]])

    /// The plain form the Mustache renderer takes (strings, booleans, arrays of dictionaries).
    public var renderable: Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let rows): rows.map { $0.mapValues(\.renderable) }
        }
    }
}

/// The variables each kind of notice gives its template. Templates are checked against these at
/// load: a template that names anything else is a configuration error.
public enum NoticeVariables {
    /// Every notice about one lead has these.
    public static let lead: Set<String> = [
        "lead_id", "lead_name", "lead_company", "lead_title", "lead_email", "lead_phone", "lead_province", "lead_city",
        "lead_source", "lead_industry", "lead_message", "origin", "owner_id", "owner_name", "team_id", "team_name",
    ]
    /// SLA notices add these.
    public static let sla: Set<String> = [
        "policy", "clock", "clock_zh", "clock_en", "level", "warning", "due_local", "due_utc", "zone",
        "overdue", "overdue_text", "due_in_text", "late", "late_text",
    ]
    /// Rows of a digest's `items`.
    public static let digestItem: Set<String> = ["lead_id", "lead_title", "subject", "summary"]
    /// Rows of a daily to-do list (`due_today`, `overdue`, `idle`).
    public static let todoItem: Set<String> = ["lead_id", "lead_title", "clock", "clock_zh", "clock_en", "due_local", "owner_name", "status"]
    /// The daily to-do digest's own variables.
    public static let daily: Set<String> = [
        "recipient_name", "date", "zone", "idle_days", "due_today", "overdue", "idle",
        "due_today_count", "overdue_count", "idle_count",
    ]

    /// The weekly summary's variables (`funnel` and `misses` are lists).
    public static let weekly: Set<String> = [
        "recipient_name", "team_id", "team_name", "week_from", "week_to", "response_median", "response_median_prev",
        "within_sla", "within_sla_prev", "assigned", "assigned_prev", "funnel", "misses", "slowest_status", "slowest_median",
        "has_charts",
    ]
    public static let funnelItem: Set<String> = ["status", "count", "count_prev"]
    public static let missItem: Set<String> = ["rep", "missed", "missed_prev"]

    /// The fields of the rows of a list variable, if `name` is one.
    public static func itemFields(of name: String) -> Set<String>? {
        switch name {
        case "items": digestItem
        case "due_today", "overdue", "idle": todoItem
        case "funnel": funnelItem
        case "misses": missItem
        default: nil
        }
    }

    public static func allowed(for kind: String) -> Set<String> {
        switch kind {
        case "sla.warning", "sla.overdue", "sla.supervisor", "sla.notify": lead.union(sla)
        case "sla.reassigned_away", "sla.reassigned_to": lead.union(sla).union(["old_owner_id", "old_owner_name", "new_owner_id", "new_owner_name"])
        case "sla.digest": ["count", "items", "recipient"]
        case "lead.assigned": lead.union(["due_local", "due_utc", "zone", "policy", "rule"])
        case "lead.welcome": lead
        case "digest.daily": daily
        case "report.weekly": weekly
        case "digest.daily_team": daily.union(["team_id", "team_name", "breaches_yesterday"])
        default: []
        }
    }

    /// The notice kinds a template directory may hold (file `KIND.LANG.mustache`, `.` → `_`).
    public static let kinds = ["sla.warning", "sla.overdue", "sla.supervisor", "sla.notify", "sla.reassigned_away",
                               "sla.reassigned_to", "sla.digest", "lead.assigned", "lead.welcome", "digest.daily", "digest.daily_team", "report.weekly"]
}

extension NoticeVariables {
    /// A lead's own variables, with its owner's and team's names from the directory.
    public static func of(_ lead: Lead, engine: RoutingEngine?) -> [String: TemplateValue] {
        let d = lead.draft
        func text(_ value: String?) -> TemplateValue { .text(value ?? "") }
        return [
            "lead_id": .text(lead.id.description), "lead_name": text(d.name), "lead_company": text(d.company),
            "lead_title": .text([d.name, d.company].compactMap { $0 }.joined(separator: ", ")),
            "lead_email": text(d.email), "lead_phone": text(d.phone), "lead_province": text(d.province), "lead_city": text(d.city),
            "lead_source": text(d.source), "lead_industry": text(d.industry), "lead_message": text(d.message),
            "origin": .text("\(d.origin.channel.rawValue):\(d.origin.name)"),
            "owner_id": text(lead.owner?.rawValue), "owner_name": text(lead.owner.flatMap { engine?.reps[$0]?.name }),
            "team_id": text(lead.team?.rawValue), "team_name": text(lead.team.flatMap { engine?.teams[$0]?.name }),
        ]
    }
}
