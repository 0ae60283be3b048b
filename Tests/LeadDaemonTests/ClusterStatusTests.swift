import Foundation
import LeadTestSupport
import Testing

/// Three real leadrouterd on one PostgreSQL database: `leadctl status` lists three nodes and one
/// leader; the leader killed with SIGKILL, another node takes over once its row expires, and the
/// status says so. Skipped, with a message, without a test PostgreSQL; `scripts/test` starts one.
@Suite(.enabled(if: TestPostgres.socket != nil || TestPostgres.required,
                "no test PostgreSQL (LEADROUTER_TEST_PG_SOCKET is unset): run scripts/test"))
struct ClusterStatusTests {
    @Test func statusShowsThreeNodesAndOneLeaderAndANewLeaderAfterTheLeaderDies() async throws {
        let socket = try #require(TestPostgres.socket, "scripts/test starts PostgreSQL and sets LEADROUTER_TEST_PG_SOCKET")
        let database = try await TestPostgres.createDatabase(socket: socket)
        let folder = try TemporaryDirectory(prefix: "lr-cluster-status")
        var daemons: [ChildProcess] = []
        defer {
            for daemon in daemons { daemon.stop() }
            folder.remove()
        }
        for index in 0..<3 {
            let port = try freeLocalPort()
            let config = try folder.write("node\(index).toml", """
            [state]
            directory = "state\(index)"
            [store]
            backend = "postgresql"
            socket = "\(socket)"
            database = "\(database)"
            user = "\(TestPostgres.user)"
            [http]
            listen = "127.0.0.1:\(port)"
            [log]
            target = "stderr"
            [[rep]]
            id = "zhang.wei"
            name = "张伟"
            email = "zhang.wei@example.com"
            """)
            daemons.append(try ChildProcess(executable: RepositoryPaths.product("leadrouterd"), arguments: ["--config", config.path],
                                            outputDirectory: folder.url, name: "node\(index)"))
        }
        let ctlConfig = folder.file("node0.toml")
        func status() async throws -> [String: Any] {
            let result = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", ctlConfig.path, "status", "--json"],
                                                    in: folder.url, name: "status")
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        }
        func cluster(_ status: [String: Any]) -> (nodes: [[String: Any]], leader: String?) {
            let cluster = status["cluster"] as? [String: Any] ?? [:]
            return (cluster["nodes"] as? [[String: Any]] ?? [], cluster["leader"] as? String)
        }
        // Three nodes ticking, one of them the leader.
        let first = try await poll("three running nodes and a leader", timeout: 60, every: .milliseconds(250)) { () -> String? in
            let (nodes, leader) = cluster(try await status())
            let running = nodes.filter { $0["state"] as? String == "running" }
            guard running.count == 3, let leader, nodes.filter({ $0["leader"] as? Bool == true }).count == 1 else { return nil }
            return leader
        }
        let pids = Set(daemons.map(\.pid))
        let leaderPid = try #require(Int32(first.split(separator: "/").last ?? ""))
        #expect(pids.contains(leaderPid), "the leader is one of ours: \(first)")
        let text = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", ctlConfig.path, "status"], in: folder.url,
                                              name: "status-text")
        #expect(text.stdout.contains("nodes: 3, leader: \(first)"), "\(text.stdout)")

        // The leader dies without a word; its row expires (15 s) and another node takes it.
        let victim = try #require(daemons.first { $0.pid == leaderPid })
        victim.signal(SIGKILL)
        _ = try await victim.waitForExit(timeout: 30)
        let second = try await poll("a new leader", timeout: 45, every: .milliseconds(500)) { () -> String? in
            guard let leader = cluster(try await status()).leader, leader != first else { return nil }
            return leader
        }
        let newPid = try #require(Int32(second.split(separator: "/").last ?? ""))
        #expect(newPid != leaderPid && pids.contains(newPid), "\(second) took over from \(first)")
        for daemon in daemons where daemon.pid != leaderPid {
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit(timeout: 60) == 0)
        }
        await TestPostgres.dropDatabase(database, socket: socket)
    }
}
