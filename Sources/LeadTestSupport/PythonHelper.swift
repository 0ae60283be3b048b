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
        try await poll(name, timeout: 20) {
            if !child.isRunning { throw SMTPSinkError.exited(child.stderr) }
            return child.stdout.contains("READY") ? true : nil
        }
        return child
    }

    /// SIGTERM, then SIGKILL if it has not stopped within 5 s; waits for it.
    static func stop(_ child: ChildProcess) {
        child.signal(SIGTERM)
        let pid = child.pid
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if child.isRunning { kill(pid, SIGKILL) } }
        child.process.waitUntilExit()
    }
}
