import Foundation

/// The repository's Python helpers (`scripts/lib/*.py`: the SMTP and channel sinks), started with
/// the virtualenv `scripts/test` fills (.build/python, else a `python3` on PATH) and stopped by
/// their own pid.
enum PythonHelper {
    /// Starts `scripts/lib/SCRIPT ARGUMENTS` and waits until it prints READY.
    static func start(_ script: String, _ arguments: [String], in directory: URL, name: String) async throws -> ChildProcess {
        let venv = RepositoryPaths.root.appendingPathComponent(".build/python/bin/python3")
        let python = FileManager.default.isExecutableFile(atPath: venv.path) ? [venv.path] : ["python3"]
        let path = RepositoryPaths.root.appendingPathComponent("scripts/lib/\(script)").path
        let child = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: python + [path] + arguments,
                                     outputDirectory: directory, name: name)
        try await poll(name, timeout: 60) {
            if !child.isRunning { throw SMTPSinkError.exited(child.stderr) }
            return child.stdout.contains("READY") ? true : nil
        }
        return child
    }

    /// SIGTERM, then SIGKILL if it has not stopped within 5 s. Returns at once: the waiting and
    /// reaping happen on a dispatch thread, never on the test's (a `defer` in an async test runs
    /// on the cooperative pool, which the in-process servers of other tests need).
    static func stop(_ child: ChildProcess) {
        child.signal(SIGTERM)
        DispatchQueue.global().async {
            let deadline = Date().addingTimeInterval(5)
            while child.isRunning, Date() < deadline { usleep(20_000) }
            if child.isRunning { kill(child.pid, SIGKILL) }
            child.process.waitUntilExit()
        }
    }

    /// The same, waiting (without blocking a thread) until it has exited.
    static func stopAndWait(_ child: ChildProcess) async {
        child.signal(SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while child.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if child.isRunning { kill(child.pid, SIGKILL) }
        while child.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }
}
