import Foundation
import LeadTestSupport
import Testing

let hasSystemdAnalyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

/// The shipped unit, with ExecStart pointed at the freshly built binary (systemd-analyze verify
/// needs the binary to exist; the rest of the file is checked as shipped).
@Suite(.enabled(if: hasSystemdAnalyze, "needs systemd-analyze"))
struct SystemdUnitTests {
    func unitCopy() throws -> (TemporaryDirectory, URL) {
        let folder = try TemporaryDirectory(prefix: "lr-unit")
        let shipped = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("systemd/leadrouterd.service"),
                                 encoding: .utf8)
        #expect(shipped.contains("ExecStart=/usr/local/bin/leadrouterd "))
        let unit = try folder.write("leadrouterd.service", shipped.replacingOccurrences(
            of: "/usr/local/bin/leadrouterd", with: RepositoryPaths.product("leadrouterd").path))
        return (folder, unit)
    }

    @Test func verifyPrintsNothing() async throws {
        let (folder, unit) = try unitCopy()
        defer { folder.remove() }
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/systemd-analyze"),
                                                ["verify", unit.path], in: folder.url, name: "verify")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "systemd-analyze verify: \(result.stderr)")
    }

    /// systemd 252 compares `--threshold` with the exposure on its internal 0–100 scale (the printed
    /// 1.1 is 11), so "exposure 2.0 or lower" is `--threshold=20`; the printed figure is checked too.
    @Test func exposureIsAtMostTwo() async throws {
        let (folder, unit) = try unitCopy()
        defer { folder.remove() }
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/systemd-analyze"),
                                                ["security", "--offline=true", "--threshold=20", unit.path],
                                                in: folder.url, name: "security")
        #expect(result.status == 0, "\(result.stdout.suffix(400)) \(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let figure = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        #expect(figure <= 2.0, "exposure \(figure)")
    }

    @Test func theUnitHasTheLifecycleSettingsTheDaemonRelies() throws {
        let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("systemd/leadrouterd.service"),
                              encoding: .utf8)
        for line in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                     "RestartPreventExitStatus=78", "StateDirectory=leadrouter", "ConfigurationDirectory=leadrouter",
                     "RuntimeDirectory=leadrouter", "User=leadrouter", "LoadCredential=smtp-password", "LimitNOFILE=65536"] {
            #expect(text.contains("\n\(line)\n"), "missing \(line)")
        }
        #expect(text.contains("\nWatchdogSec="))
    }
}
