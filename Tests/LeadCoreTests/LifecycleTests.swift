import Foundation
import LeadCore
import Testing

/// The standard lifecycle's transition table.
@Suite struct LifecycleTests {
    let lifecycle = Lifecycle.standard
    let qualifying = ["industry": "制造业", "company_size": "200", "decision_maker_title": "采购总监", "budget_range": "10-50万"]

    @Test(arguments: [
        (LeadStatus.new, LeadStatus.contacted, Lifecycle.Role.owner, nil as String?, nil as Lifecycle.Refusal?),
        (.contacted, .qualified, .supervisor, nil, nil),
        (.qualified, .contacted, .owner, nil, nil),                                   // the way back
        (.qualified, .converted, .admin, nil, nil),
        (.new, .qualified, .owner, nil, .notAllowed(from: .new, to: .qualified, reachable: [.contacted, .disqualified])),
        (.converted, .contacted, .admin, nil, .notAllowed(from: .converted, to: .contacted, reachable: [])),
        (.contacted, .disqualified, .owner, nil, .reasonRequired(.disqualified)),
        (.contacted, .disqualified, .owner, "  ", .reasonRequired(.disqualified)),
        (.new, .disqualified, .owner, "空号", nil),
    ])
    func transitions(from: LeadStatus, to: LeadStatus, role: Lifecycle.Role, reason: String?, expected: Lifecycle.Refusal?) {
        #expect(lifecycle.check(from: from, to: to, role: role, values: qualifying, reason: reason) == expected)
    }

    @Test func qualifyingNeedsTheSeedsFieldsAndSaysWhichAreMissing() {
        let refusal = lifecycle.check(from: .contacted, to: .qualified, role: .owner, values: ["industry": "制造业"], reason: nil)
        #expect(refusal == .missingFields(.qualified, ["company_size", "decision_maker_title", "budget_range"]))
        #expect(refusal?.description == "qualified requires: company_size, decision_maker_title, budget_range")
        #expect(refusal?.isAboutFields == true)
    }

    @Test func typedFieldsAreChecked() {
        var values = qualifying
        values["company_size"] = "很多"
        values["budget_range"] = "1亿"
        #expect(lifecycle.check(from: .contacted, to: .qualified, role: .owner, values: values, reason: nil) == .invalidFields([
            "budget_range must be one of <10万, 10-50万, 50-200万, >200万, not \"1亿\"", "company_size must be a number, not \"很多\"",
        ]))
    }

    @Test func aRoleCanBeLeftOut() {
        var custom = lifecycle
        custom.transitions = [Lifecycle.Transition(from: [.qualified], to: .converted, roles: [.supervisor, .admin])]
        #expect(custom.check(from: .qualified, to: .converted, role: .owner, values: [:], reason: nil)
                == .wrongRole(to: .converted, role: .owner, allowed: [.supervisor, .admin]))
        #expect(custom.check(from: .qualified, to: .converted, role: .supervisor, values: [:], reason: nil) == nil)
    }
}
