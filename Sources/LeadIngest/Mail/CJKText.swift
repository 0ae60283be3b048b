import LeadCore

/// Small text repairs for Chinese form mail.
enum CJKText {
    static func isCJK(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return (0x3400...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
            || (0x20000...0x2FFFF).contains(scalar.value)
    }

    /// Removes white space between two CJK characters: `洪  武` → `洪武`, `电  话` → `电话`.
    static func collapsingSpaces(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace, let previous = out.last, isCJK(previous) {
                var j = i
                while j < characters.count, characters[j].isWhitespace { j += 1 }
                if j < characters.count, isCJK(characters[j]) { i = j; continue }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Drops a trailing list marker such as `一、` or `2.` left over from a form laid out in one line.
    static func droppingTrailingListMarker(_ text: String) -> String {
        var trimmed = text.trimmingWhitespace()
        if trimmed.hasSuffix("、") {
            trimmed.removeLast()
            while let last = trimmed.last, "一二三四五六七八九十0123456789".contains(last) { trimmed.removeLast() }
        }
        return trimmed.trimmingWhitespace()
    }
}
