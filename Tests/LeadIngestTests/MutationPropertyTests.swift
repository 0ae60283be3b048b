import Foundation
import LeadCore
import LeadIngest
import LeadTestSupport
import Testing

/// Random and mutated mail bytes: the parser and extractor either give a lead or an IngestError,
/// never crash or hang. Seeded, so any failure replays.
@Suite struct MutationPropertyTests {
    func seeds() throws -> [[UInt8]] {
        var inputs = try ["webform-gbk.eml", "webform-gb18030-html.eml", "webform-utf8-qp.eml"].map(fixture)
        if let folder = corpusEmails {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
                if bytes.count < 64 << 10 { inputs.append(bytes) }
            }
        }
        return inputs
    }

    static let tokens: [[UInt8]] = ["\r\n", "\n\n", "--", "=?", "?=", "=?gb2312?B?", "?Q?", "boundary=", "Content-Type: multipart/mixed; boundary=a\n",
                                    "--a\n", "--a--", "=\n", "=E4", "<td>", "&#x", "charset=", ":", "：", "\u{0}", "\u{FF}"]
        .map { Array($0.utf8) }

    func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: Self.tokens.randomElement(using: &rng)!, at: position)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &rng)))
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...256, using: &rng))
                bytes.insert(contentsOf: bytes[position..<end], at: position)      // duplicate a run
            default: bytes = Array(bytes.prefix(position))                           // truncate
            }
        }
        return bytes
    }

    @Test func mutatedMailNeverCrashes() throws {
        var rng = SeededGenerator(seed: 20261130)
        let inputs = try seeds()
        let extractor = MailLeadExtractor(source: "email", limits: MIMELimits(maxMessageBytes: 256 << 10, maxParts: 64, maxDepth: 8))
        var outcomes = (leads: 0, quarantined: 0)
        for round in 0..<3_000 {
            let input = mutate(inputs[round % inputs.count], using: &rng)
            do {
                _ = try extractor.extract(input, origin: LeadOrigin(channel: .maildrop, name: "fuzz", key: "\(round)"), receivedAt: received)
                outcomes.leads += 1
            } catch {
                outcomes.quarantined += 1
            }
        }
        #expect(outcomes.leads + outcomes.quarantined == 3_000)
        #expect(outcomes.leads > 0)
        #expect(outcomes.quarantined > 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...2048, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? MailMessage(bytes: bytes)
            _ = EncodedWords.decode(bytes)
            _ = HTMLText.text(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func deepNestingIsCutOffNotRecursedInto() {
        var text = "From: a@b.cn\n"
        for depth in 0..<200 { text += "Content-Type: multipart/mixed; boundary=b\(depth)\n\n--b\(depth)\n" }
        #expect(throws: IngestError.tooDeep(limit: 16)) { try MIMEParser().parse(Array(text.utf8)) }
    }
}

/// Mutated webhook payloads: every decoder answers with leads or a WebhookError, never a crash.
@Suite struct WebhookMutationTests {
    @Test func mutatedPayloadsNeverCrashAnyDecoder() throws {
        var inputs: [[UInt8]] = [Array(#"{"name":"张伟","email":"a@b.cn","n":12345678901234567890}"#.utf8),
                                 Array("name=%E5%BC%A0&phone=13800138000".utf8)]
        if let folder = corpusWebhooks {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                inputs.append(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            }
        }
        var rng = SeededGenerator(seed: 42)
        let mutator = MutationPropertyTests()
        var decoded = 0
        for round in 0..<2_000 {
            let body = mutator.mutate(inputs[round % inputs.count], using: &rng)
            for format in WebhookFormat.allCases {
                let request = WebhookRequest(method: "POST", uri: "/w", headers: ["content-type": "application/json"], body: body)
                if (try? WebhookDecoder(name: "w", format: format, source: "s").decode(request, receivedAt: received)) != nil { decoded += 1 }
            }
        }
        #expect(decoded > 0)
    }
}
