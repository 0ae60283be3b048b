import ArgumentParser
import Foundation
import LeadConfig

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check the configuration file.",
        subcommands: [Check.self, Keys.self])

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every key the loader reads for this file, with its type and default.",
            discussion: """
                Keys inside arrays of tables are written rep[].mobile; keys that are data (routing criteria, \
                mail-drop labels, region names) are written *. A section absent from the file lists none of \
                its keys (load a file with every section to see them all). Problems of the file are printed \
                to stderr; the exit status is 0 either way.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let loader = ConfigLoader(readsSecrets: false)
            let table = loader.keyTable(path: loader.resolvePath(explicit: global.config))
            for issue in table.issues { FileHandle.standardError.write(Data("\(issue)\n".utf8)) }
            if output.json {
                try printJSON(table.keys.map { key -> [String: Any] in
                    ["key": key.key, "type": key.type, "default": key.defaultValue ?? NSNull(), "required": key.required]
                })
            } else {
                for key in table.keys {
                    print([key.key, key.type, key.required ? "required" : key.defaultValue.map { "default \($0)" } ?? ""]
                        .filter { !$0.isEmpty }.joined(separator: "\t"))
                }
            }
        }
    }

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
