/// China's 34 province-level divisions, each with the forms people write: the full name, the
/// short name, the one-character abbreviation (简称), traditional characters, and pinyin/English.
/// `canonical("沪")`, `canonical("Shanghai")`, `canonical("上海")` are all `上海市`.
public enum ProvinceCatalog {
    public static let divisions: [(canonical: String, forms: [String])] = [
        ("北京市", ["北京", "京", "Beijing", "Peking"]),
        ("天津市", ["天津", "津", "Tianjin"]),
        ("河北省", ["河北", "冀", "Hebei"]),
        ("山西省", ["山西", "晋", "Shanxi"]),
        ("内蒙古自治区", ["内蒙古", "内蒙", "蒙", "內蒙古", "Inner Mongolia", "Nei Mongol", "Neimenggu"]),
        ("辽宁省", ["辽宁", "辽", "遼寧", "Liaoning"]),
        ("吉林省", ["吉林", "吉", "Jilin"]),
        ("黑龙江省", ["黑龙江", "黑", "黑龍江", "Heilongjiang"]),
        ("上海市", ["上海", "沪", "滬", "申", "Shanghai"]),
        ("江苏省", ["江苏", "苏", "江蘇", "Jiangsu"]),
        ("浙江省", ["浙江", "浙", "Zhejiang"]),
        ("安徽省", ["安徽", "皖", "Anhui"]),
        ("福建省", ["福建", "闽", "閩", "Fujian"]),
        ("江西省", ["江西", "赣", "贛", "Jiangxi"]),
        ("山东省", ["山东", "鲁", "山東", "魯", "Shandong"]),
        ("河南省", ["河南", "豫", "Henan"]),
        ("湖北省", ["湖北", "鄂", "Hubei"]),
        ("湖南省", ["湖南", "湘", "Hunan"]),
        ("广东省", ["广东", "粤", "廣東", "廣東省", "Guangdong", "Canton"]),
        ("广西壮族自治区", ["广西", "桂", "廣西", "广西自治区", "Guangxi"]),
        ("海南省", ["海南", "琼", "瓊", "Hainan"]),
        ("重庆市", ["重庆", "渝", "重慶", "Chongqing"]),
        ("四川省", ["四川", "川", "蜀", "Sichuan"]),
        ("贵州省", ["贵州", "黔", "貴州", "Guizhou"]),
        ("云南省", ["云南", "滇", "雲南", "Yunnan"]),
        ("西藏自治区", ["西藏", "藏", "Tibet", "Xizang"]),
        ("陕西省", ["陕西", "陕", "秦", "陝西", "Shaanxi"]),
        ("甘肃省", ["甘肃", "甘", "陇", "甘肅", "Gansu"]),
        ("青海省", ["青海", "青", "Qinghai"]),
        ("宁夏回族自治区", ["宁夏", "宁", "寧夏", "宁夏自治区", "Ningxia"]),
        ("新疆维吾尔自治区", ["新疆", "新", "新疆自治区", "Xinjiang"]),
        ("台湾省", ["台湾", "台", "臺灣", "台灣", "Taiwan"]),
        ("香港特别行政区", ["香港", "港", "香港特區", "Hong Kong", "HongKong", "HK", "HKSAR"]),
        ("澳门特别行政区", ["澳门", "澳", "澳門", "Macau", "Macao", "MO"]),
    ]

    private static let index: [String: String] = {
        var map: [String: String] = [:]
        for (canonical, forms) in divisions {
            for form in [canonical] + forms { map[key(form)] = canonical }
        }
        return map
    }()

    /// Lower-cased, without spaces, and without a trailing "province"/"shi"/"sheng" in pinyin forms.
    private static func key(_ text: String) -> String {
        var folded = text.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        for suffix in ["province", "sheng", "shi", "city", "sar"] where folded.hasSuffix(suffix) && folded.count > suffix.count + 1 {
            folded.removeLast(suffix.count)
        }
        return folded
    }

    /// The canonical name, or nil when `text` is not a known form (the caller keeps it as given).
    public static func canonical(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        return index[key(trimmed)]
    }

    public static var canonicalNames: [String] { divisions.map(\.canonical) }
}
