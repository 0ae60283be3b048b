import LeadConfig
import LeadSystemd
import Logging

/// The one logging bootstrap, called from `leadrouterd/main.swift`.
public enum LoggingSetup {
    public static func bootstrap(_ configuration: LogConfiguration, control: LogLevelControl) {
        let useJournal: Bool = switch configuration.target {
        case .journal: true
        case .stderr: false
        case .auto: JournaldLogHandler.isJournalAvailable
        }
        LoggingSystem.bootstrap { label in
            useJournal
                ? ControlledLevelLogHandler(JournaldLogHandler(label: label, level: control.current), control: control)
                    as any LogHandler
                : ControlledLevelLogHandler(StderrLogHandler(label: label, level: control.current), control: control)
        }
    }

    public static func level(_ level: LogConfiguration.Level) -> Logger.Level {
        switch level {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
