/// Masks e-mail addresses and phone numbers in log text at info level and above, as a last line
/// of defence: call sites log lead ids, never contact details, but a value from outside (a file
/// name, an error text) may carry one.
public enum LogRedactor {
    public static func redact(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "@" || ("0"..."9").contains($0) }) else { return text }
        return maskPhones(maskEmails(text))
    }

    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
    private static let domainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")

    static func maskEmails(_ text: String) -> String {
        guard text.contains("@") else { return text }
        var characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index] == "@" else { index += 1; continue }
            var start = index
            while start > 0, localCharacters.contains(characters[start - 1]) { start -= 1 }
            var end = index + 1
            while end < characters.count, domainCharacters.contains(characters[end]) { end += 1 }
            let domain = characters[(index + 1)..<end]
            if start < index, domain.contains("."), domain.first != "." {
                let mask = Array("<email>")
                characters.replaceSubrange(start..<end, with: mask)
                index = start + mask.count
            } else {
                index += 1
            }
        }
        return String(characters)
    }

    /// A phone is a run of digits with spaces or dashes that follows a `+` and has at least 8 digits,
    /// or has exactly 11 digits starting 13–19 (a mainland China mobile). Dates, times and counts
    /// do not look like either.
    static func maskPhones(_ text: String) -> String {
        var characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber,
                  index == 0 || !(characters[index - 1].isASCII && characters[index - 1].isNumber) else {
                index += 1; continue
            }
            var end = index
            var digits: [Character] = []
            while end < characters.count {
                let c = characters[end]
                if c.isASCII && c.isNumber { digits.append(c); end += 1; continue }
                if (c == " " || c == "-"), end + 1 < characters.count,
                   characters[end + 1].isASCII, characters[end + 1].isNumber { end += 1; continue }
                break
            }
            let plus = index > 0 && characters[index - 1] == "+"
            let mobile = digits.count == 11 && digits[0] == "1" && ("3"..."9").contains(digits[1])
            if (plus && digits.count >= 8) || mobile {
                let start = plus ? index - 1 : index
                let mask = Array("<phone>")
                characters.replaceSubrange(start..<end, with: mask)
                index = start + mask.count
            } else {
                index = end
            }
        }
        return String(characters)
    }
}
