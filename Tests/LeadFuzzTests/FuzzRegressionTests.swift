import Foundation
import LeadConfig
import LeadFuzzTargets
import Testing

/// Every input the fuzzer ever crashed on, replayed through the target it crashed (a crash here
/// takes the test process down, which fails the run).
@Suite struct FuzzRegressionTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func files(_ target: FuzzTarget) -> [URL] {
        let folder = fixtures.appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func replaysEveryFixture(target: FuzzTarget) throws {
        for file in Self.files(target) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }

    /// The configuration crashes are refused as TOML syntax errors with a line number, not merely survived.
    @Test func configurationCrashesAreReportedAsSyntaxErrors() throws {
        let files = Self.files(.config)
        #expect(!files.isEmpty)
        for file in files {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            do {
                _ = try ConfigLoader(environment: [:]).decode(text: text, file: file, displayPath: file.lastPathComponent)
                Issue.record("\(file.lastPathComponent) was accepted")
            } catch {
                #expect(error.issues.contains { $0.line != nil && $0.description.contains("TOML syntax: ") },
                        "\(file.lastPathComponent): \(error)")
            }
        }
    }
}
