import Foundation

/// A horizontal bar chart as a self-contained SVG: labels, bars and their values; no external
/// fonts, scripts or images, so it renders anywhere (Chinese labels use the viewer's CJK font).
public struct BarChart: Hashable, Sendable {
    public struct Bar: Hashable, Sendable {
        public var label: String
        public var value: Double
        public var text: String
        public init(label: String, value: Double, text: String) { self.label = label; self.value = value; self.text = text }
    }

    public var title: String
    public var bars: [Bar]

    public init(title: String, bars: [Bar]) { self.title = title; self.bars = bars }

    /// One bar per row of `report`, sized by the column `key`.
    public init(report: Report, title: String, value key: String, label: (([Report.Value]) -> String)? = nil) {
        let index = report.columns.firstIndex { $0.key == key } ?? 1
        self.title = title
        bars = report.rows.map { row in
            let value: Double = switch row[index] {
            case .count(let count): Double(count)
            case .seconds(let seconds): Double(seconds ?? 0)
            case .ratio(let ratio): ratio ?? 0
            case .text: 0
            }
            let name = label?(row) ?? row.prefix(while: { if case .text = $0 { true } else { false } }).map(\.display).joined(separator: " ")
            return Bar(label: name, value: value, text: row[index].display)
        }
    }

    public var svg: String {
        let rowHeight = 28, top = 44, labelWidth = 200, barWidth = 420, width = labelWidth + barWidth + 110
        let height = top + rowHeight * max(bars.count, 1) + 16
        let maximum = max(bars.map(\.value).max() ?? 0, 1e-9)
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="14">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="16" y="26" font-size="16" font-weight="bold" fill="#222222">\(Self.escape(title))</text>

        """
        for (i, bar) in bars.enumerated() {
            let y = top + i * rowHeight
            let length = Int((bar.value / maximum * Double(barWidth)).rounded())
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\" fill=\"#333333\">\(Self.escape(bar.label))</text>\n"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(max(length, 1))\" height=\"\(rowHeight - 8)\" fill=\"#3b7dd8\"/>\n"
            out += "<text x=\"\(labelWidth + max(length, 1) + 6)\" y=\"\(y + 18)\" fill=\"#333333\">\(Self.escape(bar.text))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
