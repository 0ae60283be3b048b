import Foundation
import LeadTestSupport
import Testing

/// A /proc file read to its end (its size reads as 0, and a sized read stops at the first page).
func procText(_ path: String) -> String {
    String(decoding: FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
}

let canHarden = canUseMountNamespace && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

/// The unit's restrictions that can be reproduced without systemd as PID 1, applied by hand to the
/// real daemon: its own unprivileged user and group with no capabilities (setpriv), no new
/// privileges, the root file system read-only except the state directory (a private mount
/// namespace: ProtectSystem=strict + StateDirectory=), and MemoryDenyWriteExecute (the seccomp
/// filter systemd installs, by scripts/lib/mdwe-exec.py). Under all of them it takes a signed
/// webhook, routes it and sends the owner's mail through libcurl to a real SMTP server.
/// What is not reproduced here is listed in the README (Security).
@Suite(.enabled(if: canHarden, "needs root, unshare and setpriv"))
struct HardenedRunTests {
    static let nobody: UInt32 = 65534

    @Test func theDaemonWorksUnderTheUnitsRestrictions() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + routedConfig(reps: ["r1"]) + """

            [smtp]
            url = "smtp://127.0.0.1:\(sink.port)"
            from = "leadrouter@example.com"
            starttls = "off"
            """)
        let folder = harness.folder.url.path
        let state = harness.folder.file("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        // The service user reads its configuration and owns only its state directory.
        chmod(folder, 0o755)
        for name in ["leadrouter.toml", "site.secret", "admin.token"] { chmod(harness.folder.file(name).path, 0o644) }
        chmod(harness.notify.path, 0o777)
        chown(state, Self.nobody, Self.nobody)

        // The service user may not be able to reach the build tree (a clone under /root): run copies.
        let bin = harness.folder.file("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for source in [RepositoryPaths.product("leadrouterd"), RepositoryPaths.root.appendingPathComponent("scripts/lib/mdwe-exec.py")] {
            try FileManager.default.copyItem(at: source, to: bin.appendingPathComponent(source.lastPathComponent))
            chmod(bin.appendingPathComponent(source.lastPathComponent).path, 0o755)
        }
        chmod(bin.path, 0o755)
        let launcher = bin.appendingPathComponent("mdwe-exec.py").path
        let script = """
        set -e
        mount --bind "\(state)" "\(state)"
        mount -o remount,bind,ro /
        exec setpriv --reuid=\(Self.nobody) --regid=\(Self.nobody) --clear-groups --inh-caps=-all --bounding-set=-all \
            --no-new-privs /usr/bin/python3 "\(launcher)" "\(bin.path)/leadrouterd" --config "\(harness.configPath)"
        """
        let daemon = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/unshare"),
                                      arguments: ["-m", "--propagation", "private", "/bin/bash", "-c", script],
                                      environment: ["NOTIFY_SOCKET": harness.notify.path], outputDirectory: harness.folder.url,
                                      name: "leadrouterd-hardened")
        defer { daemon.stop() }
        _ = try await harness.notify.waitFor("READY=1")

        // The process is what the unit asks for (unshare and bash exec'd into it: same pid).
        let status = procText("/proc/\(daemon.pid)/status")
        func field(_ name: String) -> String {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) } ?? ""
        }
        #expect(field("Uid").split(separator: "\t").allSatisfy { $0 == "\(Self.nobody)" }, "\(field("Uid"))")
        #expect(field("Gid").split(separator: "\t").allSatisfy { $0 == "\(Self.nobody)" }, "\(field("Gid"))")
        #expect(field("CapEff") == "0000000000000000" && field("CapBnd") == "0000000000000000")
        #expect(field("NoNewPrivs") == "1")
        #expect(field("Seccomp") == "2", "a seccomp filter is installed")
        let maps = procText("/proc/\(daemon.pid)/maps")
        let libraries = Set(maps.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }.filter { $0.hasPrefix("/") })
        for library in ["libcurl.so", "libssl.so", "libcrypto.so"] {
            #expect(libraries.contains { $0.contains(library) }, "\(library) is loaded: \(libraries.sorted())")
        }
        let mounts = procText("/proc/\(daemon.pid)/mountinfo").split(separator: "\n")
        #expect(mounts.contains { $0.split(separator: " ")[4] == "/" && $0.split(separator: " ")[5].hasPrefix("ro") }, "root is read-only")
        #expect(mounts.contains { $0.split(separator: " ")[4] == state && $0.split(separator: " ")[5].hasPrefix("rw") }, "the state directory is writable")

        // It works: a lead taken, routed, and the owner's notice sent through libcurl.
        let body = #"{"name":"严格","email":"hardened@corp.example.cn"}"#
        #expect(try await harness.post("/webhooks/site", body, headers: signed(body, id: "hard-1")).status == 201)
        try await poll("the owner's mail at the SMTP server", timeout: 60) {
            sink.messages.contains { $0.recipients == ["r1@example.com"] } ? true : nil
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "\(daemon.stderr.suffix(2000))")
    }

    /// The launcher's filter really bites: writable executable memory is refused under it.
    @Test func theMemoryFilterRefusesWritableExecutableMemory() async throws {
        let launcher = RepositoryPaths.root.appendingPathComponent("scripts/lib/mdwe-exec.py").path
        let probe = "import mmap, sys\ntry:\n    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\nexcept OSError:\n    sys.exit(3)\n"
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let filtered = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), [launcher, "/usr/bin/python3", "-c", probe],
                                                  in: folder.url, name: "mdwe")
        #expect(filtered.status == 3)
        let unfiltered = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", probe], in: folder.url, name: "plain")
        #expect(unfiltered.status == 0)
    }
}
