import Foundation
import LeadTestSupport
import Testing

/// A temporary installation: a config file, a state folder, a real NOTIFY_SOCKET, and the real
/// `leadrouterd` binary started on them. Stopped by its own pid.
final class DaemonHarness: @unchecked Sendable {
    let folder: TemporaryDirectory
    let port: Int
    let notify: NotifySocketListener
    private(set) var daemon: ChildProcess?
    private var sinks: [SMTPSink] = []

    init(reps: Int = 2, port: Int? = nil) throws {
        folder = try TemporaryDirectory(prefix: "lr-e2e")
        self.port = try port ?? freeLocalPort()
        notify = try NotifySocketListener(path: folder.file("notify.sock").path)
        try writeConfig(reps: reps)
    }

    var configPath: String { folder.file("leadrouter.toml").path }

    static func config(reps: Int, port: Int, extra: String = "") -> String {
        var text = """
        [state]
        directory = "state"
        [http]
        listen = "127.0.0.1:\(port)"
        [log]
        target = "stderr"
        level = "info"
        [scheduler]
        max_sleep = "1s"
        \(extra)

        """
        for i in 1...reps {
            text += "[[rep]]\nid = \"rep\(i)\"\nname = \"销售\(i)\"\nemail = \"rep\(i)@example.com\"\n"
        }
        text += "[[team]]\nid = \"east\"\nmembers = [\"rep1\"]\nsupervisor = \"boss@example.com\"\n"
        text += "[routing]\ndefault = \"east\"\n"
        return text
    }

    /// State, HTTP with an admin token (`admin.token`), stderr logs, a 1 s work loop (plus
    /// `scheduler` lines), duplicates off and a signed JSON webhook `site` (`site.secret`).
    /// One rep `rep1` (named `name`, more keys in `rep`) in team `east` (supervisor
    /// boss@example.com, more keys in `team`), the routing default.
    static func oneTeam(name: String = "张伟", rep: String = "", team: String = "") -> String {
        """
        [[rep]]
        id = "rep1"
        name = "\(name)"
        email = "rep1@example.com"
        \(rep)
        [[team]]
        id = "east"
        members = ["rep1"]
        supervisor = "boss@example.com"
        \(team)
        [routing]
        default = "east"

        """
    }

    static func signedWebhookHeader(port: Int, scheduler: String = "") -> String {
        """
        [state]
        directory = "state"
        [http]
        listen = "127.0.0.1:\(port)"
        admin_token_file = "admin.token"
        [log]
        target = "stderr"
        [scheduler]
        max_sleep = "1s"
        \(scheduler)
        [intake]
        duplicate_match = "off"
        [[webhook]]
        name = "site"
        format = "json"
        secret_file = "site.secret"

        """
    }

    func writeConfig(reps: Int, extra: String = "") throws {
        try folder.write("leadrouter.toml", Self.config(reps: reps, port: port, extra: extra))
        // leadctl reads a copy that stays valid, so it can look at the database even while the
        // daemon's own file is deliberately broken.
        try folder.write("leadctl.toml", Self.config(reps: 1, port: port))
    }

    func writeRaw(_ text: String) throws { try folder.write("leadrouter.toml", text) }

    /// `config` for the daemon and leadctl alike, the daemon started and answering /readyz.
    @discardableResult
    func startReady(_ config: String) async throws -> ChildProcess {
        try writeRaw(config)
        try folder.write("leadctl.toml", config)
        let daemon = try start()
        try await poll("the daemon answers", timeout: 30) { try? await self.get("/readyz").status == 200 ? true : nil }
        return daemon
    }

    /// `site.secret` and `admin.token`, the files `signedWebhookHeader` names.
    func writeWebhookSecrets() throws {
        try folder.write("site.secret", webhookSecret + "\n")
        try folder.write("admin.token", "admin-token-0123456789\n")
    }

    /// Starts leadrouterd; with `descriptors`, under that RLIMIT_NOFILE (soft and hard, by
    /// util-linux `prlimit`), with `umask`, under that file-creation mask (by `sh`). Both exec the
    /// daemon, so the child's pid is the daemon's.
    func start(environment: [String: String] = [:], descriptors: Int? = nil, umask mask: String? = nil) throws -> ChildProcess {
        var env = environment
        env["NOTIFY_SOCKET"] = notify.path
        var command = [RepositoryPaths.product("leadrouterd").path, "--config", configPath]
        if let descriptors { command = ["/usr/bin/prlimit", "--nofile=\(descriptors):\(descriptors)"] + command }
        if let mask { command = ["/bin/sh", "-c", "umask \(mask) && exec \"$0\" \"$@\""] + command }
        let (executable, arguments) = (URL(fileURLWithPath: command[0]), Array(command.dropFirst()))
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: env,
                                     outputDirectory: folder.url, name: "leadrouterd")
        daemon = child
        return child
    }

    /// `leadctl --config … ARGS` against this installation.
    func leadctl(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", folder.file("leadctl.toml").path] + arguments,
                                   in: folder.url, name: "leadctl")
    }

    func statusJSON() async throws -> [String: Any] {
        let result = try await leadctl(["status", "--json"])
        #expect(result.status == 0, "leadctl status failed: \(result.stderr) \(result.stdout)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResponse {
        let port = self.port
        return try await offPool { try httpRequest(port: port, path: path, headers: headers) }
    }

    /// `/readyz` as the admin sees it (with the reasons; anyone else sees only which check fails).
    func readyzAsAdmin() async throws -> HTTPResponse {
        try await get("/readyz", headers: ["authorization": "Bearer admin-token-0123456789"])
    }

    /// A started aiosmtpd in this installation's folder, stopped (by its pid) in `cleanup`.
    func startSMTPSink(options: [String] = []) async throws -> SMTPSink {
        let sink = try SMTPSink(in: folder.url, options: options)
        try await sink.start()
        sinks.append(sink)
        return sink
    }

    func cleanup() {
        daemon?.stop()
        for sink in sinks { sink.stop() }
        folder.remove()
    }
}
