import Foundation
import LeadCore

/// `[routing]` and `[[rule]]`.
/// - `routing.default` (team or rep id; required once a team exists): where leads no rule takes go.
/// - `routing.zone` (IANA zone, default `"Asia/Shanghai"`): local day and week of caps for reps
///   without a schedule.
/// - `routing.free_mail_domains` (array): domains owner matching ignores (default: qq.com, 163.com,
///   126.com, sina.com, gmail.com, outlook.com, …).
///
/// `[[rule]]`, in order, first match wins:
/// - `name` (string, required, unique); `team` or `rep` (the target, one of them, required);
///   `owner_matching` (boolean, default false): a returning customer goes to their earlier owner.
/// - criteria, all of which must hold: a lead field (`province`, `city`, `industry`, `source`,
///   `campaign`, `email`, …, or `"custom:NAME"`) or `region` (a `[regions]` group), with a string
///   (equals), an array (one of), or a table: `{ prefix = "…" }`, `{ regex = "…" }`,
///   `{ exists = true }`, `{ gt | gte | lt | lte = N }`; and `arrival = { days = "mon-fri",
///   hours = "09:00-18:00", zone = "Asia/Shanghai" }`.
public struct RoutingConfiguration: Sendable, Equatable {
    public var table: RoutingTable?
    public var zone: String

    public init(table: RoutingTable? = nil, zone: String = "Asia/Shanghai") { self.table = table; self.zone = zone }

    static func decode(_ root: TableReader, directory: DirectoryConfiguration, regions: RegionGroups) -> RoutingConfiguration {
        let section = root.section("routing")
        defer { section.finish() }
        let reps = Set(directory.reps.map(\.id))
        let teams = Set(directory.teams.map(\.id))
        func target(_ id: String, reader: TableReader, key: String) -> RoutingTarget? {
            if teams.contains(TeamID(id)) { return .team(TeamID(id)) }
            if reps.contains(RepID(id)) { return .rep(RepID(id)) }
            reader.report(key, "\"\(id)\" is neither a team nor a rep")
            return nil
        }
        var zone = "Asia/Shanghai"
        if let text = section.text("zone") {
            if TimeZone(identifier: text) != nil { zone = text } else { section.report("zone", "\"\(text)\" is not an IANA time zone") }
        }
        var free = RoutingTable.defaultFreeMailDomains
        if let domains = section.stringArray("free_mail_domains") { free = Set(domains.map { $0.lowercased() }) }
        let defaultTarget = section.text("default", required: !directory.teams.isEmpty).flatMap { target($0, reader: section, key: "default") }

        var rules: [RoutingRule] = []
        var names: Set<String> = []
        for table in root.tables("rule") {
            defer { table.finish() }
            guard let name = table.text("name", required: true) else { continue }
            if !names.insert(name).inserted { table.report("name", "duplicate rule name \"\(name)\"") }
            let teamID = table.text("team")
            let repID = table.text("rep")
            var ruleTarget: RoutingTarget? = nil
            switch (teamID, repID) {
            case (let t?, nil): ruleTarget = teams.contains(TeamID(t)) ? .team(TeamID(t)) : nil
                if ruleTarget == nil { table.report("team", "rule \"\(name)\": unknown team \"\(t)\"") }
            case (nil, let r?): ruleTarget = reps.contains(RepID(r)) ? .rep(RepID(r)) : nil
                if ruleTarget == nil { table.report("rep", "rule \"\(name)\": unknown rep \"\(r)\"") }
            case (nil, nil): table.report("team", "rule \"\(name)\" needs a team or a rep")
            default: table.report("rep", "rule \"\(name)\" names both a team and a rep")
            }
            let ownerMatching = table.bool("owner_matching", default: false)
            let criteria = table.dataKeys(excluding: ["name", "team", "rep", "owner_matching"])
                .compactMap { key in criterion(key, table: table, rule: name, regions: regions) }
            guard let ruleTarget else { continue }
            let rule = RoutingRule(name: name, criteria: criteria, target: ruleTarget, ownerMatching: ownerMatching)
            if let earlier = rules.first(where: { rule.isShadowed(by: $0) }) {
                table.report("name", "rule \"\(name)\" can never match: rule \"\(earlier.name)\" before it matches every lead it would")
            }
            rules.append(rule)
        }
        guard let defaultTarget else { return RoutingConfiguration(table: nil, zone: zone) }
        return RoutingConfiguration(table: RoutingTable(rules: rules, defaultTarget: defaultTarget, regions: regions,
                                                        freeMailDomains: free), zone: zone)
    }

    static func criterion(_ key: String, table: TableReader, rule: String, regions: RegionGroups) -> Criterion? {
        let attribute: LeadAttribute
        if key == "region" {
            attribute = .region
        } else if key == "arrival" {
            let spec = table.section("arrival")
            defer { spec.finish() }
            let zone = spec.text("zone") ?? "Asia/Shanghai"
            if TimeZone(identifier: zone) == nil { spec.report("zone", "\"\(zone)\" is not an IANA time zone") }
            let days = spec.text("days").map { text -> [Int] in
                BusinessCalendar.parseDays(text) ?? { spec.report("days", "\"\(text)\" is not days like \"mon-fri\" or \"sat,sun\""); return [] }()
            } ?? Array(1...7)
            let hours = spec.text("hours").map { text -> BusinessCalendar.Period in
                BusinessCalendar.parsePeriod(text) ?? { spec.report("hours", "\"\(text)\" is not hours like \"09:00-18:00\""); return .init(start: 0, end: 1440) }()
            } ?? .init(start: 0, end: 1440)
            return Criterion(.arrival(zone: zone), .during(days: days, start: hours.start, end: hours.end))
        } else if let field = LeadField(configName: key) {
            attribute = .field(field)
        } else {
            table.report(key, "rule \"\(rule)\": \"\(key)\" is not a lead field, region or arrival")
            return nil
        }
        // Province values are compared in canonical form, region names must exist.
        func canonical(_ value: String) -> String {
            if case .field(.province) = attribute { return ProvinceCatalog.canonical(value) ?? value }
            if case .region = attribute, regions.groups[value] == nil {
                table.report(key, "rule \"\(rule)\": unknown region \"\(value)\" (groups: \(regions.groups.keys.sorted().joined(separator: ", ")))")
            }
            return value
        }
        if let text = table.peekString(key) {
            _ = table.string(key)
            return Criterion(attribute, .equals(canonical(text)))
        }
        if let list = table.peekArray(key) {
            _ = list
            return table.stringArray(key).map { Criterion(attribute, .oneOf($0.map(canonical))) }
        }
        let spec = table.section(key)
        defer { spec.finish() }
        if let prefix = spec.text("prefix") { return Criterion(attribute, .prefix(prefix)) }
        if let pattern = spec.string("regex") {
            do { return Criterion(attribute, .regex(try CompiledPattern(pattern))) } catch {
                spec.report("regex", "rule \"\(rule)\": /\(pattern)/ is not a valid regular expression")
                return nil
            }
        }
        if spec.hasKey("exists") { return Criterion(attribute, .exists(spec.bool("exists", default: true))) }
        for op in [Condition.Comparison.gt, .gte, .lt, .lte] where spec.hasKey("\(op)") {
            if let number = spec.number("\(op)") { return Criterion(attribute, .compare(op, number)) }
            return nil
        }
        table.report(key, "rule \"\(rule)\": use a string, an array, or one of prefix, regex, exists, gt, gte, lt, lte")
        return nil
    }
}

extension DaemonConfiguration {
    /// The pure routing engine for this configuration, or nil when no `[routing]` is set.
    public var routingEngine: RoutingEngine? {
        routing.table.map {
            var engine = RoutingEngine(table: $0, reps: directory.reps, teams: directory.teams, defaultZone: routing.zone,
                                       sla: sla.isEmpty ? nil : SLAPlan(policies: sla, calendars: calendars, regions: intake.regions))
            engine.notices = AssignmentNotices(notifyOwner: mail.notifyOwner, welcomeSources: mail.welcomeSources)
            engine.events = EventSubscriptions(channels.filter { $0.kind == .webhook }.map { ($0.name, $0.events) })
            return engine
        }
    }
}
