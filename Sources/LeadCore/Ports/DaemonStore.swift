/// Every port the daemon's services use, as one type: a store that lacks one of them is a compile
/// error where the daemon is built, never a runtime cast that quietly turns a feature off.
/// A second store (PostgreSQL) conforms to each of these.
public typealias DaemonStore = LeadStore & OutboxStore & DeadlineProcessing & ProvisionalDeadlineRecomputing
    & HeldLeadReleasing & ManualAssigning & RepHandingOver & ChangeFeed & ConsoleLinkRedeeming & DetailFetchStore & DailyDigestStore & WeeklySummaryStore
    & MailActivityRecording
