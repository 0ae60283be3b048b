import LeadSystemd
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a reload for every SIGHUP until shutdown.
struct ReloadSignalService: Service {
    let reloader: ConfigReloader

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await reloader.reload()
        }
    }
}

/// Last in the service list, so it hears graceful shutdown first: says STOPPING=1 before the
/// HTTP server and the work loop wind down.
struct ShutdownNotifierService: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        // Cancellation (another service failed) is not a requested stop: nothing to announce.
        guard (try? await gracefulShutdown()) != nil else { return }
        logger.info("daemon stopping")
        notifier.stopping(status: "stopping: finishing work in flight")
    }
}
