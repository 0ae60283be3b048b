import Foundation

/// An instant in a zone as people read it: `2026-12-03 09:30 (Asia/Shanghai)`.
public enum LocalTimeText {
    public static func string(_ date: Date, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return "\(formatter.string(from: date)) (\(zone))"
    }
}
