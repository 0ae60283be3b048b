import Foundation

/// Instants as RFC 3339 text in UTC (`2026-10-02T09:00:00Z`), for logs, JSON and the CLI.
public enum RFC3339Text {
    /// `2026-11-30T02:00:00Z` (UTC, whole seconds).
    public static func string(_ date: Date) -> String {
        let f = CivilTime.fields(date)
        return "\(CivilTime.four(f.year))-\(CivilTime.two(f.month))-\(CivilTime.two(f.day))T"
            + "\(CivilTime.two(f.hour)):\(CivilTime.two(f.minute)):\(CivilTime.two(f.second))Z"
    }

    /// Parses an RFC 3339 `date-time` (§5.6): `2026-12-04T17:00:00+08:00`, `…Z`, with fractional
    /// seconds kept exactly (`09:00:00.5`), `T`/`Z` in either case (§5.6 NOTE) or a space for `T`.
    /// Anything else is nil: a missing offset, `+0800` (ISO 8601 basic, not RFC 3339), a day that
    /// does not exist, hours past 23 or offsets past ±23:59. A leap second (`:60`) is read as the
    /// next second's start.
    public static func date(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var value = 0
            for k in i..<(i + n) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                value = value * 10 + Int(b[k] - 0x30)
            }
            i += n
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard i < b.count, characters.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
              expect("Tt "), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2)
        else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            var scale = 0.1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else {
            guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hours = digits(2), expect(":"), let minutes = digits(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3_600 + minutes * 60)
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= CivilTime.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        let days = CivilTime.daysFromEpoch(year: year, month: month, day: day)
        let seconds = Double(days) * 86_400 + Double(hour * 3_600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// RFC 3339 in UTC that never shows an instant earlier than it is: whole seconds when exact,
    /// else milliseconds rounded up (`09:00:01.500Z`).
    public static func exactString(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t != t.rounded(.down) else { return string(date) }
        let millis = (t * 1_000).rounded(.up)
        let whole = Date(timeIntervalSince1970: (millis / 1_000).rounded(.down))
        let fraction = Int(millis.truncatingRemainder(dividingBy: 1_000) + (millis < 0 ? 1_000 : 0)) % 1_000
        let base = string(whole)
        return fraction == 0 ? base : String(base.dropLast()) + "." + String(format: "%03d", fraction) + "Z"
    }
}
