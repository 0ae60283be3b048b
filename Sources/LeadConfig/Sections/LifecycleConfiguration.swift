import Foundation
import LeadCore

/// `[lifecycle]` (optional; without it the seed's SOP, `Lifecycle.standard`). Each key defaults to
/// the standard's value:
/// - `statuses` (array, must contain `"new"`), `closed` (array; no clock runs there).
/// - `[[lifecycle.transition]]`: `from` (a status, an array, or `"*"` for any open status), `to`,
///   `by` (roles `owner`, `supervisor`, `admin`; default all), `reason` (boolean: a reason is required).
/// - `[lifecycle.require]`: status = [fields] a lead needs to enter it (lead fields or declared fields).
/// - `[[lifecycle.field]]`: `name`, `type` (`text` | `number` | `date` | `choice`), `choices` (for choice).
/// - `max_backdate` (duration, default `"1h"`, range 0s–7d): how far back a logged activity may be
///   dated over HTTP (`at`) and by the BCC dropbox's `Date:`; `leadctl leads contact --at` (the local
///   admin, correcting records) is bounded only by the future and the lead's current assignment.
enum LifecycleConfiguration {
    static func decode(_ root: TableReader) -> Lifecycle {
        guard root.hasKey("lifecycle") else { return .standard }
        let table = root.section("lifecycle")
        defer { table.finish() }
        var lifecycle = Lifecycle.standard
        lifecycle.maxBackdateSeconds = table.duration("max_backdate", default: .seconds(3_600), range: .seconds(0) ... .seconds(7 * 86_400)).wholeSeconds
        if let names = table.stringArray("statuses") {
            lifecycle.statuses = names.map { LeadStatus(rawValue: $0.lowercased()) }
            if !lifecycle.statuses.contains(.new) { table.report("statuses", "the statuses must include \"new\" (where every lead starts)") }
            if Set(lifecycle.statuses).count != lifecycle.statuses.count { table.report("statuses", "a status is listed twice") }
        }
        let known = Set(lifecycle.statuses)
        func status(_ name: String, reader: TableReader, key: String) -> LeadStatus? {
            let value = LeadStatus(rawValue: name.lowercased())
            if known.contains(value) { return value }
            reader.report(key, "unknown status \"\(name)\" (\(lifecycle.statuses.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        if let names = table.stringArray("closed") {
            lifecycle.closed = Set(names.compactMap { status($0, reader: table, key: "closed") })
        } else {
            lifecycle.closed = lifecycle.closed.intersection(known)
        }
        if table.hasKey("field") {
            lifecycle.fields = [:]
            for field in table.tables("field") {
                defer { field.finish() }
                guard let name = field.text("name", required: true) else { continue }
                if LeadDraft.fieldNames.contains(name) { field.report("name", "\"\(name)\" is a lead field already") }
                let type = field.text("type") ?? "text"
                switch type {
                case "text": lifecycle.fields[name] = .text
                case "number": lifecycle.fields[name] = .number
                case "date": lifecycle.fields[name] = .date
                case "choice":
                    let choices = field.stringArray("choices", required: true) ?? []
                    if choices.isEmpty { field.report("choices", "a choice field needs choices") }
                    lifecycle.fields[name] = .choice(choices)
                default: field.report("type", "\"\(type)\" is not one of \"text\", \"number\", \"date\", \"choice\"")
                }
            }
        }
        if table.hasKey("transition") {
            lifecycle.transitions = table.tables("transition").compactMap { t in
                defer { t.finish() }
                var from: Set<LeadStatus>? = nil
                if let one = t.peekString("from") {
                    _ = t.string("from")
                    if one != "*" { from = status(one, reader: t, key: "from").map { [$0] } ?? [] }
                } else if let list = t.stringArray("from", required: true) {
                    from = Set(list.compactMap { status($0, reader: t, key: "from") })
                }
                guard let toName = t.text("to", required: true), let to = status(toName, reader: t, key: "to") else { return nil }
                var roles = Set(Lifecycle.Role.allCases)
                if let names = t.stringArray("by") {
                    roles = Set(names.compactMap { name in
                        let role = Lifecycle.Role(rawValue: name)
                        if role == nil { t.report("by", "\"\(name)\" is not one of \"owner\", \"supervisor\", \"admin\"") }
                        return role
                    })
                }
                return Lifecycle.Transition(from: from, to: to, roles: roles, reasonRequired: t.bool("reason", default: false))
            }
        }
        if table.hasKey("require") {
            lifecycle.required = [:]
            let require = table.section("require")
            defer { require.finish() }
            for name in require.dataKeys() {
                guard let list = require.stringArray(name, required: true) else { continue }
                guard let target = status(name, reader: require, key: name) else { continue }
                for field in list where !LeadDraft.fieldNames.contains(field) && lifecycle.fields[field] == nil {
                    require.report(name, "\"\(field)\" is neither a lead field nor a [[lifecycle.field]]")
                }
                lifecycle.required[target] = list
            }
        }
        return lifecycle
    }
}
