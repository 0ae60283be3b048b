/// Phone numbers to E.164 (`+8613800138000`). Pure; no network lookups, no carrier data: the
/// rules are the dialling conventions (`+` or `00` for international, a national trunk `0`).
public enum PhoneNumber {
    /// ITU calling codes for the countries our users sell in most; extend as needed.
    public static let callingCodes: [String: String] = [
        "CN": "86", "HK": "852", "MO": "853", "TW": "886", "SG": "65", "MY": "60", "TH": "66", "VN": "84",
        "ID": "62", "PH": "63", "JP": "81", "KR": "82", "IN": "91", "AU": "61", "NZ": "64", "US": "1", "CA": "1",
        "GB": "44", "DE": "49", "FR": "33", "IT": "39", "ES": "34", "NL": "31", "RU": "7", "AE": "971", "BR": "55",
        "MX": "52",
    ]

    /// E.164 for `raw`, or nil when it does not look like a phone number (the caller keeps the
    /// text as given). `defaultCountry` is an ISO 3166 code used for national numbers.
    public static func e164(_ raw: String, defaultCountry: String) -> String? {
        var digits = ""
        var international = false
        var seenDigit = false
        for scalar in raw.unicodeScalars {
            let value = scalar.value
            if (0x30...0x39).contains(value) {
                digits.unicodeScalars.append(scalar); seenDigit = true
            } else if (0xFF10...0xFF19).contains(value) {            // full-width digits
                digits.unicodeScalars.append(Unicode.Scalar(value - 0xFF10 + 0x30)!); seenDigit = true
            } else if (scalar == "+" || value == 0xFF0B) && !seenDigit {
                international = true
            } else if " -.()/\u{3000}\u{FF08}\u{FF09}\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{FF0D}".unicodeScalars.contains(scalar) {
                continue
            } else if seenDigit, scalar == "x" || scalar == "X" || scalar == "#" || scalar == "转" {
                break                                               // an extension follows
            } else {
                return nil
            }
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        let result: String
        if international {
            result = digits
        } else {
            guard let code = callingCodes[defaultCountry.uppercased()] else { return nil }
            var national = Substring(digits)
            // A Chinese mobile written with its country code but no "+": 8613800138000.
            if code == "86", national.count == 13, national.hasPrefix("86"), isChineseMobile(national.dropFirst(2)) {
                return "+" + national
            }
            if national.hasPrefix("0"), code != "39" { national = national.dropFirst() }    // trunk prefix
            result = code + national
        }
        guard (8...15).contains(result.count), result.first != "0" else { return nil }
        if result.hasPrefix("86") {
            let national = result.dropFirst(2)
            // Mainland: 11-digit mobiles, or an area code and a 7- or 8-digit number (9 to 11 digits).
            guard isChineseMobile(national) || (national.first != "1" && (9...11).contains(national.count))
                    || (national.hasPrefix("10") && (9...10).contains(national.count)) else { return nil }
        }
        return "+" + result
    }

    static func isChineseMobile(_ digits: Substring) -> Bool {
        digits.count == 11 && digits.first == "1" && ("3"..."9").contains(digits.dropFirst().first ?? "0")
    }
}
