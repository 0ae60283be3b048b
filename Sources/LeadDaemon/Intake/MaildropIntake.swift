import Foundation
import LeadConfig
import LeadCore
import LeadIngest
import Logging

/// Takes leads from one mail-drop: claims files from `new/`, extracts and normalises them, commits
/// a batch in one transaction, then moves the files on (`MaildirSpool` documents the crash states).
public struct MaildropIntake: MaildropProcessing {
    public let configuration: MaildropConfiguration
    public let spool: MaildirSpool
    let reader: SpoolReader
    let context: DaemonContext
    /// Files committed per transaction.
    public let batchSize: Int

    public init(configuration: MaildropConfiguration, context: DaemonContext, batchSize: Int = 64) {
        self.configuration = configuration
        self.spool = MaildirSpool(root: configuration.path)
        self.reader = SpoolReader(spool: spool, name: configuration.name)
        self.context = context
        self.batchSize = batchSize
    }

    private var intake: IntakeConfiguration { context.state.snapshot.configuration.intake }

    private var extractor: MailLeadExtractor {
        let current = context.state.snapshot.configuration.maildrops.first { $0.name == configuration.name } ?? configuration
        var labels: [String: LeadField] = [:]
        for (label, field) in current.labels { labels[label] = LeadField(configName: field) }
        return MailLeadExtractor(labels: FieldLabels.defaults.merging(labels), source: current.source,
                                 limits: MIMELimits(maxMessageBytes: current.maxMessageBytes),
                                 notifiers: NotifierAddresses(current.notifierAddresses))
    }

    /// Start-up reconciliation: finishes every file left in `cur/` by a crash (states 2–4).
    public func reconcile() async throws -> Int {
        let claimed = spool.names(in: .cur)
        var pending: [String] = []
        for name in claimed {
            switch try await context.store.intakeState(origin(name)) {
            case .lead?: try spool.complete(name)
            case .quarantined(let id)?:
                try spool.quarantine(name, reason: "quarantined before a restart; see: leadctl quarantine show \(id)")
            case nil: pending.append(name)
            }
        }
        try await process(pending)
        return claimed.count
    }

    func origin(_ name: String) -> LeadOrigin { LeadOrigin(channel: .maildrop, name: configuration.name, key: name) }

    /// Processes claimed files: one transaction for the leads, quarantine for the rest. If the
    /// store fails, every file not yet committed goes back to `new/` and the error is thrown.
    public func process(_ names: [String]) async throws {
        guard !names.isEmpty else { return }
        let now = context.clock.now()
        let extractor = self.extractor
        let normaliser = intake.normaliser
        var items: [(name: String, item: IntakeItem)] = []
        var rejected: [(name: String, item: QuarantineItem, kind: String)] = []
        var later: [String] = []
        for name in names {
            let origin = origin(name)
            do {
                let (bytes, size) = try await reader.read(claimed: name, limit: extractor.limits.maxMessageBytes, now: now)
                let raw = RawCapture(body: bytes)
                do {
                    guard size <= extractor.limits.maxMessageBytes else {
                        throw IngestError.tooLarge(bytes: size, limit: extractor.limits.maxMessageBytes)
                    }
                    let extraction = try extractor.extract(bytes, origin: origin, receivedAt: now)
                    items.append((name, IntakeItem(draft: normaliser.normalise(extraction.draft), raw: raw,
                                                   warnings: extraction.warnings)))
                } catch let error as IngestError {
                    let kept = error.isTooLarge ? RawCapture(headers: "truncated: first \(bytes.count) of \(size) bytes", body: bytes) : raw
                    rejected.append((name, QuarantineItem(origin: origin, reason: error.description, raw: kept, receivedAt: now), error.kind))
                }
            } catch MaildirSpool.Refusal.linkInProgress {
                later.append(name)
            } catch let refusal as MaildirSpool.Refusal {
                rejected.append((name, QuarantineItem(origin: origin, reason: refusal.description, raw: RawCapture(body: []),
                                                      receivedAt: now), "not_regular"))
            } catch {
                rejected.append((name, QuarantineItem(origin: origin, reason: "cannot read the file: \(error)",
                                                      raw: RawCapture(body: []), receivedAt: now), "unreadable"))
            }
        }
        for name in later { spool.unclaim(name) }
        do {
            let commits = try await context.store.commitIntakes(items.map(\.item), duplicates: intake.duplicates,
                                                                routing: context.state.snapshot.routing, at: now)
            for ((name, item), commit) in zip(items, commits) {
                try spool.complete(name)
                IntakeReporting.accepted(item, commit: commit, context: context)
            }
            for (name, item, kind) in rejected {
                let id = try await context.store.recordQuarantine(item, at: now)
                try spool.quarantine(name, reason: item.reason)
                IntakeReporting.quarantined(item, id: id, context: context, kind: kind)
            }
        } catch {
            for name in names where FileManager.default.fileExists(atPath: spool.path(.cur, name)) {
                // Only files whose origin is not yet in the store go back; committed ones finish next time.
                if (try? await context.store.intakeState(origin(name))) == nil { spool.unclaim(name) }
            }
            throw error
        }
    }
}

extension IngestError {
    var isTooLarge: Bool { if case .tooLarge = self { true } else { false } }

    /// A short, bounded label for metrics.
    var kind: String {
        switch self {
        case .tooLarge: "too_large"
        case .headerTooLarge: "header_too_large"
        case .tooManyParts: "too_many_parts"
        case .tooDeep: "too_deep"
        case .empty: "empty"
        case .noUsableLead: "no_usable_lead"
        }
    }
}
