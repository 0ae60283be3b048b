import LeadCore
/// One header field, unfolded, with its value still as bytes (it may hold raw 8-bit text).
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]
}

/// Splits an entity into its header fields and its body. Tolerates LF or CRLF, a first line that
/// starts with white space, an mbox `From ` line, and a missing blank line (a line that is not a
/// header ends the block and starts the body).
enum HeaderBlock {
    static func split(_ bytes: ArraySlice<UInt8>, limit: Int) throws(IngestError) -> (fields: [HeaderField], body: ArraySlice<UInt8>) {
        var fields: [HeaderField] = []
        var index = bytes.startIndex
        var current: (name: String, value: [UInt8])? = nil
        var first = true
        func flush() {
            if let c = current { fields.append(HeaderField(name: c.name, value: trimmed(c.value))) }
            current = nil
        }
        while index < bytes.endIndex {
            if index - bytes.startIndex > limit { throw .headerTooLarge(bytes: index - bytes.startIndex, limit: limit) }
            let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[index..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            let next = lineEnd < bytes.endIndex ? lineEnd + 1 : lineEnd
            if line.isEmpty {                                     // the blank line: body follows
                flush()
                return (fields, bytes[next...])
            }
            if first, line.starts(with: Array("From ".utf8)) {   // mbox separator
                first = false
                index = next
                continue
            }
            if (line.first == 0x20 || line.first == 0x09) && !first {
                if current != nil {
                    current!.value.append(0x20)
                    current!.value.append(contentsOf: line.drop { $0 == 0x20 || $0 == 0x09 })
                }
                index = next
                continue
            }
            let content = first ? line.drop { $0 == 0x20 || $0 == 0x09 } : line
            guard let colon = content.firstIndex(of: 0x3A), colon > content.startIndex,
                  content[content.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                flush()                                          // not a header: the body starts here
                return (fields, bytes[index...])
            }
            first = false
            flush()
            let name = String(decoding: content[content.startIndex..<colon], as: UTF8.self)
            current = (name, Array(content[(colon + 1)...]))
            index = next
        }
        flush()
        return (fields, bytes[bytes.endIndex...])
    }

    static func trimmed(_ value: [UInt8]) -> [UInt8] {
        var slice = value[...]
        while let f = slice.first, f == 0x20 || f == 0x09 { slice = slice.dropFirst() }
        while let l = slice.last, l == 0x20 || l == 0x09 || l == 0x0D { slice = slice.dropLast() }
        return Array(slice)
    }
}

extension Array where Element == HeaderField {
    /// The first field with this name (case-insensitive).
    func first(named name: String) -> HeaderField? {
        let lowered = name.lowercased()
        return first { $0.name.lowercased() == lowered }
    }
}
