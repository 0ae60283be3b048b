import Foundation
import LeadConfig
import LeadTestSupport
import Testing

/// The loader's key table (`leadctl config keys`, leadrouter.toml(5)): every key a load reads, as
/// it reads it. Config/every-key.toml sets every key; README's reference is checked against the
/// table by scripts/lib/config-reference-check (run by scripts/test).
@Suite struct ConfigKeyTableTests {
    let everyKey = RepositoryPaths.root.appendingPathComponent("Config/every-key.toml").path

    @Test func theEveryKeyFileLoadsAndItsTableNamesKeysAsTheLoaderReadsThem() throws {
        let table = ConfigLoader(readsSecrets: false).keyTable(path: everyKey)
        #expect(table.issues.isEmpty, "\(table.issues)")
        let keys = Dictionary(uniqueKeysWithValues: table.keys.map { ($0.key, $0) })
        #expect(keys["http.max_connections"]?.type == "an integer 1...1000000" && keys["http.max_connections"]?.defaultValue == "1024")
        #expect(keys["http.max_header_size"]?.type == "a size 1KiB...1MiB" && keys["http.max_header_size"]?.defaultValue == "\"16KiB\"")
        #expect(keys["log.target"]?.type == "one of \"auto\", \"journal\", \"stderr\"")
        #expect(keys["rep[].email"]?.required == true && keys["rep[].mobile"]?.required == false)
        #expect(keys["sla[].escalation[].channels"]?.type == "an array of strings")
        // Keys that are data are `*`, and so is what sits under them.
        #expect(keys["rule[].*.prefix"] != nil && keys["rule[].industry"] == nil && keys["rule[].industry.prefix"] == nil)
        #expect(keys["maildrop[].labels.*"] != nil && keys["regions.*"] != nil && keys["calendar[].hours.*"] != nil)
        #expect(keys["sla[].*"] != nil && keys["sla[].source"] == nil)
    }

    @Test func aKeyTheLoaderDoesNotKnowIsNotInTheTableButIsAProblem() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("leadrouter.toml", "[http]\nlisten = \"127.0.0.1:8080\"\nlisen = \"x\"\n")
        let table = ConfigLoader(readsSecrets: false).keyTable(path: folder.file("leadrouter.toml").path)
        #expect(table.keys.contains { $0.key == "http.listen" } && !table.keys.contains { $0.key == "http.lisen" })
        #expect(table.issues.map(\.description).contains { $0.contains("http.lisen: unknown key") }, "\(table.issues)")
    }
}
