import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "A demo dataset for trying reports.", subcommands: [Seed.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed leads over the past weeks through the real routing, SLA and lifecycle (deterministic; for a demo database only).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many leads.") var leads: Int = 400
        @Option(help: "Spread over this many days before now.") var days: Int = 28
        @Option(help: "Random seed (the same seed gives the same data).") var seed: UInt64 = 2026
        @Option(help: "Seed as if it were this instant (RFC 3339; default now): the same seed and instant give the same data.")
        var now: String?

        func validate() throws {
            guard (1...100_000).contains(leads) else { throw ValidationError("--leads must be 1...100000") }
            guard (1...365).contains(days) else { throw ValidationError("--days must be 1...365") }
        }

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let engine = try requireRouting(configuration)
            let store = try await openWritableStore(configuration)
            let now = try instant(now) ?? Date()
            try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams, configGeneration: 1, at: now)
            var random = SplitMix(seed: seed)
            let sources = ["web-form", "baidu", "meta-leadgen", "expo", "referral"]
            let provinces = ["上海市", "浙江省", "江苏省", "广东省", "北京市", "四川省"]
            let industries = ["制造业", "零售", "物流", "医疗", "教育"]
            let surnames = Array("王李张刘陈杨黄赵吴周")
            var created = 0
            for i in 0..<leads {
                // Office hours in Shanghai, spread over the days, oldest first.
                let day = Double(days) * Double(i) / Double(leads)
                let at = now.addingTimeInterval(-Double(days) * 86_400 + day * 86_400 + Double(random.next() % 36_000))
                guard at < now.addingTimeInterval(-3_600) else { continue }
                let source = sources[Int(random.next() % UInt64(sources.count))]
                var draft = LeadDraft(
                    name: "\(surnames[Int(random.next() % UInt64(surnames.count))])先生", company: "示例\(i)科技有限公司",
                    email: "demo\(i)@demo-\(i % 97).example.cn", province: provinces[Int(random.next() % UInt64(provinces.count))],
                    industry: industries[Int(random.next() % UInt64(industries.count))], source: source,
                    campaign: source == "baidu" ? "brand-2026" : nil,
                    origin: LeadOrigin(channel: .manual, name: "demo", key: "demo-\(seed)-\(i)"), receivedAt: at)
                draft.message = "演示线索 \(i)"
                let commits = try await store.commitIntakes([IntakeItem(draft: draft, raw: RawCapture(body: []))],
                                                            duplicates: DuplicatePolicy(match: .off), routing: engine, at: at)
                guard let commit = commits.first, case .created(let id) = commit.outcome, let owner = commit.decision?.rep else { continue }
                created += 1
                // Most leads are called, some late; some go on through the lifecycle.
                let roll = random.next() % 100
                guard roll < 85 else { continue }
                let delay = Double(600 + random.next() % (roll < 60 ? 14_400 : 172_800))
                let contactAt = at.addingTimeInterval(delay)
                guard contactAt < now else { continue }
                _ = try await store.recordActivity(ActivityDraft(lead: id, kind: .call, rep: owner, note: "首次电话"), at: contactAt,
                                                   sla: engine.sla, ownedBy: nil, now: contactAt)
                if roll % 3 == 0, contactAt.addingTimeInterval(86_400) < now {
                    _ = try await store.recordActivity(ActivityDraft(lead: id, kind: .email, rep: owner, note: "发送资料"),
                                                       at: contactAt.addingTimeInterval(86_400), sla: engine.sla, ownedBy: nil,
                                                       now: contactAt.addingTimeInterval(86_400))
                }
                let later = contactAt.addingTimeInterval(Double(86_400 + random.next() % 259_200))
                guard later < now else { continue }
                if roll < 30 {
                    let fields = ["industry": draft.industry ?? "制造业", "company_size": String(20 + random.next() % 500),
                                  "decision_maker_title": "采购经理", "budget_range": ["<10万", "10-50万", "50-200万"][Int(random.next() % 3)]]
                    _ = try? await store.changeStatus(id, to: "qualified", fields: fields, reason: nil, actor: .rep(owner),
                                                      lifecycle: configuration.lifecycle, sla: engine.sla, at: later)
                    let won = later.addingTimeInterval(Double(86_400 + random.next() % 432_000))
                    if roll < 12, won < now {
                        _ = try? await store.changeStatus(id, to: "converted", fields: [:], reason: nil, actor: .rep(owner),
                                                          lifecycle: configuration.lifecycle, sla: engine.sla, at: won)
                    }
                } else if roll < 45 {
                    _ = try? await store.changeStatus(id, to: "disqualified", fields: [:], reason: "无需求", actor: .rep(owner),
                                                      lifecycle: configuration.lifecycle, sla: engine.sla, at: later)
                }
            }
            print("seeded \(created) demo leads over \(days) days (try: leadctl report funnel --by source)")
        }
    }
}

/// A small deterministic generator (SplitMix64) for the demo data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
