import Foundation

/// The database's files are the service user's alone, whatever the process umask: the state
/// directory is created 0700 (an existing one keeps the mode its admin or the unit's
/// `StateDirectoryMode=` gave it), and the database, its `-wal` and `-shm` are 0600. SQLite gives the
/// `-wal` and `-shm` files it creates the database file's mode, so creating that file first is
/// enough; existing ones that are wider (made under another umask) are narrowed.
enum DatabaseFileModes {
    static let file: mode_t = 0o600
    static let directory: mode_t = 0o700

    static func prepare(_ database: URL) throws {
        let folder = database.deletingLastPathComponent()
        try createDirectories(folder)
        let fd = open(database.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, file)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        narrow(fd)
        close(fd)
        for suffix in ["-wal", "-shm"] {
            let sidecar = open(database.path + suffix, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            if sidecar >= 0 { narrow(sidecar); close(sidecar) }
        }
    }

    /// Creates missing folders one by one with mode 0700 (chmod after mkdir: the umask never widens it,
    /// but it may narrow a mode given to mkdir).
    private static func createDirectories(_ folder: URL) throws {
        var missing: [String] = []
        var current = folder.standardizedFileURL.path
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for path in missing.reversed() {
            guard mkdir(path, directory) == 0 || errno == EEXIST else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            chmod(path, directory)
        }
    }

    private static func narrow(_ fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & 0o077 != 0 else { return }
        fchmod(fd, file)
    }
}
