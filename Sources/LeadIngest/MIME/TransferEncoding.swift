import LeadCore
/// Content-Transfer-Encoding decoders. Lenient: invalid characters are skipped, never fatal.
enum TransferEncoding {
    static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.lowercased().trimmingWhitespace() {
        case "base64": base64(body)
        case "quoted-printable": quotedPrintable(body)
        default: Array(body)                  // 7bit, 8bit, binary, empty, unknown: as is
        }
    }

    private static let base64Values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = Int8(i)
        }
        table[Int(UInt8(ascii: "-"))] = 62       // base64url, seen in the wild
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    static func base64(_ input: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            if byte == UInt8(ascii: "=") { break }
            let value = base64Values[Int(byte)]
            guard value >= 0 else { continue }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    static func quotedPrintable(_ input: some Collection<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        let bytes = Array(input)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "=") {
                // Soft line break: "=" then optional spaces then (CR)LF.
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < bytes.count, bytes[j] == 0x0D { j += 1 }
                if j < bytes.count, bytes[j] == 0x0A { i = j + 1; continue }
                if j >= bytes.count { break }
                if i + 2 < bytes.count, let value = hexValue(bytes[i + 1], bytes[i + 2]) {
                    out.append(value); i += 3; continue
                }
                out.append(byte); i += 1; continue
            }
            out.append(underscoreIsSpace && byte == UInt8(ascii: "_") ? 0x20 : byte)
            i += 1
        }
        return out
    }

    private static func hexValue(_ a: UInt8, _ b: UInt8) -> UInt8? {
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        guard let high = nibble(a), let low = nibble(b) else { return nil }
        return high << 4 | low
    }
}
