import Foundation
import LeadTestSupport
import Testing

/// The same demo data on both stores gives byte-identical reports: `leadctl demo seed --seed 7`
/// on SQLite and on PostgreSQL, then every report as JSON, overall and grouped. Skipped, with a
/// message, without a test PostgreSQL; `scripts/test` always starts one.
@Suite(.enabled(if: TestPostgres.socket != nil || TestPostgres.required,
                "no test PostgreSQL (LEADROUTER_TEST_PG_SOCKET is unset): run scripts/test"))
struct ReportParityTests {
    static let seededAt = "2026-11-30T08:00:00Z"
    static let reportedAt = "2026-11-30T09:30:00Z"

    @Test func everyReportIsByteIdenticalOnBothStores() async throws {
        let socket = try #require(TestPostgres.socket, "scripts/test starts PostgreSQL and sets LEADROUTER_TEST_PG_SOCKET")
        let database = try await TestPostgres.createDatabase(socket: socket)
        let folder = try TemporaryDirectory(prefix: "lr-parity")
        defer { folder.remove() }
        let sqlite = try exampleConfig(in: folder)
        let example = try String(contentsOf: sqlite, encoding: .utf8)
        let postgres = try folder.write("postgres.toml", example.replacingOccurrences(of: """
            [store]
            # "full": every commit survives power loss. "normal": faster, may lose the last commits on power loss.
            synchronous = "full"
            busy_timeout = "5s"
            """, with: """
            [store]
            backend = "postgresql"
            socket = "\(socket)"
            database = "\(database)"
            user = "\(TestPostgres.user)"
            """))
        #expect(try String(contentsOf: postgres, encoding: .utf8).contains("backend = \"postgresql\""))
        func ctl(_ config: URL, _ args: [String]) async throws -> String {
            let result = try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config.path] + args, in: folder.url,
                                                    name: "leadctl")
            #expect(result.status == 0, "\(config.lastPathComponent) \(args): \(result.stderr)")
            return result.stdout
        }
        for config in [sqlite, postgres] {
            let seeded = try await ctl(config, ["demo", "seed", "--seed", "7", "--leads", "160", "--days", "14", "--now", Self.seededAt])
            #expect(seeded.hasPrefix("seeded "), "\(seeded)")
        }
        var compared = 0
        for name in ["response", "sla", "follow-ups", "funnel", "dwell", "distribution", "sources"] {
            for grouping in [[], ["--by", "rep"], ["--by", "source"], ["--by", "province"]] {
                let args = ["report", name, "--json", "--now", Self.reportedAt] + grouping
                let a = try await ctl(sqlite, args)
                let b = try await ctl(postgres, args)
                #expect(a == b, "\(args) differs:\nsqlite:\n\(a)\npostgresql:\n\(b)")
                #expect(a.count > 10, "\(args) shows something")
                compared += 1
            }
        }
        #expect(compared == 28)
        let status = try await ctl(postgres, ["status"])
        #expect(status.contains("store: postgresql") && status.contains("leads: "), "\(status)")
        await TestPostgres.dropDatabase(database, socket: socket)
    }
}
