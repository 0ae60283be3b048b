import Foundation

/// The bar chart of a report that has one (funnel, response, dwell), for `leadctl report --svg` and
/// the console's reports page.
public enum ReportCharts {
    public static let names: Set<String> = ["funnel", "response", "dwell"]

    /// The chart of `report` (named `name`), nil for a report without one.
    public static func chart(_ name: String, _ report: Report) -> BarChart? {
        switch name {
        case "funnel":
            // One bar per status of the first group: how many leads reached it.
            let row = report.rows.first ?? []
            let bars = report.columns.enumerated().filter { $0.element.kind == .count }.map { index, column in
                BarChart.Bar(label: column.key, value: Double({ if case .count(let c) = row[index] { c } else { 0 } }()), text: row[index].display)
            }
            return BarChart(title: "Funnel 漏斗" + (report.rows.count > 1 ? " (\(row.first?.display ?? ""))" : ""), bars: bars)
        case "dwell":
            return BarChart(report: report, title: "Median time in status 各阶段停留时间（中位数）", value: "median")
        case "response":
            return BarChart(report: report, title: "First contact, median business time 首次联系用时（工作时间中位数）", value: "business_median")
        default:
            return nil
        }
    }
}
