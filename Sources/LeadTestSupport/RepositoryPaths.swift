import Foundation

/// Paths of the repository and the built products, for tests that run the real binaries.
public enum RepositoryPaths {
    /// The repository root (this file is Sources/LeadTestSupport/RepositoryPaths.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the test bundle, which is also where `swift build` put the executables.
    public static var productsDirectory: URL {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // An .xctest bundle on Linux is a plain executable in the products folder.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("leadrouterd").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
            let debug = directory.appendingPathComponent("debug")
            if FileManager.default.fileExists(atPath: debug.appendingPathComponent("leadrouterd").path) { return debug }
        }
        return directory
    }

    public static func product(_ name: String) -> URL { productsDirectory.appendingPathComponent(name) }

    /// `../shared` beside the checkout, when present (the corpus and facts).
    public static var shared: URL? {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
