import Foundation
import LeadMail
import LeadTestSupport
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(baseSeconds: 30, capSeconds: 3_600, giveUpAfterSeconds: 86_400)

    @Test func theCeilingDoublesUpToTheCap() {
        #expect((1...9).map { policy.ceiling(afterAttempt: $0) } == [30, 60, 120, 240, 480, 960, 1_920, 3_600, 3_600])
        #expect(policy.ceiling(afterAttempt: 500) == 3_600, "no overflow for absurd attempt counts")
    }

    @Test func fullJitterDrawsBetweenZeroAndTheCeiling() {
        var generator = SeededGenerator(seed: 7)
        let delays = (0..<1_000).map { _ -> Double in
            guard case .retry(let after, _) = policy.disposition(for: .transient(code: 451, reason: "try later", failureClass: "4xx"),
                                                                 attempt: 4, ageSeconds: 0, unit: Double.random(in: 0...1, using: &generator))
            else { return -1 }
            return after
        }
        #expect(delays.allSatisfy { (0...240).contains($0) })
        #expect(delays.min()! < 24 && delays.max()! > 216, "spread over the whole range, not bunched")
    }

    @Test func permanentFailuresAndOldMessagesAreDead() {
        #expect(policy.disposition(for: .permanent(code: 550, reason: "550 5.1.1 User unknown"), attempt: 1, ageSeconds: 0, unit: 0.5)
                == .dead(reason: "550 550 5.1.1 User unknown"))
        if case .dead(let reason) = policy.disposition(for: .transient(code: 0, reason: "Couldn't connect", failureClass: "connection"),
                                                      attempt: 30, ageSeconds: 86_000, unit: 1) {
            #expect(reason.contains("gave up after 86000 s and 30 attempts"))
        } else { Issue.record("past give_up_after: dead") }
        #expect(policy.disposition(for: .sent(reply: "250 ok"), attempt: 1, ageSeconds: 0, unit: 0) == .sent(reply: "250 ok"))
    }
}

@Suite struct OutgoingMessageTests {
    @Test func longChineseSubjectsBecomeEncodedWordsOfAtMost75Characters() {
        let subject = String(repeating: "华东销售组线索超时提醒", count: 8)
        let encoded = OutgoingMessage.encodedWordsForTesting(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst(10).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == subject, "split on character boundaries only")
        #expect(OutgoingMessage.encodedWordsForTesting("Plain ASCII subject") == "Plain ASCII subject")
    }

    @Test func anHTMLAlternativeMakesAMultipart() {
        let message = OutgoingMessage(from: .init("a@example.com"), to: [.init("b@example.com")], subject: "s", text: "文本",
                                      html: "<p>文本</p>", messageID: "<x.1@example.com>", date: Date(timeIntervalSince1970: 0))
        let text = String(decoding: message.rendered(), as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"=_leadrouter_x1examplecom\""))
        #expect(text.contains("Content-Type: text/plain; charset=UTF-8") && text.contains("Content-Type: text/html; charset=UTF-8"))
        #expect(text.hasSuffix("--=_leadrouter_x1examplecom--\r\n"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
    }
}
