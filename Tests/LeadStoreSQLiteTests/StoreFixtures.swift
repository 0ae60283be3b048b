import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport

let t0 = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30

let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)
let east = Team(id: TeamID("east-china"), name: "华东", members: [zhang.id, li.id], supervisor: .rep(li.id))

func draft(_ key: String, name: String = "王先生", province: String? = "上海市") -> LeadDraft {
    LeadDraft(name: name, company: "上海某某科技有限公司", email: "wang@example.cn", phone: "+8613800138000",
              province: province, industry: "制造业", source: "web-form",
              origin: LeadOrigin(channel: .webhook, name: "site-form", key: key), receivedAt: t0)
}

/// A writer store on a fresh file in a fresh folder.
func withStore(synchronous: SQLiteLeadStore.Synchronous = .full,
               _ body: (SQLiteLeadStore, URL) async throws -> Void) async throws {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    let file = folder.file("state/leadrouter.sqlite")
    let store = try SQLiteLeadStore.openWriter(at: file, synchronous: synchronous)
    try await body(store, file)
}
