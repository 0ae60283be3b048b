import Foundation
import Mustache

/// The console's pages: swift-mustache templates (HTML-escaped by default), Chinese first with
/// English beside, no script. Lateness and state are words, never only a colour.
enum ConsolePages {
    static let layout = try! MustacheTemplate(string: """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · leadrouter</title>
        <link rel="stylesheet" href="/ui/style.css">
        {{#live}}<script src="/ui/live.js" defer></script>{{/live}}
        </head>
        <body{{#lead}} data-lead="{{lead}}"{{/lead}}>
        <header><strong>leadrouter</strong>{{#actor}} · <span>{{actor}}</span>
        <nav aria-label="页面 Pages"><a href="/ui">队列 Queue</a>{{#isRep}} <a href="/ui/me">待办 To-do</a>{{/isRep}}{{#supervises}} <a href="/ui/reps">销售 Reps</a> <a href="/ui/reports">报表 Reports</a> <a href="/ui/handover">交接 Handover</a>{{/supervises}}</nav>
        <form method="post" action="/ui/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">退出 Log out</button></form>{{/actor}}</header>
        {{#live}}<p id="live-status" role="status" class="sr"></p>{{/live}}
        <main>
        {{{content}}}
        </main>
        </body>
        </html>
        """)

    static let login = try! MustacheTemplate(string: """
        <h1>登录 Log in</h1>
        {{#error}}<p role="alert" class="error">{{error}}</p>{{/error}}
        <form method="post" action="/ui/login">
        <label for="token">令牌 Token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        <button type="submit">登录 Log in</button>
        </form>
        <p>Use your API token (a rep's <code>token_file</code>, or the admin token).</p>
        """)

    /// A one-time link's page: one button, so only a person (not a link preview) spends it.
    static let linkLogin = try! MustacheTemplate(string: """
        <h1>登录 Log in</h1>
        <form method="post" action="/ui/login">
        <input type="hidden" name="link" value="{{link}}">
        <button type="submit">以 {{who}} 登录 Log in as {{who}}</button>
        </form>
        <p>此链接只能使用一次 This link works once.</p>
        """)

    static let overview = try! MustacheTemplate(string: """
        <h1>队列 Queue — {{scope}}</h1>
        <section aria-label="概况 Summary" class="tiles">
        <div class="tile"><span class="figure">{{open}}</span> 未结线索 open leads</div>
        <div class="tile"><span class="figure">{{overdueCount}}</span> 首次联系已逾期 first contact overdue</div>
        <div class="tile"><span class="figure">{{dueSoonCount}}</span> 1小时内到期 due within 1 h</div>
        <div class="tile"><span class="figure">{{heldCount}}</span> 待分配 held / unassigned</div>
        <div class="tile"><span class="figure">{{today}}</span> 今日新线索 today's leads <span class="compare">(昨日 yesterday {{yesterday}})</span></div>
        </section>
        <table class="queue stack">
        <caption>已逾期（按逾期时长） Overdue, longest first</caption>
        <thead><tr><th scope="col">线索 Lead</th><th scope="col">负责人 Owner</th><th scope="col">时钟 Clock</th><th scope="col">截止 Due</th><th scope="col">逾期 Late</th></tr></thead>
        <tbody>
        {{#overdue}}<tr><td><a href="/ui/leads/{{id}}">#{{id}} {{title}}</a></td><td>{{owner}}</td><td>{{clock}}</td><td>{{due}}</td><td>{{late}}</td></tr>
        {{/overdue}}{{^overdue}}<tr><td colspan="5">没有逾期 Nothing overdue</td></tr>{{/overdue}}
        </tbody>
        </table>
        <table class="queue stack">
        <caption>1小时内到期 Due within the hour</caption>
        <thead><tr><th scope="col">线索 Lead</th><th scope="col">负责人 Owner</th><th scope="col">时钟 Clock</th><th scope="col">截止 Due</th><th scope="col">剩余 Left</th></tr></thead>
        <tbody>
        {{#dueSoon}}<tr><td><a href="/ui/leads/{{id}}">#{{id}} {{title}}</a></td><td>{{owner}}</td><td>{{clock}}</td><td>{{due}}</td><td>{{late}}</td></tr>
        {{/dueSoon}}{{^dueSoon}}<tr><td colspan="5">无 None</td></tr>{{/dueSoon}}
        </tbody>
        </table>
        {{#showHeld}}
        <table class="stack">
        <caption>待分配 Held leads and why</caption>
        <thead><tr><th scope="col">线索 Lead</th><th scope="col">原因 Reason</th><th scope="col">自 Since</th></tr></thead>
        <tbody>
        {{#held}}<tr><td><a href="/ui/leads/{{id}}">#{{id}} {{title}}</a></td><td>{{reason}}</td><td>{{since}}</td></tr>
        {{/held}}{{^held}}<tr><td colspan="3">无 None</td></tr>{{/held}}
        </tbody>
        </table>
        {{/showHeld}}
        """)

    /// The live pages' only script (served from `/ui/live.js`, so `default-src 'self'` allows it):
    /// on a `change` (for a lead page: of that lead) or a minute's `tick` it fetches the page again
    /// and swaps in its `<main>`, unless focus is inside `<main>` (someone is filling a form or
    /// moving through links): then it waits until focus leaves. A status line says when it updated.
    static let liveScript = """
        (function () {
          if (!window.EventSource || !window.fetch) return;
          var lead = document.body.getAttribute('data-lead');
          var waiting = false, fetching = false, again = false;
          function busy() {
            var main = document.querySelector('main'), active = document.activeElement;
            return main && active && active !== document.body && main.contains(active);
          }
          function refresh() {
            if (busy()) { waiting = true; return; }
            // One fetch at a time: changes that arrive meanwhile make one more, not one each.
            if (fetching) { again = true; return; }
            waiting = false;
            fetching = true;
            fetch(location.href, { credentials: 'same-origin' }).then(function (response) {
              return response.ok ? response.text() : null;
            }).then(function (html) {
              fetching = false;
              if (again) { again = false; setTimeout(refresh, 0); }
              if (!html || busy()) return;
              var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
              var main = document.querySelector('main');
              if (!fresh || !main) return;
              main.replaceWith(fresh);
              var status = document.getElementById('live-status');
              if (status) status.textContent = '已更新 Updated ' + new Date().toLocaleTimeString();
            }, function () { fetching = false; });
          }
          var source = new EventSource('/ui/events');
          source.addEventListener('change', function (event) {
            if (lead) {
              var changed = JSON.parse(event.data).leads || [];
              if (changed.indexOf(Number(lead)) < 0) return;
            }
            refresh();
          });
          source.addEventListener('tick', refresh);
          document.addEventListener('focusout', function () { if (waiting) setTimeout(refresh, 0); });
        })();
        """

    /// Readable on a phone (390 px) and a desktop; a visible focus ring.
    static let style = """
        body{font-family:"Noto Sans CJK SC","PingFang SC",system-ui,sans-serif;margin:0;color:#1b1b1b}
        header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.5rem 1rem;background:#eef2f6}
        main{padding:1rem;max-width:72rem}
        .inline{display:inline;margin-left:auto}
        nav a{margin-right:.6rem}
        figure{margin:0;max-width:100%;overflow-x:auto}
        figure svg{max-width:100%;height:auto}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem;margin-bottom:1rem}
        .tile{border:1px solid #9aa5b1;border-radius:.4rem;padding:.6rem}
        .figure{display:block;font-size:1.6rem;font-weight:700}
        table{border-collapse:collapse;width:100%;margin:1rem 0}
        caption{text-align:left;font-weight:700;padding:.3rem 0}
        th,td{border-bottom:1px solid #d0d7de;padding:.35rem;text-align:left}
        .scroll{overflow-x:auto}
        .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .error{color:#8a1c1c;font-weight:700}
        .notice{background:#eef6ee;border:1px solid #5a8f5a;padding:.4rem}
        form label{display:block;margin-top:.4rem}
        :focus{outline:3px solid #1a5fb4;outline-offset:2px}
        @media (max-width:480px){
        table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        table.stack tr{display:block;border-bottom:1px solid #9aa5b1;padding:.3rem 0}
        table.stack td{display:block;border:0;padding:.1rem .35rem}}
        """

    /// `live`: the page follows `/ui/events` (the overview, a lead, the to-do list); `lead`: only
    /// that lead's changes refresh it.
    /// Who is looking: their name, and which pages the navigation offers them.
    struct Viewer {
        var label: String
        var isRep: Bool
        var supervises: Bool
    }

    static func page(title: String, actor: Viewer?, csrf: String?, content: String, live: Bool = false, lead: String? = nil) -> String {
        var values: [String: Any] = ["title": title, "csrf": csrf ?? "", "content": content, "live": live]
        if let actor {
            values["actor"] = actor.label
            values["isRep"] = actor.isRep
            values["supervises"] = actor.supervises
        }
        if let lead { values["lead"] = lead }
        return layout.render(values)
    }
}
