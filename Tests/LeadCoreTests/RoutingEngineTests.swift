import Foundation
import LeadCore
import LeadTestSupport
import Testing

let monday10 = ISO8601DateFormatter().date(from: "2026-11-30T02:00:00Z")!      // Mon 10:00 in Shanghai

func rep(_ id: String, weight: Int = 1, active: Bool = true, leave: String? = nil, maxPerDay: Int? = nil,
         maxOpen: Int? = nil, shift: String? = nil) -> Rep {
    var schedule: BusinessCalendar? = nil
    if let shift {
        let period = BusinessCalendar.parsePeriod(shift)!
        schedule = .weekly(zone: "Asia/Shanghai", periods: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [period]) }))
    }
    return Rep(id: RepID(id), name: id, email: EmailAddress(rawValue: "\(id)@example.com")!, active: active,
               routing: RepRouting(weight: weight, schedule: schedule, leaves: leave.map { [LeavePeriod.parse($0)!] } ?? [],
                                   maxOpen: maxOpen, maxPerDay: maxPerDay))
}

func team(_ id: String, _ members: [Rep], strategy: RoutingStrategy = .roundRobin, overflow: Overflow = .hold) -> Team {
    Team(id: TeamID(id), name: id, members: members.map(\.id), supervisor: .address(EmailAddress(rawValue: "boss@example.com")!),
         routing: TeamRouting(strategy: strategy, overflow: overflow))
}

func lead(province: String? = "上海市", source: String? = "web-form", industry: String? = nil, at: Date = monday10) -> LeadDraft {
    LeadDraft(email: "x@example.cn", province: province, industry: industry, source: source,
              origin: LeadOrigin(channel: .webhook, name: "w", key: UUID().uuidString), receivedAt: at)
}

/// Routes `count` leads one after another, carrying state and loads as the store would.
func run(_ engine: RoutingEngine, count: Int, now: Date = monday10) -> [RepID: Int] {
    var states: [TeamID: TeamState] = [:]
    var loads: [RepID: RepLoad] = [:]
    var counts: [RepID: Int] = [:]
    for _ in 0..<count {
        let decision = engine.route(lead(), states: states, loads: loads, now: now)
        guard let chosen = decision.rep else { continue }
        counts[chosen, default: 0] += 1
        loads[chosen, default: RepLoad()].today += 1
        loads[chosen, default: RepLoad()].open += 1
        if let (team, state) = decision.newState { states[team] = state }
    }
    return counts
}

@Suite struct RoutingEngineTests {
    /// Counting a rep's open leads is the store's most expensive read (found by the 1,000,000-lead
    /// benchmark: every decision counted every member's leads). It happens only when an answer needs it.
    @Test func loadsAreReadOnlyForCapsAndLeastLoaded() {
        func reads(_ members: [Rep], strategy: RoutingStrategy = .roundRobin) -> Int {
            let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members,
                                       teams: [team("t", members, strategy: strategy)])
            var count = 0
            let decision = engine.route(lead(), state: { _ in TeamState() }, load: { _ in count += 1; return RepLoad() }, now: monday10)
            #expect(decision.rep != nil)
            return count
        }
        #expect(reads([rep("a"), rep("b"), rep("c")]) == 0)
        #expect(reads([rep("a", maxOpen: 5), rep("b"), rep("c", maxPerDay: 3)]) == 2)
        #expect(reads([rep("a"), rep("b"), rep("c")], strategy: .leastLoaded) == 3)
    }

    @Test(arguments: [
        ("2026-10-01T10:00:00+08:00", "off shift (calendar cn)"),   // National Day
        ("2026-10-10T10:00:00+08:00", nil),                          // the adjusted Saturday workday
        ("2026-10-09T12:30:00+08:00", "off shift (calendar cn)"),   // lunch
        ("2026-10-09T13:30:00+08:00", nil),
    ])
    func aRepOnABusinessCalendarIsOnShiftWhenItIsOpen(at: String, reason: String?) {
        var onCalendar = rep("cal")
        onCalendar.routing.calendar = china
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: [onCalendar],
                                   teams: [team("t", [onCalendar])])
        let teamT = engine.teams[TeamID("t")]
        #expect(engine.ineligibility(onCalendar.id, team: teamT, load: RepLoad(), now: iso(at)) == reason)
    }

    @Test(arguments: [(1, 7), (2, 9), (3, 90), (5, 101), (7, 1000)])
    func roundRobinCountsDifferByAtMostOne(reps k: Int, leads n: Int) {
        let members = (0..<k).map { rep("r\($0)") }
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members, teams: [team("t", members)])
        let counts = run(engine, count: n)
        #expect(counts.values.reduce(0, +) == n)
        #expect(counts.values.max()! - counts.values.min()! <= 1)
        #expect(counts.count == k)
    }

    @Test func ninetyLeadsToThreeRepsAreThirtyEach() {
        let members = [rep("a"), rep("b"), rep("c")]
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members, teams: [team("t", members)])
        #expect(run(engine, count: 90) == [RepID("a"): 30, RepID("b"): 30, RepID("c"): 30])
    }

    @Test func weightedRoundRobinMatchesWeightsInEveryCycleInterleaved() {
        let members = [rep("one", weight: 1), rep("three", weight: 3)]
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members,
                                   teams: [team("t", members, strategy: .weightedRoundRobin)])
        var states: [TeamID: TeamState] = [:]
        var sequence: [String] = []
        for _ in 0..<40 {
            let d = engine.route(lead(), states: states, loads: [:], now: monday10)
            sequence.append(d.rep!.rawValue)
            states[d.newState!.0] = d.newState!.1
        }
        for cycle in stride(from: 0, to: 40, by: 4) {
            let window = sequence[cycle..<cycle + 4]
            #expect(window.filter { $0 == "one" }.count == 1)
            #expect(window.filter { $0 == "three" }.count == 3)
        }
        // Interleaved, not in blocks: "three" never three times in a row across cycle boundaries either.
        let joined = sequence.joined(separator: ",")
        #expect(!joined.contains("three,three,three,three"))
        #expect(Array(sequence.prefix(4)) == ["three", "one", "three", "three"] || Array(sequence.prefix(4)) == ["three", "three", "one", "three"])
    }

    @Test func aRepOnLeaveGetsNothingAndTheOthersStayFair() {
        let members = [rep("a"), rep("b", leave: "2026-11-28..2026-12-02"), rep("c")]
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members, teams: [team("t", members)])
        let counts = run(engine, count: 50)
        #expect(counts[RepID("b")] == nil)
        #expect(abs(counts[RepID("a")]! - counts[RepID("c")]!) <= 1)
        let decision = engine.route(lead(), states: [:], loads: [:], now: monday10)
        #expect(decision.considered.contains(RoutingCandidate(rep: RepID("b"), eligible: false, reason: "on leave 2026-11-28..2026-12-02")))
    }

    @Test func capsAreNeverExceeded() {
        let members = [rep("a", maxPerDay: 3), rep("b", maxPerDay: 5)]
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members, teams: [team("t", members)])
        let counts = run(engine, count: 20)
        #expect(counts == [RepID("a"): 3, RepID("b"): 5])
    }

    @Test func offShiftAndInactiveRepsAreSkippedWithReasons() {
        let members = [rep("night", shift: "20:00-23:00"), rep("gone", active: false), rep("day", shift: "09:00-18:00")]
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members, teams: [team("t", members)])
        let decision = engine.route(lead(), states: [:], loads: [:], now: monday10)
        #expect(decision.rep == RepID("day"))
        #expect(decision.considered.map(\.reason) == ["off shift", "inactive", "next in rotation"])
    }

    @Test func leastLoadedTakesTheFewestOpenThenRotation() {
        let members = [rep("a"), rep("b"), rep("c")]
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members,
                                   teams: [team("t", members, strategy: .leastLoaded)])
        let loads = [RepID("a"): RepLoad(open: 4), RepID("b"): RepLoad(open: 2), RepID("c"): RepLoad(open: 2)]
        #expect(engine.route(lead(), states: [:], loads: loads, now: monday10).rep == RepID("b"))
        let state = TeamState(sequence: 1, lastAssigned: [RepID("b"): 1])
        #expect(engine.route(lead(), states: [TeamID("t"): state], loads: loads, now: monday10).rep == RepID("c"))
    }

    @Test func overflowToTheNextTeamThenHold() {
        let east = [rep("e1", leave: "2026-11-01..2026-12-31")]
        let south = [rep("s1", active: false)]
        let engine = RoutingEngine(
            table: RoutingTable(rules: [], defaultTarget: .team(TeamID("east"))), reps: east + south,
            teams: [team("east", east, overflow: .nextTeam(TeamID("south"))), team("south", south, overflow: .hold)])
        let decision = engine.route(lead(), states: [:], loads: [:], now: monday10)
        #expect(decision.rep == nil)
        #expect(decision.teamsTried == [TeamID("east"), TeamID("south")])
        #expect(decision.holdReason == "nobody eligible in team south")
    }

    @Test func aRepJoiningKeepsTheRotationFair() {
        var members = [rep("a"), rep("b")]
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("t"))), reps: members, teams: [team("t", members)])
        var states: [TeamID: TeamState] = [:]
        var sequence: [String] = []
        for i in 0..<9 {
            if i == 3 {                                   // c joins after a, b, a
                members.append(rep("c"))
                engine = RoutingEngine(table: engine.table, reps: members, teams: [team("t", members)])
            }
            let d = engine.route(lead(), states: states, loads: [:], now: monday10)
            sequence.append(d.rep!.rawValue)
            states[d.newState!.0] = d.newState!.1
        }
        #expect(sequence == ["a", "b", "a", "c", "b", "a", "c", "b", "a"])
        for (x, y) in zip(sequence, sequence.dropFirst()) { #expect(x != y) }
    }
}

@Suite struct RoutingTableTests {
    let table = RoutingTable(rules: [
        RoutingRule(name: "manufacturing", criteria: [Criterion(.field(.industry), .prefix("制造"))], target: .team(TeamID("industry"))),
        RoutingRule(name: "ads", criteria: [Criterion(.field(.source), .oneOf(["meta-leadgen", "google-ads"]))], target: .team(TeamID("ads"))),
        RoutingRule(name: "east", criteria: [Criterion(.region, .equals("华东"))], target: .team(TeamID("east"))),
        RoutingRule(name: "guangdong", criteria: [Criterion(.field(.province), .equals("广东省"))], target: .team(TeamID("south"))),
    ], defaultTarget: .team(TeamID("general")))

    @Test(arguments: [
        ("上海市", "web-form", nil as String?, "east"),
        ("浙江省", "google-ads", nil, "ads"),
        ("广东省", "web-form", "制造业", "manufacturing"),
        ("广东省", "email", nil, "guangdong"),
        ("北京市", "email", nil, nil),
        (nil, "email", nil, nil),
    ])
    func firstMatchWinsAndTheDefaultCatchesTheRest(province: String?, source: String, industry: String?, expected: String?) {
        let (rule, trace) = table.match(lead(province: province, source: source, industry: industry))
        #expect(rule?.name == expected)
        #expect(trace.filter(\.matched).count == (expected == nil ? 0 : 1))
    }

    @Test func theTraceSaysWhyEarlierRulesFailed() {
        let (_, trace) = table.match(lead(province: "广东省", source: "email"))
        #expect(trace.map(\.failed) == [
            "industry is (none), not starts with 制造",
            "source is email, not one of [meta-leadgen, google-ads]",
            "region is 华南, not = 华东",
            nil,
        ])
    }

    @Test func numericRegexExistsAndArrivalCriteria() throws {
        var draft = lead()
        draft.customFields["employees"] = "1,200"
        draft.phone = "+8613800138000"
        #expect(table.failure(of: Criterion(.field(.custom("employees")), .compare(.gte, 1000)), for: draft) == nil)
        #expect(table.failure(of: Criterion(.field(.custom("employees")), .compare(.lt, 1000)), for: draft) != nil)
        #expect(table.failure(of: Criterion(.field(.phone), .regex(try CompiledPattern("^\\+86"))), for: draft) == nil)
        #expect(table.failure(of: Criterion(.field(.campaign), .exists(false)), for: draft) == nil)
        let office = Criterion(.arrival(zone: "Asia/Shanghai"), .during(days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60))
        #expect(table.failure(of: office, for: draft) == nil)
        #expect(table.failure(of: office, for: lead(at: monday10 + 9 * 3600)) != nil)      // 19:00
    }

    @Test func aRuleWhoseCriteriaIncludeAnEarlierRulesIsShadowed() {
        let broad = RoutingRule(name: "east", criteria: [Criterion(.region, .equals("华东"))], target: .team(TeamID("a")))
        let narrow = RoutingRule(name: "east web", criteria: [Criterion(.region, .equals("华东")), Criterion(.field(.source), .equals("web"))], target: .team(TeamID("b")))
        #expect(narrow.isShadowed(by: broad))
        #expect(!broad.isShadowed(by: narrow))
    }
}

@Suite struct CompanyNameTests {
    @Test(arguments: [
        ("上海某某科技有限公司", "上海某某科技"), ("上海某某科技", "上海某某科技"), ("上海 某某科技（集团）股份有限公司", "上海某某科技"),
        ("Acme Co., Ltd.", "acme"), ("ACME Inc", "acme"), ("Acme Corporation", "acme"),
    ])
    func legalFormsAndPunctuationAreIgnored(name: String, key: String) {
        #expect(CompanyName.key(name) == key)
    }

    @Test func tooShortIsNoKey() {
        #expect(CompanyName.key("有限公司") == nil || CompanyName.key("有限公司")!.count >= 2)
        #expect(CompanyName.key("A") == nil)
    }
}
