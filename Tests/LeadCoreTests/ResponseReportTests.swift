import Foundation
import LeadCore
import Testing

/// The response report's arithmetic on facts, without a store.
@Suite struct ResponseReportTests {
    @Test func mediansAndTheShareMetComeFromTheFacts() {
        let now = Date(timeIntervalSince1970: 10_000)
        let facts: [ResponseReport.Fact] = [
            .init(assigned: 0, contacted: 600, state: .met, due: 3_600, policy: nil),
            .init(assigned: 0, contacted: 1_800, state: .met, due: 3_600, policy: nil),
            .init(assigned: 0, contacted: 7_200, state: .missed, due: 3_600, policy: nil),
            .init(assigned: 0, contacted: nil, state: .pending, due: 9_000, policy: nil),     // overdue: judged, not met
            .init(assigned: 0, contacted: nil, state: .pending, due: 20_000, policy: nil),    // not yet due: not judged
            .init(assigned: nil, contacted: nil, state: nil, due: nil, policy: nil),           // never assigned
        ]
        let report = ResponseReport.build(groups: [("east", facts)], groupTitle: "team", plan: nil, now: now)
        #expect(report.columns.first?.key == "team")
        let row = report.rows[0]
        #expect(row[0] == .text("east"))
        #expect(row[1] == .count(5) && row[2] == .count(3))
        #expect(row[3] == .seconds(1_800), "wall median of 600, 1800, 7200")
        #expect(row[5] == .seconds(1_800), "without a business-clock policy, business time is wall time")
        #expect(row[7] == .ratio(2, of: 4))
    }
}
