import Foundation

/// Assignments per rep in the window, open leads now, and each team's spread (most − fewest).
public enum DistributionReport {
    public struct Row: Hashable, Sendable {
        public var team: String
        public var rep: String
        public var assigned: Int
        public var open: Int

        public init(team: String, rep: String, assigned: Int, open: Int) {
            self.team = team; self.rep = rep; self.assigned = assigned; self.open = open
        }
    }

    /// `rows` in team, rep order; `held`: leads waiting in the held queue.
    public static func build(_ rows: [Row], held: Int) -> Report {
        let byTeam = Dictionary(grouping: rows, by: \.team)
        let values = rows.map { row -> [Report.Value] in
            let counts = byTeam[row.team]!.map(\.assigned)
            return [.text(row.team), .text(row.rep), .count(row.assigned), .ratio(row.assigned, of: counts.reduce(0, +)),
                    .count(row.open), .count(counts.max()! - counts.min()!)]
        } + (held > 0 ? [[.text("(held)"), .text("-"), .count(held), .ratio(nil), .count(held), .count(0)]] : [])
        return Report(name: "distribution", columns: [.init("team", .text), .init("rep", .text), .init("assigned", .count),
                                                      .init("share", .ratio), .init("open", .count), .init("team_spread", .count)], rows: values)
    }
}
