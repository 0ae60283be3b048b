import Foundation
import LeadCore

/// The directory, leads and routing the conformance tests share (no store-specific code here).
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30
    static let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
    static let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)
    static let east = Team(id: TeamID("east-china"), name: "华东", members: [zhang.id, li.id], supervisor: .rep(li.id))
    /// Routes every lead to `east` and mails the new owner.
    static let engine: RoutingEngine = {
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(east.id)), reps: [zhang, li], teams: [east])
        engine.notices = AssignmentNotices(notifyOwner: true)
        return engine
    }()

    static func draft(_ key: String, email: String = "wang@example.cn", phone: String? = nil) -> LeadDraft {
        LeadDraft(name: "王先生", company: "上海某某科技有限公司", email: email, phone: phone,
                  province: "上海市", industry: "制造业", source: "web-form",
                  origin: LeadOrigin(channel: .webhook, name: "site-form", key: key), receivedAt: t0)
    }

    static func item(_ key: String, email: String = "wang@example.cn", phone: String? = nil) -> IntakeItem {
        IntakeItem(draft: draft(key, email: email, phone: phone), raw: RawCapture(body: Array("{\"k\":\"\(key)\"}".utf8)))
    }

    /// The directory synced and `count` leads routed at `t0`: each queues its owner's notice.
    /// `keys`' items committed and routed by `engine`, its directory synced first.
    static func routed(_ keys: [String], engine: RoutingEngine, in store: any ConformingStore) async throws -> [IntakeCommit] {
        try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        return try await store.commitIntakes(keys.map { item($0) }, duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0)
    }

    static func routedLeads(_ count: Int, in store: any ConformingStore) async throws -> [IntakeCommit] {
        try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        let items = (0..<count).map { item("lead-\($0)", email: "wang\($0)@example.cn") }
        return try await store.commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0)
    }
}
