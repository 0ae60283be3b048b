import Foundation
import LeadConfig
import LeadTestSupport
import Testing

@Suite struct SMTPConfigTests {
    let base = "[smtp]\nurl = \"smtp://relay.example.com:587\"\nfrom = \"leadrouter@example.com\"\n"

    @Test func defaultsAndEveryKey() throws {
        let plain = try decode(base)
        let smtp = try #require(plain.smtp)
        #expect(smtp.startTLS == .required && smtp.senders == 2 && smtp.retryBase == .seconds(30) && smtp.retryCap == .seconds(3_600))
        #expect(smtp.giveUpAfter == .seconds(86_400) && smtp.lease == .seconds(300) && smtp.fromName == "leadrouter")
        let full = try #require(try decode(base + """
            starttls = "opportunistic"
            senders = 4
            retry_base = "10s"
            retry_cap = "10m"
            give_up_after = "2d"
            lease = "1m"
            connect_timeout = "5s"
            timeout = "30s"
            from_name = "线索路由"
            """).smtp)
        #expect(full.startTLS == .opportunistic && full.senders == 4 && full.retryBase == .seconds(10) && full.retryCap == .seconds(600))
        #expect(full.giveUpAfter == .seconds(172_800) && full.lease == .seconds(60) && full.fromName == "线索路由")
    }

    @Test(arguments: [
        ("starttls = \"maybe\"", "leadrouter.toml:4: smtp.starttls: \"maybe\" is not one of \"required\", \"opportunistic\", \"off\""),
        ("retry_base = \"1h\"\nretry_cap = \"1m\"", "leadrouter.toml:5: smtp.retry_cap: must be at least retry_base"),
        ("ca_file = \"missing.pem\"", "smtp.ca_file: cannot read"),
        ("senders = 0", "leadrouter.toml:4: smtp.senders: 0 is out of range 1...16"),
    ])
    func badSettingsAreConfigErrors(line: String, expected: String) {
        let found = issues(base + line + "\n")
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }
}
