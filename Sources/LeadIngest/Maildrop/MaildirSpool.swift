import Foundation
import Glibc
import LeadCore

/// One mail-drop folder, handled the way qmail's maildir(5), Postfix's pickup and Dovecot do it.
///
/// Producers write a file in `tmp/`, fsync it, and rename it into `new/` (`deliver` does exactly
/// that, for `leadctl drop`). leadrouter never reads `tmp/` and never parses file names: a name is
/// an opaque unique key.
///
/// Each file moves through these states; every state is safe to crash in, and start-up
/// reconciliation (`claimed` files) finishes whatever was interrupted:
///
/// | # | file is in      | store has for its name        | at start-up / next scan                              |
/// |---|-----------------|-------------------------------|------------------------------------------------------|
/// | 1 | `new/`          | nothing                       | claimed and processed by the normal scan             |
/// | 2 | `cur/` (claimed)| nothing                       | processed again from `cur/` (nothing was committed)  |
/// | 3 | `cur/`          | a lead (capture row)          | moved to `done/`; no second lead (the name is keyed) |
/// | 4 | `cur/`          | a quarantine entry            | moved to `quarantine/` with a reason file            |
/// | 5 | `done/`         | a lead                        | nothing; removed after `done_retention`              |
/// | 6 | `quarantine/`   | a quarantine entry            | nothing; kept until an admin retries it              |
///
/// Claiming is an atomic `rename(new/x, cur/x)`: two scanners can never both process a file.
/// A lead is committed (keyed by the name) before its file leaves `cur/`, so a crash at any point
/// gives exactly one lead or one quarantine entry per file. Nothing is deleted unread.
public struct MaildirSpool: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public enum Folder: String, CaseIterable, Sendable { case tmp, new, cur, done, quarantine }

    public func folder(_ folder: Folder) -> URL { root.appendingPathComponent(folder.rawValue, isDirectory: true) }

    /// Creates the five folders (mode 0770, so an MTA in the group can deliver).
    public func prepare() throws {
        for folder in Folder.allCases {
            try FileManager.default.createDirectory(at: self.folder(folder), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o770])
        }
    }

    /// File names in `folder`, oldest name first, without dot-files. A name that is not UTF-8
    /// (a GBK `线索.eml` copied from a Windows share) is renamed first, its bad bytes written
    /// as maildir(5)-style octal escapes (`\\326`), so every file can be claimed by name.
    public func names(in folder: Folder, now: Date = Date()) -> [String] {
        var names: [String] = []
        for raw in Self.rawNames(self.folder(folder).path) {
            let text = String(validating: raw, as: UTF8.self)
            if folder == .new, raw.first == UInt8(ascii: "."), text?.hasSuffix(".reason") != true {
                // A dot-file is never claimed as it is (readers skip them); once it has sat a minute
                // (no writer is still at it), it is renamed visible and taken like any other.
                if isOlderThanAMinute(raw, in: folder, now: now), let renamed = renameEntry(raw, to: Self.fitName("dot" + Self.escapedName(raw)), in: folder) {
                    names.append(renamed)
                }
                continue
            }
            if let name = text, name.utf8.count <= Self.maxNameBytes || folder != .new {
                names.append(name)
            } else if let renamed = renameEntry(raw, to: Self.fitName(Self.escapedName(raw)), in: folder) {
                // Not UTF-8, or too long to take a ".reason" sidecar beside it: renamed first.
                names.append(renamed)
            }
        }
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".reason") }.sorted()
    }

    /// Longest file name taken as it is: room is left for the `.reason` sidecar and a `,N` suffix
    /// within the file system's 255 bytes.
    static let maxNameBytes = 200

    /// `name`, or its first bytes (whole characters) with `~` and a hash of the whole, to fit.
    static func fitName(_ name: String) -> String {
        guard name.utf8.count > maxNameBytes else { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var prefix = ""
        for character in name where prefix.utf8.count + character.utf8.count <= maxNameBytes - 17 { prefix.append(character) }
        return prefix + "~" + String(hash, radix: 16).leftPadded(to: 16)
    }

    private func isOlderThanAMinute(_ raw: [UInt8], in folder: Folder, now: Date) -> Bool {
        var info = stat()
        let path = Array(self.folder(folder).path.utf8) + [UInt8(ascii: "/")] + raw + [0]
        let ok = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) } }
        guard ok == 0 else { return false }
        return now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec) > 60
    }

    /// Directory entries as bytes (Foundation's listing replaces bytes that are not UTF-8,
    /// which names a file that does not exist).
    public static func rawNames(_ directory: String) -> [[UInt8]] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { buffer in Array(buffer.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    /// `folder/raw` → `folder/escaped` without replacing an existing file (link, then unlink; a
    /// symlink or FIFO keeps what it is: `link` names the entry itself).
    private func renameEntry(_ raw: [UInt8], to escaped: String, in folder: Folder) -> String? {
        let directory = Array(self.folder(folder).path.utf8) + [UInt8(ascii: "/")]
        for attempt in 0..<100 {
            let name = attempt == 0 ? escaped : escaped + ",\(attempt)"
            let from = directory + raw + [0]
            let to = directory + Array(name.utf8) + [0]
            let linked = from.withUnsafeBufferPointer { source in
                to.withUnsafeBufferPointer { target in
                    source.withMemoryRebound(to: CChar.self) { s in
                        target.withMemoryRebound(to: CChar.self) { t in link(s.baseAddress!, t.baseAddress!) }
                    }
                }
            }
            if linked == 0 {
                _ = from.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { unlink($0.baseAddress!) } }
                return name
            }
            if errno != EEXIST { return nil }
        }
        return nil
    }

    /// Valid UTF-8 runs kept, every other byte as a backslash and three octal digits.
    public static func escapedName(_ raw: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < raw.count {
            var end = min(raw.count, index + 4)
            while end > index, String(validating: raw[index..<end], as: UTF8.self) == nil { end -= 1 }
            if end > index, let text = String(validating: raw[index..<end], as: UTF8.self) {
                out += text
                index = end
            } else {
                out += "\\" + String(raw[index], radix: 8).leftPadded(to: 3)
                index += 1
            }
        }
        return out
    }

    /// `rename(new/name, cur/name)`; false when the file is gone (claimed elsewhere).
    public func claim(_ name: String) -> Bool {
        rename(path(.new, name), path(.cur, name)) == 0
    }

    /// Puts a claimed file back in `new/` (its commit failed; it will be tried again).
    public func unclaim(_ name: String) {
        _ = rename(path(.cur, name), path(.new, name))
    }

    /// Why a claimed file was not read: it is not a plain file of this mail-drop's own. Such a
    /// file is quarantined by name, never read (a link could point at any file the daemon can
    /// read; a FIFO would block the reader).
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case notRegular(String)
        case hardLinked(links: Int)
        /// A hard link made moments ago: a delivery that links into `new/` and then unlinks from
        /// `tmp/` (qmail's way) may be caught in between; the file is put back and tried later.
        case linkInProgress

        public var description: String {
            switch self {
            case .notRegular(let kind): "not a regular file (\(kind)): quarantined unread"
            case .hardLinked(let links): "a hard link (\(links) names for one file): quarantined unread"
            case .linkInProgress: "a hard link made moments ago (a delivery in progress); tried again later"
            }
        }
    }

    /// Reads a claimed file, at most `limit + 1` bytes (so an oversize file is recognised without
    /// reading all of it). Opened with `O_NOFOLLOW | O_NONBLOCK` and checked with `fstat` before
    /// any byte is read: a symbolic link, a FIFO, a socket, a device or a directory, or a file
    /// with more than one link, is refused (`Refusal`), never followed, never waited on.
    public func read(claimed name: String, limit: Int, now: Date = Date()) throws -> (bytes: [UInt8], size: Int) {
        let fd = open(path(.cur, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            if errno == ELOOP { throw Refusal.notRegular("a symbolic link") }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFIFO: throw Refusal.notRegular("a FIFO")
        case S_IFSOCK: throw Refusal.notRegular("a socket")
        case S_IFCHR, S_IFBLK: throw Refusal.notRegular("a device")
        case S_IFDIR: throw Refusal.notRegular("a directory")
        default: throw Refusal.notRegular("mode \(String(info.st_mode & S_IFMT, radix: 8))")
        }
        if info.st_nlink > 1 {
            let changed = Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9
            if abs(now.timeIntervalSince1970 - changed) < 5 { throw Refusal.linkInProgress }
            throw Refusal.hardLinked(links: Int(info.st_nlink))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count <= limit {
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if got < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if got == 0 { break }
            bytes += chunk[0..<got]
        }
        return (bytes, max(Int(info.st_size), bytes.count))
    }

    /// `cur/name` → `done/name`.
    public func complete(_ name: String) throws {
        guard rename(path(.cur, name), path(.done, name)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Writes `quarantine/name.reason`, then `cur/name` → `quarantine/name`.
    public func quarantine(_ name: String, reason: String) throws {
        let sidecar = path(.quarantine, name + ".reason")
        try Self.writePrivately(Array((reason + "\n").utf8), to: sidecar)
        guard rename(path(.cur, name), path(.quarantine, name)) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Writes `path` whole or not at all (a temporary file renamed over it), mode 0600 whatever the
    /// umask: a reason may quote the input, which is not for the MTA's group.
    static func writePrivately(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".\(getpid())"   // dot-files are never listed
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        fchmod(fd, 0o600)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let failure = errno
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: written == bytes.count ? errno : failure) ?? .EIO)
        }
    }

    /// Removes `done/` files older than `doneRetention` and `tmp/` files older than 36 hours
    /// (abandoned deliveries, as maildir(5) says). Returns how many were removed.
    @discardableResult
    public func removeExpired(now: Date, doneRetention: TimeInterval) -> Int {
        var removed = 0
        for (folder, age) in [(Folder.done, doneRetention), (.tmp, 36 * 3_600)] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: self.folder(folder).path)) ?? [] {
                let file = path(folder, name)
                guard let modified = try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date,
                      now.timeIntervalSince(modified) > age else { continue }
                if unlink(file) == 0 { removed += 1 }
            }
        }
        return removed
    }

    public func path(_ folder: Folder, _ name: String) -> String { self.folder(folder).path + "/" + name }

    /// Delivers `bytes` the maildir(5) way: a unique name, written to `tmp/`, fsynced, renamed
    /// into `new/`, and the `new/` folder fsynced. Returns the name.
    public static func deliver(_ bytes: [UInt8], to root: URL, now: Date = Date()) throws -> String {
        let spool = MaildirSpool(root: root)
        let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "\\057")
            .replacingOccurrences(of: ":", with: "\\072")
        let seconds = Int(now.timeIntervalSince1970)
        let micros = Int((now.timeIntervalSince1970 - Double(seconds)) * 1_000_000)
        let name = "\(seconds).M\(micros)P\(getpid())R\(UInt64.random(in: 0...UInt64.max)).\(host)"
        let temporary = spool.path(.tmp, name)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { close(fd); unlink(temporary); throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            written += n
        }
        guard fsync(fd) == 0 else { close(fd); unlink(temporary); throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        close(fd)
        guard rename(temporary, spool.path(.new, name)) == 0 else {
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let directory = open(spool.folder(.new).path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { _ = fsync(directory); close(directory) }
        return name
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
