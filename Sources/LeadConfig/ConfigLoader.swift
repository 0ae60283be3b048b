import Foundation
import TOMLKit

/// Loads and validates the configuration file. All problems are collected and thrown together
/// as one `ConfigError`, each naming the file, the line and the key path.
public struct ConfigLoader: Sendable {
    /// Where the daemon and `leadctl` look when `--config` is not given.
    public static let defaultPath = "/etc/leadrouter/leadrouter.toml"

    public let environment: [String: String]
    /// Whether secret files are read (the daemon, `config check`, `webhook sign`); without, their
    /// keys are only checked for presence and the secrets are empty placeholders.
    public let readsSecrets: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, readsSecrets: Bool = true) {
        self.environment = environment
        self.readsSecrets = readsSecrets
    }

    /// `--config`, else `$LEADROUTER_CONFIG`, else the default path.
    public func resolvePath(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["LEADROUTER_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return Self.defaultPath
    }

    public func load(path: String) throws(ConfigError) -> DaemonConfiguration { try load(path: path, recorder: nil) }

    func load(path: String, recorder: ConfigKeyRecorder?) throws(ConfigError) -> DaemonConfiguration {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let url = URL(fileURLWithPath: (absolute as NSString).standardizingPath, isDirectory: false)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError(issues: [ConfigIssue(file: path, line: nil, keyPath: "", message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [ConfigIssue(file: path, line: nil, keyPath: "", message: "the file is not UTF-8 text")])
        }
        return try decode(text: text, file: url, displayPath: path, recorder: recorder)
    }

    /// Decodes TOML text as if it had been read from `file` (relative paths resolve against its folder).
    public func decode(text: String, file: URL, displayPath: String? = nil) throws(ConfigError) -> DaemonConfiguration {
        try decode(text: text, file: file, displayPath: displayPath, recorder: nil)
    }

    func decode(text: String, file: URL, displayPath: String?, recorder: ConfigKeyRecorder?) throws(ConfigError) -> DaemonConfiguration {
        let context = ConfigContext(displayPath: displayPath ?? file.path,
                                    baseDirectory: file.deletingLastPathComponent(),
                                    environment: environment, text: text)
        context.readsSecrets = readsSecrets
        context.recorder = recorder
        if let problem = TOMLPreflight.firstProblem(text) {
            context.report(line: problem.line, "TOML syntax: \(problem.message)")
            throw ConfigError(issues: context.sortedIssues)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            context.report(line: error.source.begin.line, "TOML syntax: \(error.description)")
            throw ConfigError(issues: context.sortedIssues)
        } catch {
            context.report(line: nil, "TOML syntax: \(error)")
            throw ConfigError(issues: context.sortedIssues)
        }
        guard case .table(let values) = ConfigValue(table) else {
            preconditionFailure("a parsed TOML document is a table")
        }
        let root = TableReader(values, path: ConfigKeyPath(), context: context)
        let configuration = Self.decodeSections(root, file: file)
        root.finish()
        guard context.issues.isEmpty else { throw ConfigError(issues: context.sortedIssues) }
        return configuration
    }

    /// One line per section: a new section is a new type and a new line here.
    private static func decodeSections(_ root: TableReader, file: URL) -> DaemonConfiguration {
        let state = StateConfiguration.decode(root.section("state"))
        let calendars = CalendarConfiguration.decodeAll(root)
        let channels = ChannelConfiguration.decodeAll(root)
        // Notices go to robots; a webhook channel takes events (its `events`), not notices.
        let channelNames = Set(channels.filter { $0.kind != .webhook }.map(\.name))
        let directory = DirectoryConfiguration.decode(root, calendars: calendars, channels: channelNames)
        let intake = IntakeConfiguration.decode(root)
        var mail = MailConfiguration.decode(root.section("mail"))
        mail.weekly = DigestConfiguration.weekly(root, calendars: calendars)
        mail.digest = DigestConfiguration.decode(root, calendars: calendars)
        return DaemonConfiguration(
            sourceFile: file,
            state: state,
            store: StoreConfiguration.decode(root.section("store")),
            http: HTTPConfiguration.decode(root.section("http")),
            log: LogConfiguration.decode(root.section("log")),
            scheduler: SchedulerConfiguration.decode(root.section("scheduler")),
            smtp: root.hasKey("smtp") ? SMTPConfiguration.decode(root.section("smtp")) : nil,
            directory: directory,
            intake: intake,
            maildrops: MaildropConfiguration.decodeAll(root, stateDirectory: state.directory),
            webhooks: WebhookConfiguration.decodeAll(root, welcomeSources: mail.welcomeSources),
            routing: RoutingConfiguration.decode(root, directory: directory, regions: intake.regions),
            calendars: calendars,
            sla: SLAConfiguration.decodeAll(root, calendars: calendars, teams: Set(directory.teams.map(\.id)), regions: intake.regions,
                                            channels: channelNames),
            mail: mail,
            lifecycle: LifecycleConfiguration.decode(root),
            ui: ConsoleConfiguration.decode(root.section("ui")),
            channels: channels)
    }
}
