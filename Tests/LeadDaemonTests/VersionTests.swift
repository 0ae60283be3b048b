import Foundation
import LeadCore
import LeadTestSupport
import Testing

/// `--version` on both executables: the one version line and the build's commit, which the
/// release scripts stamp into the built binary (scripts/lib/stamp-commit); `swift build` alone
/// says "unknown".
@Suite struct VersionTests {
    @Test func bothExecutablesPrintTheVersionAndAStampedCommit() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        for product in ["leadrouterd", "leadctl"] {
            let plain = try await ChildProcess.run(RepositoryPaths.product(product), ["--version"], in: folder.url, name: product)
            #expect(plain.status == 0 && plain.stdout == "\(LeadRouterVersion.current) (commit unknown)\n", "\(plain)")
            let copy = folder.file(product)
            try FileManager.default.copyItem(at: RepositoryPaths.product(product), to: copy)
            let stamp = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/python3"),
                                                   [RepositoryPaths.root.appendingPathComponent("scripts/lib/stamp-commit").path, copy.path, "0123456789ab"],
                                                   in: folder.url, name: "stamp")
            #expect(stamp.status == 0, "\(stamp.stderr)")
            let stamped = try await ChildProcess.run(copy, ["--version"], in: folder.url, name: product)
            #expect(stamped.stdout == "\(LeadRouterVersion.current) (commit 0123456789ab)\n", "\(stamped)")
        }
    }
}
