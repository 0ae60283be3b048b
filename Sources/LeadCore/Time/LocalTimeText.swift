import Foundation

/// An instant in a zone as people read it: `2026-12-03 09:30 (Asia/Shanghai)`.
public enum LocalTimeText {
    public static func string(_ date: Date, zone: String) -> String {
        let offset = (TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!).secondsFromGMT(for: date)
        let f = CivilTime.fields(date, offsetSeconds: offset)
        return "\(CivilTime.four(f.year))-\(CivilTime.two(f.month))-\(CivilTime.two(f.day)) \(CivilTime.two(f.hour)):\(CivilTime.two(f.minute)) (\(zone))"
    }
}
