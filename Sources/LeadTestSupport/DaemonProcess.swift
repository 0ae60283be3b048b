import Foundation

/// A real child process (leadrouterd, leadctl, a helper) with its output captured to files.
/// Tests stop it by its own pid.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    public let stdoutFile: URL
    public let stderrFile: URL

    public init(executable: URL, arguments: [String], environment: [String: String] = [:],
                inheritEnvironment: Bool = true, outputDirectory: URL, name: String) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "WATCHDOG_USEC")
        env.removeValue(forKey: "WATCHDOG_PID")
        env.removeValue(forKey: "LEADROUTER_CONFIG")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        stdoutFile = outputDirectory.appendingPathComponent("\(name).stdout")
        stderrFile = outputDirectory.appendingPathComponent("\(name).stderr")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Output as text; bytes that are not UTF-8 (a raw GBK mail, say) become U+FFFD.
    public var stdout: String { String(decoding: (try? Data(contentsOf: stdoutFile)) ?? Data(), as: UTF8.self) }
    public var stderr: String { String(decoding: (try? Data(contentsOf: stderrFile)) ?? Data(), as: UTF8.self) }

    /// Waits for the process to exit; returns its exit status.
    @discardableResult
    public func waitForExit(timeout: Double = 60) async throws -> Int32 {
        do {
            try await poll("process \(pid) to exit", timeout: timeout) { process.isRunning ? nil : true }
        } catch let timeout as PollTimeout {
            // Say what the process was doing: the end of its log.
            throw PollTimeout(what: "\(timeout.what); its stderr ends: \(stderr.suffix(1_500))", seconds: timeout.seconds)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills the process if it is still running (cleanup after a failed test).
    public func stop() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Runs a command to completion and returns (status, stdout, stderr).
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           in directory: URL, name: String = "command", timeout: Double = 60) async throws
        -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment,
                                     outputDirectory: directory, name: name)
        defer { child.stop() }
        let status = try await child.waitForExit(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }
}
