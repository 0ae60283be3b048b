import Foundation
import LeadCore
import Testing

/// Issue 14 item 8: lead data in `report --csv` never becomes a spreadsheet formula.
@Suite struct ReportCSVTests {
    @Test func cellsThatWouldBeFormulasAreQuoted() {
        let report = Report(name: "sources", columns: [.init("source", .text), .init("leads", .count)],
                            rows: [[.text("=HYPERLINK(\"http://evil.example\",\"x\")"), .count(3)], [.text("+86 138"), .count(1)],
                                   [.text("-1+1"), .count(2)], [.text("@SUM(A1)"), .count(4)], [.text("\tx"), .count(5)],
                                   [.text("web-form"), .count(6)]])
        let lines = report.csv.split(separator: "\r\n").map(String.init)
        #expect(lines[1] == "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",3")
        #expect(lines[2] == "'+86 138,1")
        #expect(lines[3] == "'-1+1,2")
        #expect(lines[4] == "'@SUM(A1),4")
        #expect(lines[5] == "'\tx,5")
        #expect(lines[6] == "web-form,6")
    }
}
