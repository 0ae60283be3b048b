import ArgumentParser
import Foundation
import LeadConfig
import LeadIngest

/// `leadctl drop`: delivers mail files into a mail-drop the maildir(5) way (tmp/, fsync,
/// rename into new/), like Postfix's postdrop.
struct DropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop", abstract: "Deliver mail files into a mail-drop (tmp/, fsync, rename into new/).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The [[maildrop]] name (default: the only one configured).")
    var maildrop: String?
    @Argument(help: "Mail files (RFC 5322); '-' reads standard input.")
    var files: [String]

    func run() async throws {
        let (configuration, _) = try loadConfiguration(global)
        let target: MaildropConfiguration
        if let maildrop {
            guard let found = configuration.maildrops.first(where: { $0.name == maildrop }) else {
                printError("no [[maildrop]] named \"\(maildrop)\" (configured: \(configuration.maildrops.map(\.name).joined(separator: ", ")))")
                throw ExitCode.failure
            }
            target = found
        } else {
            guard configuration.maildrops.count == 1, let only = configuration.maildrops.first else {
                printError("name the mail-drop with --maildrop (configured: \(configuration.maildrops.map(\.name).joined(separator: ", ")))")
                throw ExitCode.failure
            }
            target = only
        }
        try MaildirSpool(root: target.path).prepare()
        var failed = false
        for file in files {
            do {
                let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
                let name = try MaildirSpool.deliver(Array(data), to: target.path)
                print("\(file): delivered to \(target.name) as \(name)")
            } catch {
                printError("\(file): \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
