/// A company name reduced to what identifies it, for owner matching: lower-cased, without spaces
/// and punctuation, and without legal-form suffixes (`上海某某科技有限公司` and `上海某某科技` match;
/// so do `Acme Co., Ltd.` and `ACME`).
public enum CompanyName {
    static let suffixes = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
                           "corporation", "company", "limited", "corp", "inc", "llc", "ltd", "co", "gmbh", "plc"]

    public static func key(_ name: String) -> String? {
        var text = String(name.lowercased().unicodeScalars.filter { scalar in
            !(scalar.properties.isWhitespace || CharacterSetLike.punctuation(scalar))
        }.map(Character.init))
        var changed = true
        while changed {
            changed = false
            for suffix in suffixes where text.hasSuffix(suffix) && text.count > suffix.count + 1 {
                text.removeLast(suffix.count)
                changed = true
            }
        }
        return text.count >= 2 ? text : nil
    }
}

enum CharacterSetLike {
    static func punctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: true
        default: false
        }
    }
}
