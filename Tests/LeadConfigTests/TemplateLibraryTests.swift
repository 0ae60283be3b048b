import Foundation
import LeadConfig
import LeadCore
import LeadTestSupport
import Testing

@Suite struct TemplateLibraryTests {
    let shipped = RepositoryPaths.root.appendingPathComponent("Config/templates")

    func variables() -> [String: TemplateValue] {
        let facts = SLANoticeFacts(lead: LeadID(42), title: "王先生, 上海某某科技有限公司", policy: "standard", clock: .firstContact, level: 2,
                                   dueAt: Date(timeIntervalSince1970: 1_796_000_000), overdueSeconds: 9_000, lateSeconds: 0,
                                   zone: "Asia/Shanghai", leadVariables: ["lead_name": .text("王先生"), "owner_name": .text("张伟"),
                                                                          "team_name": .text("华东销售组"), "lead_phone": .text("+8613800138000")])
        return facts.variables
    }

    @Test func theShippedTemplatesLoadAndRenderInBothLanguages() throws {
        let library = try TemplateLibrary.load(directory: shipped, defaultLanguage: "zh")
        #expect(library.available.count == NoticeVariables.kinds.count * 2 + 4, "mail in both languages, four robot templates")
        let zh = try #require(library.render(kind: "sla.supervisor", language: nil, variables: variables()))
        #expect(zh.subject == "【SLA 升级】线索 #42 王先生, 上海某某科技有限公司：张伟 的首次联系已于 2026-11-30 08:53 (Asia/Shanghai) 到期")
        #expect(zh.body.contains("华东销售组 的线索 #42（王先生, 上海某某科技有限公司）由 张伟 负责，「首次联系」已于 2026-11-30 08:53 (Asia/Shanghai) 到期"))
        #expect(!zh.body.contains("服务恢复后补发"), "not late: the section is empty")
        let en = try #require(library.render(kind: "sla.supervisor", language: "en", variables: variables()))
        #expect(en.subject == "[SLA escalation] Lead #42 王先生, 上海某某科技有限公司: 张伟's first contact was due 2026-11-30 08:53 (Asia/Shanghai)")
        #expect(library.render(kind: "sla.supervisor", language: "fr", variables: variables())?.subject == zh.subject, "unknown language: the default")
        // Plain text: nothing is HTML-escaped.
        var tricky = variables()
        tricky["lead_title"] = .text("A & B <Ltd>")
        #expect(library.render(kind: "sla.supervisor", language: "en", variables: tricky)?.subject.contains("A & B <Ltd>") == true)
    }

    /// Robot templates (`KIND.LANG.md.mustache`) sit beside the mail ones: their own title and
    /// Markdown body, the mail's template untouched; a kind without one has no robot rendering.
    @Test func robotTemplatesRenderTheirOwnTitleAndMarkdown() throws {
        let library = try TemplateLibrary.load(directory: shipped, defaultLanguage: "zh")
        let robot = try #require(library.render(kind: "sla.supervisor", language: "zh", variables: variables(), robot: true))
        #expect(robot.subject == "SLA 升级：线索 #42 超时 2h30m")
        #expect(robot.body.hasPrefix("### 【SLA 升级】 线索 #42 王先生, 上海某某科技有限公司\n**负责人**：张伟（华东销售组）"))
        let mail = try #require(library.render(kind: "sla.supervisor", language: "zh", variables: variables()))
        #expect(mail.subject != robot.subject && !mail.body.contains("**"))
        #expect(library.render(kind: "sla.warning", language: "zh", variables: variables(), robot: true) == nil, "no robot file: built-in text")
        #expect(library.render(kind: "sla.supervisor", language: "en", variables: variables(), robot: true)?.subject
                == "SLA escalation: lead #42 2h30m overdue")
    }

    @Test func aDigestListsItsItems() throws {
        let library = try TemplateLibrary.load(directory: shipped, defaultLanguage: "zh")
        let items: [[String: TemplateValue]] = (1...3).map { ["lead_id": .text("\($0)"), "lead_title": .text("客户\($0)"),
                                                              "subject": .text("s"), "summary": .text("overdue by \($0)h")] }
        let digest = try #require(library.render(kind: "sla.digest", language: "zh",
                                                 variables: ["count": .text("3"), "items": .list(items), "recipient": .text("boss@x.cn")]))
        #expect(digest.subject == "【SLA 汇总】3 条超时提醒")
        #expect(digest.body.contains("- 线索 #2 客户2\n  overdue by 2h"))
    }

    @Test(arguments: [
        ("sla_warning.zh.mustache", "Subject: {{lead_id}}\n\n{{lead_nmae}}\n", ":3: unknown variable \"lead_nmae\" for sla.warning"),
        ("sla_warning.zh.mustache", "Hello\n\nbody\n", ":1: the first line must be \"Subject: …\""),
        ("sla_warning.zh.mustache", "Subject: x\nbody\n", ":2: a blank line must follow the subject"),
        ("sla_warning.zh.mustache", "Subject: x\n\n{{> header}}\n", ":3: partials and pragmas are not supported"),
        ("sla_digest.en.mustache", "Subject: {{count}}\n\n{{#items}}{{summary}}{{/items}}{{summary}}\n", ":3: unknown variable \"summary\" for sla.digest"),
        ("sla_late.zh.mustache", "Subject: x\n\ny\n", "\"sla_late\" is not a notice kind"),
        ("sla_warning.mustache", "Subject: x\n\ny\n", "a template is named KIND.LANG.mustache"),
        ("sla_warning.zh.txt.mustache", "Subject: x\n\ny\n", "a template is named KIND.LANG.mustache (mail) or KIND.LANG.md.mustache"),
        ("sla_warning.zh.md.mustache", "Subject: x\n\ny\n", ":1: the first line must be \"Title: …\""),
        ("sla_warning.zh.md.mustache", "Title: {{lead_id}}\n\n**{{owner_nmae}}**\n", ":3: unknown variable \"owner_nmae\" for sla.warning"),
        ("sla_warning.en.mustache", "Subject: {{#warning}}x\n\ny\n", "not a valid Mustache template"),
    ])
    func badTemplatesAreConfigErrorsWithFileAndLine(file: String, text: String, expected: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("templates/\(file)", text)
        try folder.write("leadrouter.toml", "[mail]\ntemplates = \"templates\"\n")
        do {
            _ = try ConfigLoader(environment: [:]).load(path: folder.file("leadrouter.toml").path)
            Issue.record("expected a configuration error")
        } catch {
            let messages = error.issues.map(\.description)
            #expect(messages.contains { $0.hasPrefix(folder.file("templates/\(file)").path) && $0.contains(expected) }, "\(messages)")
        }
    }

    @Test func theExampleConfigurationUsesTheShippedTemplates() throws {
        let config = try ConfigLoader(environment: [:]).load(path: RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path)
        #expect(config.mail.templates != nil)
        #expect(config.mail.language == "zh")
        #expect(config.directory.rep(RepID("chen.jing"))?.language == "en")
    }
}
