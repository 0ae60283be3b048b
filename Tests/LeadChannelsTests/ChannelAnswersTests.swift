import Foundation
import LeadChannels
import LeadCore
import Testing

/// The vendors' answers as the outbox must treat them, and the requests as their docs describe.
@Suite struct ChannelAnswersTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func answer(_ kind: ChannelKind, _ status: Int, _ body: String, retryAfter: String? = nil) -> ChannelAnswer {
        ChannelAnswers.classify(.init(status: status, retryAfter: retryAfter, body: Array(body.utf8)), kind: kind, now: now)
    }

    @Test func successThrottlingAndPermanentErrorsPerVendor() {
        #expect(answer(.wecom, 200, #"{"errcode":0,"errmsg":"ok"}"#) == .sent("0 ok"))
        #expect(answer(.wecom, 200, #"{"errcode":45009,"errmsg":"api freq out of limit"}"#)
                == .retry(after: 60, reason: "wecom error 45009: api freq out of limit"))
        #expect(answer(.wecom, 200, #"{"errcode":93000,"errmsg":"invalid webhook url"}"#) == .dead("wecom error 93000: invalid webhook url"))
        #expect(answer(.dingtalk, 200, #"{"errcode":130101,"errmsg":"send too fast"}"#) == .retry(after: 600, reason: "dingtalk error 130101: send too fast"))
        #expect(answer(.dingtalk, 200, #"{"errcode":310000,"errmsg":"sign not match"}"#) == .dead("dingtalk error 310000: sign not match"))
        #expect(answer(.feishu, 200, #"{"code":0,"data":{},"msg":"success"}"#) == .sent("0 success"))
        #expect(answer(.feishu, 200, #"{"StatusCode":0,"StatusMessage":"success"}"#) == .sent("0 success"))
        #expect(answer(.feishu, 200, #"{"code":11232,"msg":"frequency limited"}"#) == .retry(after: 60, reason: "feishu error 11232: frequency limited"))
        #expect(answer(.feishu, 200, #"{"code":19021,"msg":"sign match fail"}"#) == .dead("feishu error 19021: sign match fail"))
        // HTTP level, any vendor: 5xx and 429 retry (Retry-After honoured), other 4xx are dead.
        #expect(answer(.webhook, 204, "") == .sent("HTTP 204"))
        #expect(answer(.webhook, 429, "slow", retryAfter: "7") == .retry(after: 7, reason: "HTTP 429: slow"))
        #expect(answer(.webhook, 503, "busy", retryAfter: "Wed, 02 Dec 2026 00:00:30 GMT")
                == .retry(after: Date(timeIntervalSince1970: 1_796_169_630).timeIntervalSince(now), reason: "HTTP 503: busy"))
        #expect(answer(.webhook, 410, "gone") == .dead("HTTP 410: gone"))
        #expect(answer(.dingtalk, 200, "<html>proxy</html>") == .retry(after: nil, reason: "an answer without a result code: <html>proxy</html>"))
        #expect(ChannelAnswers.classify(.init(status: 0, body: [], transportError: "Connection refused"), kind: .wecom, now: now)
                == .retry(after: nil, reason: "no answer: Connection refused"))
    }

    @Test func robotsGetTheirOwnShapesAndMentions() throws {
        let message = ChannelMessage(title: "新线索", text: "王先生 \"上海\"", mentions: ["+8613800138000"])
        let wecom = RobotEncoder.request(message, to: ChannelEndpoint(name: "w", kind: .wecom, url: "https://q/x?key=k", format: .markdown), now: now)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(wecom.body)) as? [String: Any])
        #expect(body["msgtype"] as? String == "text", "WeCom markdown cannot @ by number: mentions go as text")
        #expect((body["text"] as? [String: Any])?["content"] as? String == "新线索\n王先生 \"上海\"")
        let ding = RobotEncoder.request(message, to: ChannelEndpoint(name: "d", kind: .dingtalk, url: "https://o/robot/send?access_token=t",
                                                                     secret: "SECx"), now: now)
        #expect(ding.url.hasPrefix("https://o/robot/send?access_token=t&timestamp=1796000000000&sign="))
        #expect(!ding.url.contains("+") && !ding.url.contains("/", after: "sign="), "the signature is URL-encoded")
        let feishu = RobotEncoder.request(message, to: ChannelEndpoint(name: "f", kind: .feishu, url: "https://f/hook/x", secret: "s"), now: now)
        let signed = try #require(try JSONSerialization.jsonObject(with: Data(feishu.body)) as? [String: Any])
        #expect(signed["timestamp"] as? String == "1796000000" && signed["sign"] as? String == RobotEncoder.feishuSignature(secret: "s", timestamp: 1_796_000_000))
    }

    @Test func standardWebhooksSignatureMatchesTheSpecExample() {
        // The example in the Standard Webhooks specification's reference libraries.
        let signature = StandardWebhookSigner.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                                        body: #"{"test": 2432232314}"#, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(signature == "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }
}

extension String {
    fileprivate func contains(_ other: String, after marker: String) -> Bool {
        guard let range = range(of: marker) else { return false }
        return self[range.upperBound...].contains(other)
    }
}
