import Foundation
import LeadCore

/// The lead page's status forms: one per status the lead may move to, each with the fields that
/// status requires (prefilled with the lead's values, typed as the lifecycle declares them) and a
/// reason field marked required when the transition needs one.
extension ConsoleAPI {
    static func statusMoves(from lead: Lead, lifecycle: Lifecycle) -> [[String: Any]] {
        let values = lead.draft.fieldValues
        return lifecycle.reachable(from: lead.status).map { target -> [String: Any] in
            let fields = (lifecycle.required[target] ?? []).map { name -> [String: Any] in
                var field: [String: Any] = ["name": name, "value": values[name] ?? "", "type": "text"]
                switch lifecycle.fields[name] {
                case .number: field["type"] = "text"; field["inputmode"] = "decimal"
                case .date: field["type"] = "date"
                case .choice(let options):
                    field["options"] = true
                    field["choices"] = ([""] + options).map { ["value": $0, "selected": $0 == values[name]] }
                case .text, nil: break
                }
                return field
            }
            let reasonRequired = lifecycle.transitions.contains { $0.to == target && ($0.from?.contains(lead.status) ?? true) && $0.reasonRequired }
            return ["to": target.rawValue, "fields": fields, "reasonRequired": reasonRequired]
        }
    }
}
