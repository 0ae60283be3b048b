import ArgumentParser
import Foundation
import LeadCore
import LeadConfig
import LeadStoreSQLite
import LeadStores
import Logging

/// Loads the configuration or fails the command with every problem listed.
/// The configuration, with its secrets read only when `secrets` (most commands need none, and a
/// user in the service's group may not be able to read them).
func loadConfiguration(_ options: GlobalOptions, secrets: Bool = false) throws -> (DaemonConfiguration, String) {
    let loader = ConfigLoader(readsSecrets: secrets)
    let path = loader.resolvePath(explicit: options.config)
    do {
        return (try loader.load(path: path), path)
    } catch {
        printError(error.description)
        throw ExitCode(78)
    }
}

/// What leadctl reaches the store through: the daemon's ports and the read-only inspection
/// questions, never a concrete store type (`StoreOpener` chooses it from `[store]`).
typealias LeadCtlStore = DaemonStore & StoreInspection

/// Opens the store for reading: SQLite read-only (reads never block the daemon's writes), or the
/// shared PostgreSQL database.
func openStore(_ configuration: DaemonConfiguration) async throws -> any LeadCtlStore {
    try await openCluster(configuration, access: .read).store
}

/// Opens the store for the few commands that write (assign, contact, quarantine retry); SQLite
/// serialises them with the daemon's writer through the busy timeout.
func openWritableStore(_ configuration: DaemonConfiguration) async throws -> any LeadCtlStore {
    try await openCluster(configuration, access: .write).store
}

/// The store with its cluster coordination (set on PostgreSQL), or the command fails with why.
func openCluster(_ configuration: DaemonConfiguration, access: StoreOpener.Access) async throws -> OpenedStore {
    do {
        // The store's own notices (the PostgreSQL pool's) are not for a command's output.
        var logger = Logger(label: "leadctl")
        logger.logLevel = .error
        return try await StoreOpener.open(configuration, access: access, logger: logger)
    } catch let error as StoreOpenError {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as CustomStringConvertible & Error {
        printError("cannot open the store: \(error.description)")
        throw ExitCode.failure
    }
}

/// The routing engine, or the command fails with "no [routing] in the configuration".
func requireRouting(_ configuration: DaemonConfiguration) throws -> RoutingEngine {
    guard let engine = configuration.routingEngine else {
        printError("no [routing] in the configuration")
        throw ExitCode.failure
    }
    return engine
}

/// An `--now`-style option: an RFC 3339 instant, or the command fails with usage status 64.
func instant(_ text: String?) throws -> Date? {
    guard let text else { return nil }
    guard let date = RFC3339Text.date(text) else {
        printError("'\(text)' is not an RFC 3339 time (2026-12-01T08:00:00+08:00)")
        throw ExitCode(64)
    }
    return date
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data("leadctl: \(text)\n".utf8))
}

/// JSON with sorted keys and RFC 3339 UTC times.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

typealias RFC3339 = RFC3339Text

/// An RFC 3339 time from an option, or one clear error (no usage block) and exit 64 (EX_USAGE).
func requireTime(_ text: String, option: String) throws -> Date {
    guard let date = RFC3339Text.date(text) else {
        printError("\(option) '\(text)' is not an RFC 3339 time: write it as 2026-12-31T17:00:00+08:00 "
                   + "(or ...Z for UTC; fractions of a second allowed; the offset needs its colon)")
        throw ExitCode(64)
    }
    return date
}
