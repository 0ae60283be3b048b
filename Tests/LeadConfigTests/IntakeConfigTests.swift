import Foundation
import LeadConfig
import LeadCore
import LeadTestSupport
import Testing

@Suite struct IntakeConfigTests {
    @Test func intakeMaildropAndWebhookSectionsDecode() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("hook.secret", "whsec_abc=\n")
        let file = try folder.write("leadrouter.toml", """
        [state]
        directory = "state"
        [intake]
        default_country = "hk"
        duplicate_match = "phone"
        duplicate_window = "7d"
        [regions]
        "长三角" = ["上海", "江苏", "浙江"]
        [[maildrop]]
        name = "inbox"
        max_message_size = "2MiB"
        [maildrop.labels]
        "预算" = "custom:budget"
        [[webhook]]
        name = "site"
        format = "json"
        secret_file = "hook.secret"
        [webhook.fields]
        name = "$.who"
        """)
        let config = try ConfigLoader(environment: [:]).load(path: file.path)
        #expect(config.intake.normaliser.defaultCountry == "HK")
        #expect(config.intake.duplicates == DuplicatePolicy(match: .phone, windowSeconds: 7 * 86_400))
        #expect(config.intake.regions.groups(containing: "江苏省") == ["长三角"])
        #expect(config.maildrops.first?.path.path == folder.url.appendingPathComponent("state/maildrop/inbox").path)
        #expect(config.maildrops.first?.maxMessageBytes == 2 << 20)
        #expect(config.maildrops.first?.labels == ["预算": "custom:budget"])
        #expect(config.webhooks.first?.format == .json)
        #expect(config.webhooks.first?.source == "json")
        #expect(config.webhooks.first?.fields == ["name": "$.who"])
        guard case .standard(let secret)? = config.webhooks.first?.authentication else { Issue.record("auth"); return }
        #expect(secret.value == "whsec_abc=")
    }

    @Test(arguments: [
        ("[intake]\nduplicate_match = \"name\"\n", "leadrouter.toml:2: intake.duplicate_match: \"name\" is not one of \"email\", \"phone\", \"either\", \"off\""),
        ("[intake]\ndefault_country = \"XX\"\n", "leadrouter.toml:2: intake.default_country: \"XX\" is not a country code leadrouter knows (e.g. \"CN\", \"HK\", \"US\")"),
        ("[regions]\n\"东部\" = [\"Atlantis\"]\n", "leadrouter.toml:2: regions.东部: unknown province \"Atlantis\""),
        ("[[maildrop]]\nname = \"a\"\nmax_message_size = \"big\"\n", "leadrouter.toml:3: maildrop[0].max_message_size: \"big\" is not a size (use a number and B, KiB, MiB, GiB, KB, MB or GB, e.g. \"64KiB\")"),
        ("[[maildrop]]\nname = \"a\"\n[maildrop.labels]\n\"x\" = \"salary\"\n", "leadrouter.toml:4: maildrop[0].labels.x: \"salary\" is not a lead field (one of name, company, email, phone, country, province, city, industry, source, campaign, message or custom:NAME)"),
        ("[[webhook]]\nname = \"w\"\nformat = \"soap\"\nauth = \"none\"\n", "leadrouter.toml:3: webhook[0].format: \"soap\" is not one of \"json\", \"form\", \"meta-leadgen\", \"typeform\", \"hubspot\", \"google-ads\""),
        ("[[webhook]]\nname = \"w\"\nformat = \"json\"\n", "leadrouter.toml:1: webhook[0].secret_file: missing required key"),
        ("[[webhook]]\nname = \"w\"\nformat = \"hubspot\"\nsecret_file = \"/dev/null\"\n", "leadrouter.toml:1: webhook[0].public_url: missing required key"),
        ("[[maildrop]]\nname = \"a\"\nnotifier_addresses = [\"@wjx.cn\", \"notify\"]\n", "leadrouter.toml:3: maildrop[0].notifier_addresses: \"notify\" is not an address (name@example.cn) or a domain (@example.cn)"),
        ("[mail]\nwelcome_sources = [\"web\"]\n[[webhook]]\nname = \"w\"\nformat = \"json\"\nauth = \"none\"\nsource = \"web\"\n", "leadrouter.toml:6: webhook[0].auth: an unauthenticated webhook cannot send welcome mail (its source \"web\" is in mail.welcome_sources): anyone could make the daemon mail any address; authenticate it, or set allow_unauthenticated_welcome = true"),
        ("[[webhook]]\nname = \"w\"\nformat = \"json\"\nauth = \"none\"\npage_token_file = \"t\"\n", "leadrouter.toml:5: webhook[0].page_token_file: only meta-leadgen webhooks fetch lead details"),
        ("[[webhook]]\nname = \"w\"\nformat = \"meta-leadgen\"\nsecret_file = \"/dev/null\"\ndetails_wait = \"9d\"\n", "leadrouter.toml:5: webhook[0].details_wait: 9d is out of range 0s...7d"),
    ])
    func intakeProblemsAreReportedWithLineAndKey(text: String, expected: String) {
        #expect(issues(text).contains(expected), "\(issues(text))")
    }

    @Test func anUnauthenticatedWebhookMustBeWrittenOut() throws {
        let config = try decode("[[webhook]]\nname = \"open\"\nformat = \"form\"\nauth = \"none\"\n")
        #expect(config.webhooks.first?.authentication == WebhookConfiguration.Authentication.none)
    }
}
