import Foundation
import LeadCore
import LeadSessions
import LeadHTTP
import Logging

/// The web console: login with an existing token (a rep's or the admin's), a signed session
/// cookie, and the queue overview scoped to the person — the admin sees everything, a supervisor
/// their teams, a rep their own leads. Forms are refused without the session's CSRF token or
/// from another origin.
struct ConsoleAPI: ConsoleHandling {
    let context: DaemonContext
    let store: any DaemonStore & StoreInspection
    let sessions: ConsoleSessions
    let streamSlots: ConsoleStreamSlots

    init(context: DaemonContext, store: any DaemonStore & StoreInspection) {
        self.context = context
        self.store = store
        let ui = context.state.snapshot.configuration.ui
        sessions = ConsoleSessions(secret: ui.sessionSecret?.value, lifetime: TimeInterval(ui.sessionLifetime.components.seconds))
        streamSlots = ConsoleStreamSlots(limit: ui.maxStreams)
    }

    func get(_ request: ConsoleRequest) async -> ConsoleReply {
        let now = context.clock.now()
        switch request.page {
        case "style.css":
            return ConsoleReply(html: ConsolePages.style, contentType: "text/css; charset=utf-8")
        case "live.js":
            return ConsoleReply(html: ConsolePages.liveScript, contentType: "text/javascript; charset=utf-8")
        case "login":
            if let link = request.query["link"] {
                // A link is used by its POST only: mail and chat previews fetch URLs and must not spend it.
                guard let contents = sessions.link(link, now: now) else { return loginPage(error: "链接无效或已过期 The link is invalid or expired", status: 401) }
                return ConsoleReply(html: ConsolePages.page(title: "登录 Log in", actor: nil, csrf: nil,
                                                            content: ConsolePages.linkLogin.render(["link": link, "who": label(contents.actor)])))
            }
            if sessions.actor(of: request.sessionCookie, now: now) != nil { return .redirect("/ui") }
            return loginPage(error: nil, status: 200)
        case "":
            guard let actor = sessions.actor(of: request.sessionCookie, now: now), let session = request.sessionCookie else {
                return .redirect("/ui/login")
            }
            do {
                let content = try await overview(for: actor, now: now)
                return ConsoleReply(html: ConsolePages.page(title: "队列 Queue", actor: viewer(actor), csrf: sessions.csrfToken(for: session),
                                                            content: content, live: true))
            } catch {
                context.logger.error("console page failed", metadata: ["page": "overview", "error": "\(error)"])
                return ConsoleReply(status: 503, html: ConsolePages.page(title: "Error", actor: nil, csrf: nil,
                                                                         content: "<p role=\"alert\">数据库暂不可用 The database is unavailable.</p>"))
            }
        case "report.csv":
            guard let actor = sessions.actor(of: request.sessionCookie, now: now) else { return .redirect("/ui/login") }
            do {
                guard let (name, _, _, _, report) = try await report(request.query, actor: actor, now: now) else {
                    return ConsoleReply(status: 403, html: "supervisors and the admin only", contentType: "text/plain; charset=utf-8")
                }
                var reply = ConsoleReply(html: report.csv, contentType: "text/csv; charset=utf-8")
                reply.disposition = "attachment; filename=\"\(name).csv\""
                return reply
            } catch {
                return ConsoleReply(status: 503, html: "the database is unavailable", contentType: "text/plain; charset=utf-8")
            }
        case "reps", "me", "reports", "handover":
            guard let actor = sessions.actor(of: request.sessionCookie, now: now), let session = request.sessionCookie else {
                return .redirect("/ui/login")
            }
            let csrf = sessions.csrfToken(for: session)
            do {
                let content: String?
                if request.page == "me" {
                    guard case .rep(let rep) = actor else { return .redirect("/ui") }
                    content = try await mePage(for: rep, csrf: csrf, now: now)
                } else if request.page == "reports" {
                    content = try await reportsPage(request.query, actor: actor, now: now)
                } else if request.page == "handover" {
                    content = try await handoverPage(request.query, actor: actor, csrf: csrf, now: now)
                } else {
                    content = try await repsPage(for: actor, now: now)
                }
                guard let content else {
                    return ConsoleReply(status: 403, html: ConsolePages.page(title: "403", actor: viewer(actor), csrf: csrf,
                                                                             content: "<p role=\"alert\">只有主管和管理员 Supervisors and the admin only.</p>"))
                }
                let title = ["me": "我的待办 My to-do", "reports": "报表 Reports", "handover": "交接 Handover"][request.page] ?? "销售 Reps"
                return ConsoleReply(html: ConsolePages.page(title: title, actor: viewer(actor),
                                                            csrf: csrf, content: content, live: request.page == "me"))
            } catch {
                context.logger.error("console page failed", metadata: ["page": "\(request.page)", "error": "\(error)"])
                return ConsoleReply(status: 503, html: "数据库暂不可用 The database is unavailable.")
            }
        default:
            guard request.page.hasPrefix("leads/"), let id = LeadID(parsing: String(request.page.dropFirst(6))) else { return notFound() }
            guard let actor = sessions.actor(of: request.sessionCookie, now: now), let session = request.sessionCookie else {
                return .redirect("/ui/login")
            }
            do {
                guard let content = try await leadPage(id, actor: actor, csrf: sessions.csrfToken(for: session), message: request.query["m"],
                                                       now: now) else {
                    return ConsoleReply(status: 403, html: ConsolePages.page(title: "403", actor: viewer(actor), csrf: sessions.csrfToken(for: session),
                                                                             content: "<p role=\"alert\">不是你的线索 Not one of your leads.</p>"))
                }
                return ConsoleReply(html: ConsolePages.page(title: "线索 Lead #\(id)", actor: viewer(actor), csrf: sessions.csrfToken(for: session),
                                                            content: content, live: true, lead: id.description))
            } catch {
                context.logger.error("console page failed", metadata: ["page": "lead", "error": "\(error)"])
                return ConsoleReply(status: 503, html: "数据库暂不可用 The database is unavailable.")
            }
        }
    }

    private func notFound() -> ConsoleReply {
        ConsoleReply(status: 404, html: ConsolePages.page(title: "404", actor: nil, csrf: nil, content: "<p>没有这个页面 No such page.</p>"))
    }

    func post(_ request: ConsoleRequest) async -> ConsoleReply {
        let now = context.clock.now()
        guard request.isSameOrigin else { return forbidden("cross-origin form refused") }
        switch request.page {
        case "login":
            let configuration = context.state.snapshot.configuration
            let given = request.form["token"] ?? ""
            let actor: ConsoleActor
            if let link = request.form["link"] {
                guard let redeemed = await redeem(link, now: now) else {
                    context.logger.notice("console login refused", metadata: ["reason": "link invalid, expired or used"])
                    return loginPage(error: "链接无效、已过期或已用过 The link is invalid, expired or already used", status: 401)
                }
                actor = redeemed
            } else if let admin = configuration.http.adminToken?.value, !given.isEmpty, ConstantTime.equal(Array(given.utf8), Array(admin.utf8)) {
                actor = .admin
            } else if !given.isEmpty, let rep = configuration.directory.rep(withToken: given) {
                actor = .rep(rep)
            } else {
                context.logger.notice("console login refused")
                return loginPage(error: "令牌无效 Wrong token", status: 401)
            }
            context.logger.info("console login", metadata: ["actor": "\(actor.text)"])
            let session = sessions.issue(actor, now: now)
            return .redirect("/ui", setCookie: cookie(session, maxAge: Int(sessions.lifetime), secure: servedOverTLS(request)))
        case "logout":
            guard checkedActor(request, now: now) != nil else { return forbidden("missing or wrong CSRF token") }
            return .redirect("/ui/login", setCookie: cookie("", maxAge: 0, secure: servedOverTLS(request)))
        case "handover":
            guard let actor = checkedActor(request, now: now) else { return forbidden("missing or wrong CSRF token") }
            return await performHandover(request.form, actor: actor)
        default:
            let parts = request.page.split(separator: "/")
            guard parts.count == 3, parts[0] == "leads", let id = LeadID(parsing: String(parts[1])) else { return notFound() }
            guard let actor = checkedActor(request, now: now) else { return forbidden("missing or wrong CSRF token") }
            let configuration = context.state.snapshot.configuration
            let scope = ConsoleScope(actor, directory: configuration.directory.teams)
            guard let lead = try? await store.lead(id), scope.sees(lead) else { return forbidden("not one of this person's leads") }
            if parts[2] == "reassign", actor != .admin, scope.teams.isEmpty { return forbidden("only a supervisor or the admin reassigns") }
            let message = await leadAction(id, action: String(parts[2]), form: request.form, actor: actor, now: now)
            context.logger.info("console action", metadata: ["action": "\(parts[2])", "lead.id": "\(id)", "actor": "\(actor.text)"])
            let encoded = message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return .redirect("/ui/leads/\(id)?m=\(encoded)")
        }
    }

    /// The session's actor when the form carries the session's CSRF token.
    private func checkedActor(_ request: ConsoleRequest, now: Date) -> ConsoleActor? {
        guard let session = request.sessionCookie, let actor = sessions.actor(of: session, now: now), let given = request.form["csrf"],
              ConstantTime.equal(Array(given.utf8), Array(sessions.csrfToken(for: session).utf8)) else { return nil }
        return actor
    }

    /// `HttpOnly; SameSite=Strict`, for `/ui` only; `Secure` when people reach it over TLS.
    private func cookie(_ value: String, maxAge: Int, secure: Bool) -> String {
        "\(ConsoleRoutes.sessionCookie)=\(value); Path=/ui; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Behind a TLS reverse proxy: `ui.public_url` is https, or the proxy says so.
    private func servedOverTLS(_ request: ConsoleRequest) -> Bool {
        context.state.snapshot.configuration.ui.publicURL?.hasPrefix("https://") == true || request.forwardedProto?.lowercased() == "https"
    }

    private func forbidden(_ why: String) -> ConsoleReply {
        context.logger.notice("console form refused", metadata: ["reason": "\(why)"])
        return ConsoleReply(status: 403, html: ConsolePages.page(title: "403", actor: nil, csrf: nil, content: "<p role=\"alert\">403: \(why)</p>"))
    }

    /// A one-time link's actor, if it is intact, unexpired, unused (now used) and names the admin
    /// or a configured, active rep.
    private func redeem(_ link: String, now: Date) async -> ConsoleActor? {
        guard let contents = sessions.link(link, now: now) else { return nil }
        if case .rep(let rep) = contents.actor {
            guard context.state.snapshot.configuration.directory.reps.contains(where: { $0.id == rep && $0.active }) else { return nil }
        }
        guard (try? await store.redeemLink(nonce: contents.nonce, actor: contents.actor.text, expires: contents.expires, at: now)) == true else {
            return nil
        }
        return contents.actor
    }

    private func loginPage(error: String?, status: Int) -> ConsoleReply {
        var values: [String: Any] = [:]
        if let error { values["error"] = error }
        return ConsoleReply(status: status, html: ConsolePages.page(title: "登录 Log in", actor: nil, csrf: nil,
                                                                    content: ConsolePages.login.render(values)))
    }

    private func viewer(_ actor: ConsoleActor) -> ConsolePages.Viewer {
        let teams = context.state.snapshot.configuration.directory.teams
        let isRep: Bool = if case .rep = actor { true } else { false }
        return ConsolePages.Viewer(label: label(actor), isRep: isRep,
                                   supervises: actor == .admin || !ConsoleScope(actor, directory: teams).teams.isEmpty)
    }

    private func label(_ actor: ConsoleActor) -> String {
        switch actor {
        case .admin: return "管理员 admin"
        case .rep(let rep):
            let name = context.state.snapshot.configuration.directory.reps.first { $0.id == rep }?.name
            return name.map { "\($0) (\(rep.rawValue))" } ?? rep.rawValue
        }
    }
}
