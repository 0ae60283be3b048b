import Foundation
import LeadConfig
import LeadCore
import LeadTestSupport
import Testing

/// Decodes `text` as if read from /etc/leadrouter/leadrouter.toml.
func decode(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> DaemonConfiguration {
    try ConfigLoader(environment: environment).decode(
        text: text, file: URL(fileURLWithPath: "/etc/leadrouter/leadrouter.toml"), displayPath: "leadrouter.toml")
}

func issues(_ text: String, environment: [String: String] = [:]) -> [String] {
    do {
        _ = try decode(text, environment: environment)
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

let directory = """
[[rep]]
id = "zhang.wei"
name = "张伟"
email = "zhang.wei@example.com"

[[team]]
id = "east-china"
members = ["zhang.wei"]
supervisor = "zhang.wei"
[routing]
default = "east-china"
"""

@Suite struct ConfigLoaderTests {
    @Test func anEmptyFileTakesEveryDefault() throws {
        let config = try decode("")
        #expect(config.state.directory.path == "/var/lib/leadrouter")
        #expect(config.store == StoreConfiguration(synchronous: .full, busyTimeout: .seconds(5)))
        #expect(config.http.listen == .tcp(host: "127.0.0.1", port: 8080))
        #expect(config.log == LogConfiguration(level: .info, target: .auto))
        #expect(config.scheduler.maxSleep == .seconds(5))
        #expect(config.smtp == nil)
        #expect(config.directory.reps.isEmpty)
    }

    @Test func decodesEverySection() throws {
        let config = try decode("""
        [state]
        directory = "/srv/leadrouter"
        [store]
        synchronous = "normal"
        busy_timeout = "10s"
        [http]
        listen = "[::1]:9090"
        [log]
        level = "debug"
        target = "stderr"
        [scheduler]
        max_sleep = "2s"
        \(directory)
        """)
        #expect(config.state.databaseFile.path == "/srv/leadrouter/leadrouter.sqlite")
        #expect(config.store == StoreConfiguration(synchronous: .normal, busyTimeout: .seconds(10)))
        #expect(config.http.listen == .tcp(host: "::1", port: 9090))
        #expect(config.log == LogConfiguration(level: .debug, target: .stderr))
        #expect(config.scheduler.maxSleep == .seconds(2))
        #expect(config.directory.reps == [Rep(id: RepID("zhang.wei"), name: "张伟",
                                             email: EmailAddress(rawValue: "zhang.wei@example.com")!)])
        #expect(config.directory.teams.first?.supervisor == .rep(RepID("zhang.wei")))
    }

    @Test func relativePathsResolveAgainstTheFilesFolder() throws {
        let config = try decode("""
        [state]
        directory = "../../var/lib/lr"
        [http]
        listen = "unix:run/http.sock"
        """)
        #expect(config.state.directory.path == "/var/lib/lr")
        #expect(config.http.listen == .unix(path: "/etc/leadrouter/run/http.sock"))
    }

    /// Each invalid file and the exact messages it must produce (file:line: key: message).
    @Test(arguments: [
        ("[http]\nlisten = \"127.0.0.1:8080\"\nlisten_port = 9\n",
         ["leadrouter.toml:3: http.listen_port: unknown key"]),
        ("[scheduler]\nmax_sleep = \"5 minutes\"\n",
         ["leadrouter.toml:2: scheduler.max_sleep: \"5 minutes\" is not a duration (use a number and a unit s, m, h or d, e.g. \"90s\", \"15m\", \"24h\", \"3d\", \"1h30m\")"]),
        ("[scheduler]\nmax_sleep = \"2h\"\n",
         ["leadrouter.toml:2: scheduler.max_sleep: 2h is out of range 1s...1m"]),
        ("[store]\nsynchronous = \"extra\"\n",
         ["leadrouter.toml:2: store.synchronous: \"extra\" is not one of \"full\", \"normal\""]),
        ("[store]\nbusy_timeout = 5\n",
         ["leadrouter.toml:2: store.busy_timeout: expected a string, got an integer"]),
        ("[http]\nlisten = \"localhost\"\n",
         ["leadrouter.toml:2: http.listen: \"localhost\" is not \"HOST:PORT\", \"[IPV6]:PORT\" or \"unix:PATH\""]),
        ("http = 3\n", ["leadrouter.toml:1: http: expected a table, got an integer"]),
        ("[escalation]\nlevel = 1\n", ["leadrouter.toml:1: escalation: unknown key"]),
        ("[[rep]]\nid = \"a\"\nname = \"A\"\n",
         ["leadrouter.toml:1: rep[0].email: missing required key"]),
        ("[[rep]]\nid = \"a\"\nname = \"A\"\nemail = \"not-an-address\"\n",
         ["leadrouter.toml:4: rep[0].email: \"not-an-address\" is not a valid e-mail address"]),
        ("[[rep]]\nid = \"张伟\"\nname = \"A\"\nemail = \"a@example.com\"\n",
         ["leadrouter.toml:2: rep[0].id: \"张伟\" is not an identifier (ASCII letters, digits, '.', '_', '-'; at most 64)"]),
        ("[[rep]]\nid = \"a\"\nname = \"A\"\nemail = \"a@example.com\"\n[[rep]]\nid = \"a\"\nname = \"B\"\nemail = \"b@example.com\"\n",
         ["leadrouter.toml:6: rep[1].id: duplicate rep id \"a\""]),
        ("\(directory)\n[[team]]\nid = \"south\"\nmembers = [\"ghost\"]\nsupervisor = \"nobody\"\n",
         ["leadrouter.toml:14: team[1].members: unknown rep \"ghost\"",
          "leadrouter.toml:15: team[1].supervisor: \"nobody\" is neither a rep id nor an e-mail address"]),
        ("[log]\nlevel = \"loud\"\n[state]\ndirectory = 7\n",
         ["leadrouter.toml:2: log.level: \"loud\" is not one of \"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\"",
          "leadrouter.toml:4: state.directory: expected a string, got an integer"]),
        ("[http\nlisten = 1\n", ["leadrouter.toml:1: TOML syntax: Error while parsing table header: expected ']', saw '\\n'"]),
    ])
    func reportsEveryProblemWithFileLineAndKey(text: String, expected: [String]) {
        #expect(issues(text) == expected)
    }

    @Test func reportsAllProblemsAtOnceInFileOrder() {
        let found = issues("""
        [store]
        synchronous = "sometimes"
        busy_timeout = "forever"
        [http]
        listen = "nowhere"
        colour = "blue"
        """)
        #expect(found.map { $0.split(separator: ":").prefix(3).joined(separator: ":") } == [
            "leadrouter.toml:2: store.synchronous", "leadrouter.toml:3: store.busy_timeout",
            "leadrouter.toml:5: http.listen", "leadrouter.toml:6: http.colour",
        ])
    }

    @Test func theExampleConfigurationIsValid() throws {
        let path = RepositoryPaths.root.appendingPathComponent("Config/leadrouter.toml").path
        let config = try ConfigLoader(environment: [:]).load(path: path)
        #expect(config.http.listen == .tcp(host: "127.0.0.1", port: 8080))
        #expect(config.state.directory.path == RepositoryPaths.root.appendingPathComponent("state").path)
        #expect(config.directory.reps.count >= 2)
        #expect(config.directory.teams.allSatisfy { !$0.members.isEmpty })
    }

    @Test func aBundledFixtureLoadsFromDisk() throws {
        let url = try #require(Bundle.module.url(forResource: "minimal", withExtension: "toml", subdirectory: "Fixtures"))
        let config = try ConfigLoader(environment: [:]).load(path: url.path)
        #expect(config.state.directory.path == url.deletingLastPathComponent().appendingPathComponent("state").path)
        #expect(config.directory.teams.map(\.id) == [TeamID("east-china")])
    }

    @Test func aMissingFileIsOneClearIssue() {
        #expect(throws: ConfigError(issues: [ConfigIssue(file: "/nonexistent/leadrouter.toml", line: nil, keyPath: "",
                                                         message: "cannot read the file")])) {
            try ConfigLoader(environment: [:]).load(path: "/nonexistent/leadrouter.toml")
        }
    }

    @Test func theConfigPathComesFromFlagThenEnvironmentThenDefault() {
        #expect(ConfigLoader(environment: ["LEADROUTER_CONFIG": "/x.toml"]).resolvePath(explicit: "/y.toml") == "/y.toml")
        #expect(ConfigLoader(environment: ["LEADROUTER_CONFIG": "/x.toml"]).resolvePath(explicit: nil) == "/x.toml")
        #expect(ConfigLoader(environment: [:]).resolvePath(explicit: nil) == "/etc/leadrouter/leadrouter.toml")
    }

    @Test func reloadKnowsWhichChangesNeedARestart() throws {
        let old = try decode("[http]\nlisten = \"127.0.0.1:8080\"\n")
        let new = try decode("[http]\nlisten = \"127.0.0.1:8081\"\n[log]\nlevel = \"debug\"\n")
        #expect(new.restartOnlyDifferences(from: old) == ["http.listen"])
        let tuned = try decode("[http]\nlisten = \"127.0.0.1:8080\"\nidle_timeout = \"5s\"\nmax_connections = 10\n")
        #expect(tuned.restartOnlyDifferences(from: old) == ["http.idle_timeout", "http.max_connections"])
    }

    /// One list of restart-only keys: the README's reload paragraph names each of them.
    @Test func theReadmeNamesEveryRestartOnlyKey() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let paragraph = try #require(readme.range(of: "A reload (SIGHUP) applies everything").map { String(readme[$0.lowerBound...].prefix(600)) })
        for key in DaemonConfiguration.restartOnlyKeys {
            #expect(paragraph.contains("`\(key)`"), "README's reload paragraph does not name \(key)")
        }
    }
}
