import Foundation
import Glibc

/// Before the database opens: the state directory must take a new file. SQLite alone reports a
/// read-only or unwritable directory as "unable to open database file"; this names the directory
/// and the system's reason, and the daemon exits 73 (EX_CANTCREAT) so systemd's restart policy
/// retries until the condition clears (a file system remounted read-only after an error, a
/// missing mount, wrong ownership).
enum StateDirectoryCheck {
    static func requireWritable(_ directory: URL) throws(DaemonStartError) {
        do {
            // 0700 when created here; the database files in it are 0600 (`DatabaseFileModes`).
            if !FileManager.default.fileExists(atPath: directory.path) {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .stateDirectory(path: directory.path, reason: (error as NSError).localizedFailureReason ?? "\(error)")
        }
        let probe = directory.appendingPathComponent(".leadrouterd-write-test.\(getpid())").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .stateDirectory(path: directory.path, reason: String(cString: strerror(errno))) }
        let written = write(fd, "x", 1)
        let synced = written == 1 ? fsync(fd) : -1
        let failure = errno
        close(fd)
        unlink(probe)
        guard written == 1, synced == 0 else {
            throw .stateDirectory(path: directory.path, reason: String(cString: strerror(failure)))
        }
    }
}
