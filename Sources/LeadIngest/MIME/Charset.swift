import LeadCore
import Glibc
import Synchronization

/// Decodes bytes in a labelled charset to text, through glibc's iconv. Labels are mapped to what
/// real mail means by them: GB2312 is decoded as GB18030 (mail labelled GB2312 often holds GBK
/// bytes), Big5 as Big5-HKSCS. When the bytes do not fit the label, or the label is unknown, the
/// decoder tries UTF-8, then whichever of GB18030 and Big5 reads as more plausible Chinese, then
/// Windows-1252, and says so in `warning`. It never fails.
public enum Charset {
    public struct Decoded: Sendable, Equatable {
        public var text: String
        /// The charset actually used (iconv name, or "utf-8").
        public var used: String
        /// Set when the label was missing, unknown or wrong and a fallback was used.
        public var warning: String?
    }

    /// iconv's name for a MIME charset label, nil when unknown.
    public static func iconvName(_ label: String) -> String? {
        let l = label.lowercased().trimmingWhitespace().trimmingCharacters(in: "\"'")
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us": return "UTF-8"        // ASCII is a subset; 8-bit bytes fall back
        case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb18030", "euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80", "chinese":
            return "GB18030"
        case "big5", "x-big5", "big-5", "cn-big5", "csbig5", "big5-hkscs", "cp950": return "BIG5-HKSCS"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "cp932", "windows-31j": return "CP932"
        case "euc-jp", "x-euc-jp": return "EUC-JP"
        case "iso-2022-jp": return "ISO-2022-JP"
        case "euc-kr", "ks_c_5601-1987", "cp949", "korean": return "CP949"
        case "iso-2022-kr": return "ISO-2022-KR"
        case "utf-16", "utf-16le", "utf-16be", "utf-7", "utf-32": return l.uppercased()
        case "latin1", "l1", "iso8859-1", "iso_8859-1": return "ISO-8859-1"
        case "koi8-r", "koi8-u", "tis-620": return l.uppercased()
        default:
            if l.hasPrefix("iso-8859-") || l.hasPrefix("iso8859-") {
                return "ISO-8859-" + l.split(separator: "-").last!
            }
            if l.hasPrefix("windows-125") || l.hasPrefix("cp125") {
                return "CP" + l.filter(\.isNumber)
            }
            return nil
        }
    }

    public static func decode(_ bytes: [UInt8], label: String?) -> Decoded {
        if bytes.allSatisfy({ $0 < 0x80 }), label.flatMap(iconvName).map({ !$0.hasPrefix("UTF-16") && !$0.hasPrefix("UTF-7") && !$0.hasPrefix("ISO-2022") && !$0.hasPrefix("UTF-32") }) ?? true {
            return Decoded(text: String(decoding: bytes, as: UTF8.self), used: "utf-8", warning: nil)
        }
        if let label, let name = iconvName(label) {
            if name == "UTF-8", let text = validUTF8(bytes) { return Decoded(text: text, used: "utf-8", warning: nil) }
            if name != "UTF-8", let text = convert(bytes, from: name) {
                if let better = betterReading(bytes, than: text, labelled: name) {
                    return Decoded(text: better.text, used: better.used,
                                   warning: "charset \(label) does not fit the text; decoded as \(better.used)")
                }
                return Decoded(text: text, used: name, warning: nil)
            }
            if name != "UTF-8", let repaired = repairLatin1Mojibake(bytes, as: name) {
                return Decoded(text: repaired, used: name, warning: "\(label) text had been re-encoded as UTF-8 via Latin-1; repaired")
            }
            var guessed = guess(bytes)
            // A multi-byte label that simply has a few bad bytes reads better in its own charset.
            if guessed.used != "utf-8", !["UTF-8", "ISO-8859-1"].contains(name),
               let lenient = convert(bytes, from: name, lenient: true) {
                guessed = Decoded(text: lenient, used: name, warning: nil)
            }
            guessed.warning = "bytes do not fit charset \(label); decoded as \(guessed.used)"
            return guessed
        }
        var guessed = guess(bytes)
        guessed.warning = label.map { "unknown charset \($0); decoded as \(guessed.used)" }
            ?? "no charset; decoded as \(guessed.used)"
        return guessed
    }

    /// A label can lie in either direction: PHPMailer and many form plug-ins label GBK or UTF-8
    /// bytes `iso-8859-1`, which always "decodes" (every byte is a Latin-1 character), and GB
    /// labels sometimes hold Big5 or UTF-8 bytes that happen to be valid GB18030. The labelled
    /// reading stands unless another reading of the same bytes is valid and clearly better: valid
    /// UTF-8 with non-ASCII characters under a single-byte label (Latin-1 text is practically never
    /// valid UTF-8), or Chinese that scores well where the labelled reading does not. Japanese and
    /// Korean labels are trusted when their bytes fit (Korean has no Chinese characters to score).
    static func betterReading(_ bytes: [UInt8], than text: String, labelled name: String) -> Decoded? {
        let singleByte = isSingleByte(name)
        guard singleByte || name == "GB18030" || name == "BIG5-HKSCS" else { return nil }
        let labelledScore = ChinesePlausibility.score(text)
        guard labelledScore < 0.5, bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        if let utf8 = validUTF8(bytes) {
            if singleByte || ChinesePlausibility.score(utf8) > labelledScore + 0.25 {
                return Decoded(text: utf8, used: "utf-8", warning: nil)
            }
        }
        let candidates = ["GB18030", "BIG5-HKSCS"].filter { $0 != name }.compactMap { candidate in
            convert(bytes, from: candidate).map { (candidate, $0, ChinesePlausibility.score($0)) }
        }
        guard let best = candidates.max(by: { $0.2 < $1.2 }), best.2 > 0.3, best.2 > labelledScore + 0.25 else { return nil }
        return Decoded(text: best.1, used: best.0, warning: nil)
    }

    /// Charsets with one byte per character: any byte sequence is "valid" in them.
    static func isSingleByte(_ name: String) -> Bool {
        name.hasPrefix("ISO-8859-") || name.hasPrefix("CP125") || name.hasPrefix("KOI8") || name == "TIS-620"
    }

    /// Text in `charset` that some gateway read as Latin-1 and wrote out as UTF-8 (every character
    /// U+0000–U+00FF): undo that and decode the original bytes.
    static func repairLatin1Mojibake(_ bytes: [UInt8], as charset: String) -> String? {
        guard let text = validUTF8(bytes), text.unicodeScalars.contains(where: { $0.value >= 0x80 }),
              text.unicodeScalars.allSatisfy({ $0.value <= 0xFF }) else { return nil }
        return convert(text.unicodeScalars.map { UInt8($0.value) }, from: charset)
    }

    /// UTF-8, else the likelier of GB18030 and Big5, else Windows-1252.
    static func guess(_ bytes: [UInt8]) -> Decoded {
        if let text = validUTF8(bytes) { return Decoded(text: text, used: "utf-8", warning: nil) }
        let candidates = ["GB18030", "BIG5-HKSCS"].compactMap { name in convert(bytes, from: name).map { (name, $0) } }
        if let best = candidates.max(by: { ChinesePlausibility.score($0.1) < ChinesePlausibility.score($1.1) }),
           ChinesePlausibility.score(best.1) > 0.2 {
            return Decoded(text: best.1, used: best.0, warning: nil)
        }
        let text = convert(bytes, from: "CP1252") ?? convert(bytes, from: "ISO-8859-1") ?? String(decoding: bytes, as: UTF8.self)
        return Decoded(text: text, used: "CP1252", warning: nil)
    }

    static func validUTF8(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// iconv conversion to UTF-8; nil when the bytes are invalid in `charset`. With `lenient`,
    /// an invalid byte becomes U+FFFD and decoding goes on, and an incomplete sequence at the end
    /// becomes U+FFFD: nil only when iconv does not know the charset.
    static func convert(_ bytes: [UInt8], from charset: String, lenient: Bool = false) -> String? {
        let descriptor = iconv_open("UTF-8", charset)
        guard descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3)
        var chunk = [CChar](repeating: 0, count: 4096)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        let ok: Bool = input.withUnsafeMutableBufferPointer { ib in
            var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress
            var inLeft = ib.count
            while inLeft > 0 {
                let (status, err, produced) = chunk.withUnsafeMutableBufferPointer { ob -> (Int, Int32, Int) in
                    var op: UnsafeMutablePointer<CChar>? = ob.baseAddress
                    var outLeft = ob.count
                    let r = iconv(descriptor, &ip, &inLeft, &op, &outLeft)
                    return (r, errno, ob.count - outLeft)
                }
                output += chunk[0..<produced].map { UInt8(bitPattern: $0) }
                if status != -1 { continue }
                switch err {
                case E2BIG: continue
                case EILSEQ where lenient:
                    output += replacement; ip = ip.map { $0 + 1 }; inLeft -= 1
                case EINVAL where lenient:
                    output += replacement; inLeft = 0
                default:
                    return false
                }
            }
            return true
        }
        guard ok else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

/// How much a text reads like Chinese: the share of its CJK characters that are among the most
/// frequent ones (simplified and traditional). Text decoded with the wrong double-byte charset
/// is mostly rare characters.
enum ChinesePlausibility {
    static let frequent: Set<Character> = Set("的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵們個這來說為國時會對後過還進學發見門開問間長與於實當現動種樣麼頭體點業經無機電話關東車書親員處應給條讓從這總聽覺計報寫傳讀買賣價錢網際產語")

    static func score(_ text: String) -> Double {
        var cjk = 0
        var common = 0
        var odd = 0
        for character in text {
            guard let scalar = character.unicodeScalars.first else { continue }
            if (0x4E00...0x9FFF).contains(scalar.value) {
                cjk += 1
                if frequent.contains(character) { common += 1 }
            } else if (0xE000...0xF8FF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
                        || scalar.value >= 0x20000 || scalar.value == 0xFFFD {
                odd += 1
            }
        }
        guard cjk + odd > 0 else { return 0 }
        return Double(common) / Double(cjk + odd)
    }
}
