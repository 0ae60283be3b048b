import ArgumentParser
import Foundation
import LeadConfig

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check the configuration file.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration; print every problem. Exits 0 only when it is valid.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let loader = ConfigLoader()
            let path = loader.resolvePath(explicit: global.config)
            switch Result(catching: { () throws(ConfigError) in try loader.load(path: path) }) {
            case .success(let configuration):
                // Valid, but a calendar whose holiday data ends soon is worth saying (exit 0).
                let warnings = configuration.calendars.compactMap { $0.coverage(at: Date()) }.filter(\.warns).map(\.message)
                if output.json {
                    try printJSON(["valid": true, "file": path, "issues": [Any](), "warnings": warnings,
                                   "reps": configuration.directory.reps.count,
                                   "teams": configuration.directory.teams.count])
                } else {
                    print("\(path): OK (\(configuration.directory.reps.count) reps, \(configuration.directory.teams.count) teams)")
                    for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                }
            case .failure(let error):
                if output.json {
                    try printJSON(["valid": false, "file": path, "issues": error.issues.map { issue -> [String: Any] in
                        ["file": issue.file, "line": issue.line ?? NSNull(), "key": issue.keyPath, "message": issue.message]
                    }])
                } else {
                    FileHandle.standardError.write(Data((error.description + "\n").utf8))
                    FileHandle.standardError.write(Data("\(error.issues.count) problem(s) in \(path)\n".utf8))
                }
                throw ExitCode(1)
            }
        }
    }
}
