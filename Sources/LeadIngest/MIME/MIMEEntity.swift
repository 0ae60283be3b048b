import LeadCore
/// One MIME entity: its header fields, its content type, and either its decoded body bytes
/// (a leaf) or its parts (a multipart).
public struct MIMEEntity: Sendable {
    public var headers: [HeaderField]
    public var contentType: ContentType
    /// Body after Content-Transfer-Encoding decoding (empty for a multipart).
    public var body: [UInt8]
    public var parts: [MIMEEntity]
    /// Problems found and worked around (missing boundary, bad encoding, ...).
    public var defects: [String]

    public func header(_ name: String, hint: String? = nil) -> String? {
        headers.first(named: name).map { EncodedWords.decode($0.value, hint: hint) }
    }

    /// Every field with this name, decoded, in order (To and Cc may appear more than once).
    public func headers(_ name: String, hint: String? = nil) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name.lowercased() == lowered }.map { EncodedWords.decode($0.value, hint: hint) }
    }

    public var isAttachment: Bool {
        guard let disposition = headers.first(named: "Content-Disposition") else { return false }
        return String(decoding: disposition.value.prefix(10), as: UTF8.self).lowercased().hasPrefix("attachment")
    }

    /// Every leaf, depth first.
    public var leaves: [MIMEEntity] {
        parts.isEmpty ? [self] : parts.flatMap(\.leaves)
    }
}

/// Parses RFC 5322 / MIME messages from bytes into `MIMEEntity` trees, within `MIMELimits`.
/// Never recurses deeper than `maxDepth` and never scans a byte more than a bounded number of
/// times, so hostile input costs time linear in its size.
public struct MIMEParser: Sendable {
    public var limits: MIMELimits

    public init(limits: MIMELimits = MIMELimits()) { self.limits = limits }

    public func parse(_ bytes: [UInt8]) throws(IngestError) -> MIMEEntity {
        guard bytes.count <= limits.maxMessageBytes else {
            throw .tooLarge(bytes: bytes.count, limit: limits.maxMessageBytes)
        }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { throw .empty }
        var partCount = 0
        return try parseEntity(bytes[...], depth: 0, partCount: &partCount, defaultType: .textPlain)
    }

    private func parseEntity(_ bytes: ArraySlice<UInt8>, depth: Int, partCount: inout Int,
                             defaultType: ContentType) throws(IngestError) -> MIMEEntity {
        guard depth <= limits.maxDepth else { throw .tooDeep(limit: limits.maxDepth) }
        partCount += 1
        guard partCount <= limits.maxParts else { throw .tooManyParts(limit: limits.maxParts) }
        let (headers, body) = try HeaderBlock.split(bytes, limit: limits.maxHeaderBytes)
        var defects: [String] = []
        // Several Content-Type fields: the first wins (as most clients do).
        let contentType = headers.first(named: "Content-Type")
            .map { ContentType.parse(EncodedWords.decode($0.value)) } ?? defaultType
        if contentType.isMultipart {
            guard let boundary = contentType.boundary else {
                defects.append("multipart without boundary; read as text")
                return MIMEEntity(headers: headers, contentType: .textPlain, body: Array(body), parts: [], defects: defects)
            }
            let pieces = Self.splitMultipart(body, boundary: Array(boundary.utf8))
            guard !pieces.isEmpty else {
                defects.append("boundary never found; read as text")
                return MIMEEntity(headers: headers, contentType: .textPlain, body: Array(body), parts: [], defects: defects)
            }
            let childDefault = contentType.subtype == "digest"
                ? ContentType(type: "message", subtype: "rfc822", parameters: [:]) : .textPlain
            var parts: [MIMEEntity] = []
            for piece in pieces {
                parts.append(try parseEntity(piece, depth: depth + 1, partCount: &partCount, defaultType: childDefault))
            }
            return MIMEEntity(headers: headers, contentType: contentType, body: [], parts: parts, defects: defects)
        }
        let encoding = headers.first(named: "Content-Transfer-Encoding").map { String(decoding: $0.value, as: UTF8.self) }
        let decoded = TransferEncoding.decode(body, encoding: encoding)
        if contentType.mimeType == "message/rfc822", depth < limits.maxDepth,
           let inner = try? parseEntity(decoded[...], depth: depth + 1, partCount: &partCount, defaultType: .textPlain) {
            return MIMEEntity(headers: headers, contentType: contentType, body: decoded, parts: [inner], defects: defects)
        }
        return MIMEEntity(headers: headers, contentType: contentType, body: decoded, parts: [], defects: defects)
    }

    /// The parts between `--boundary` lines, up to `--boundary--` (or the end when it is missing).
    /// Preamble and epilogue are dropped. The line break before a delimiter belongs to it.
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        guard !boundary.isEmpty else { return [] }
        let delimiter: [UInt8] = [0x2D, 0x2D] + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: 0x0A) ?? body.endIndex
            let next = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
            var line = body[lineStart..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                let trailer = closing ? rest.dropFirst(2) : rest
                if trailer.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    if let start = partStart {
                        var end = lineStart
                        if end > start, body[end - 1] == 0x0A { end -= 1 }
                        if end > start, body[end - 1] == 0x0D { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    if closing { return parts }
                    partStart = next
                }
            }
            lineStart = next
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }
}
