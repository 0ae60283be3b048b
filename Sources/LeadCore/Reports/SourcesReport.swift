import Foundation

/// Per source and campaign: leads, re-inquiries, and the share reaching qualified and converted.
public enum SourcesReport {
    public struct Row: Hashable, Sendable {
        public var source: String, campaign: String
        public var leads: Int, reinquiries: Int, qualified: Int, converted: Int

        public init(source: String, campaign: String, leads: Int, reinquiries: Int, qualified: Int, converted: Int) {
            self.source = source; self.campaign = campaign; self.leads = leads; self.reinquiries = reinquiries
            self.qualified = qualified; self.converted = converted
        }
    }

    /// `rows` in the store's order (most leads first, then source and campaign).
    public static func build(_ rows: [Row]) -> Report {
        Report(name: "sources", columns: [.init("source", .text), .init("campaign", .text), .init("leads", .count),
                                          .init("reinquiries", .count), .init("qualified_rate", .ratio), .init("converted_rate", .ratio)],
               rows: rows.map { row in
                   [.text(row.source), .text(row.campaign), .count(row.leads), .count(row.reinquiries),
                    .ratio(row.qualified, of: row.leads), .ratio(row.converted, of: row.leads)]
               })
    }
}
