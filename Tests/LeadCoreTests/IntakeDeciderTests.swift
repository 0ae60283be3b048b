import Foundation
import LeadCore
import Testing

/// `IntakeDecider` without a database: redelivery, re-inquiry (and a contradicting contact that
/// makes a new lead), the duplicate window and match modes, and a form service's address.
@Suite struct IntakeDeciderTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    struct Facts: IntakeFacts {
        var held: [String: LeadID] = [:]
        var forms: [String: Int] = [:]
        /// key:value → open leads (newest first), each with its creation time.
        var open: [String: [(LeadID, DuplicatePolicy.Contact, Date)]] = [:]

        func leadHolding(_ origin: LeadOrigin) throws -> LeadID? { held[origin.key] }
        func formsSent(by address: String) throws -> Int { forms[address] ?? 0 }
        func openLeads(_ key: DuplicateKey, _ value: String, createdSince since: Date) throws -> [(LeadID, DuplicatePolicy.Contact)] {
            (open["\(key.rawValue):\(value)"] ?? []).filter { $0.2 >= since }.map { ($0.0, $0.1) }
        }
    }

    static func item(_ key: String = "k1", email: String? = "wang@example.cn", phone: String? = nil, fromHeader: Bool = false,
                     formSender: String? = nil) -> IntakeItem {
        var draft = LeadDraft(name: "王先生", email: email, phone: phone, origin: LeadOrigin(channel: .maildrop, name: "inbox", key: key),
                              receivedAt: now)
        draft.emailFromHeader = fromHeader
        draft.formSender = formSender
        return IntakeItem(draft: draft, raw: RawCapture(body: []))
    }

    func decide(_ item: IntakeItem, _ facts: Facts, policy: DuplicatePolicy = DuplicatePolicy()) throws -> IntakeDecision {
        try IntakeDecider.decide(item, duplicates: policy, now: Self.now, facts: facts)
    }

    @Test func theSameOriginAgainIsARedeliveryAndTalliesNothing() throws {
        let decision = try decide(Self.item(formSender: "forms@jsj.example"), Facts(held: ["k1": LeadID(4)]))
        #expect(decision.outcome == .redelivered(LeadID(4)) && decision.formSender == nil)
    }

    @Test func theSamePersonWithinTheWindowIsAReinquiry() throws {
        let open = Facts(open: ["email:wang@example.cn": [(LeadID(9), .init(email: "wang@example.cn", phone: nil), Self.now - 86_400)]])
        #expect(try decide(Self.item(), open).outcome == .reinquiry(LeadID(9), matchedOn: .email))
        // Outside the window, or with matching off, or matched on phone only: a new lead.
        #expect(try decide(Self.item(), open, policy: DuplicatePolicy(windowSeconds: 3_600)).outcome == .newLead)
        #expect(try decide(Self.item(), open, policy: DuplicatePolicy(match: .off)).outcome == .newLead)
        #expect(try decide(Self.item(), open, policy: DuplicatePolicy(match: .phone)).outcome == .newLead)
    }

    @Test func aContradictingContactIsAnotherPerson() throws {
        let open = Facts(open: ["email:wang@example.cn": [(LeadID(9), .init(email: "wang@example.cn", phone: "+8613800000001"), Self.now)],
                                "phone:+8613800000002": [(LeadID(11), .init(email: nil, phone: "+8613800000002"), Self.now)]])
        // Same e-mail, another phone: not lead 9; the phone matches lead 11, which has no e-mail to contradict.
        #expect(try decide(Self.item(phone: "+8613800000002"), open).outcome == .reinquiry(LeadID(11), matchedOn: .phone))
        #expect(try decide(Self.item(phone: "+8613800000003"), open).outcome == .newLead)
    }

    @Test func aFormServicesAddressIsNeverThePersonsEmail() throws {
        let open = Facts(forms: ["notify@forms.example": 1],
                         open: ["email:notify@forms.example": [(LeadID(2), .init(email: "notify@forms.example", phone: nil), Self.now)]])
        // Seen once before; this labelled mail from it is the second: the tally reaches the threshold.
        let labelled = Self.item(email: "notify@forms.example", fromHeader: true, formSender: "Notify@Forms.example")
        let decision = try decide(labelled, open)
        #expect(decision.formSender == "notify@forms.example")
        #expect(decision.item.draft.email == nil && decision.item.draft.customFields["form_sender"] == "notify@forms.example")
        #expect(decision.outcome == .newLead, "never merged with another person's lead through the service's address")
        #expect(decision.item.warnings.count == 1)
        // An address typed into the form (not from the header) is kept whatever the tally says.
        let typed = try decide(Self.item(email: "notify@forms.example"), Facts(forms: ["notify@forms.example": 9]))
        #expect(typed.item.draft.email == "notify@forms.example")
        // Below the threshold the header address stays the lead's.
        let once = try decide(Self.item(email: "li@example.cn", fromHeader: true), Facts(forms: ["li@example.cn": 1]))
        #expect(once.item.draft.email == "li@example.cn" && once.item.warnings.isEmpty)
    }
}
