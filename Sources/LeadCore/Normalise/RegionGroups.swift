/// Named groups of provinces (`华东 = [上海市, 江苏省, …]`), configured, so routing rules can match
/// a region as well as a province.
public struct RegionGroups: Sendable, Hashable {
    public private(set) var groups: [String: [String]]

    public init(_ groups: [String: [String]] = [:]) { self.groups = groups }

    /// The names of the groups that contain `province` (a canonical name), sorted.
    public func groups(containing province: String) -> [String] {
        groups.filter { $0.value.contains(province) }.keys.sorted()
    }

    /// China's customary regions (华东, 华南, ...), the default table.
    public static let chinaDefault = RegionGroups([
        "华北": ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区"],
        "东北": ["辽宁省", "吉林省", "黑龙江省"],
        "华东": ["上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省"],
        "华中": ["河南省", "湖北省", "湖南省"],
        "华南": ["广东省", "广西壮族自治区", "海南省"],
        "西南": ["重庆市", "四川省", "贵州省", "云南省", "西藏自治区"],
        "西北": ["陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"],
        "港澳台": ["香港特别行政区", "澳门特别行政区", "台湾省"],
    ])
}
