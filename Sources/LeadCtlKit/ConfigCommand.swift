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
                if output.json {
                    try printJSON(["valid": true, "file": path, "issues": [Any](),
                                   "reps": configuration.directory.reps.count,
                                   "teams": configuration.directory.teams.count])
                } else {
                    print("\(path): OK (\(configuration.directory.reps.count) reps, \(configuration.directory.teams.count) teams)")
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
