import LeadCore

/// Web-form bodies: `application/x-www-form-urlencoded` (UTF-8, or the `charset` given; Chinese
/// forms still post GBK) and `multipart/form-data` (read with the MIME parser).
enum FormBody {
    static func pairs(_ request: WebhookRequest) throws(WebhookError) -> [(String, String)] {
        let contentType = ContentType.parse(request.header("content-type") ?? "application/x-www-form-urlencoded")
        switch contentType.mimeType {
        case "application/x-www-form-urlencoded":
            return urlEncoded(request.body, charset: contentType.charset)
        case "multipart/form-data":
            guard contentType.boundary != nil else { throw .malformed("multipart/form-data without a boundary") }
            let head = Array("Content-Type: \(request.header("content-type")!)\r\n\r\n".utf8)
            let root: MIMEEntity
            do {
                root = try MIMEParser(limits: MIMELimits(maxMessageBytes: 1 << 24, maxParts: 200, maxDepth: 2)).parse(head + request.body)
            } catch {
                throw .malformed("unreadable multipart/form-data: \(error)")
            }
            return root.parts.compactMap { part in
                guard let disposition = part.header("Content-Disposition") else { return nil }
                let parameters = ContentType.parseParameters(disposition).1
                guard let name = parameters["name"], parameters["filename"] == nil else { return nil }
                return (name, Charset.decode(part.body, label: part.contentType.charset ?? contentType.charset).text)
            }
        default:
            throw .malformed("expected application/x-www-form-urlencoded or multipart/form-data, got \(contentType.mimeType)")
        }
    }

    static func urlEncoded(_ body: [UInt8], charset: String?) -> [(String, String)] {
        body.split(separator: UInt8(ascii: "&")).compactMap { pair in
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Charset.decode(percentDecoded(parts[0]), label: charset ?? "utf-8").text
            let value = parts.count > 1 ? Charset.decode(percentDecoded(parts[1]), label: charset ?? "utf-8").text : ""
            return name.isEmpty ? nil : (name, value)
        }
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") { out.append(0x20); i += 1; continue }
            if byte == UInt8(ascii: "%"), i + 2 < bytes.endIndex,
               let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(value); i += 3; continue
            }
            out.append(byte)
            i += 1
        }
        return out
    }
}
