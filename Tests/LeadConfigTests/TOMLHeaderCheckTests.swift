import Foundation
import Testing
@testable import LeadConfig

/// toml++ 3.x (inside TOMLKit 0.6.0) asserts instead of refusing a header whose key starts with a
/// character no key can start with; `scripts/fuzz config` found `[[[team]]`. The loader refuses
/// these first, and must not refuse valid files that only look similar.
@Suite struct TOMLHeaderCheckTests {
    @Test(arguments: [
        ("[[[team]]\nid = \"a\"\n", 1, "["),
        ("[log]\nlevel = \"info\"\n\n  [[=\n", 4, "="),
        ("[ @x]\n", 1, "@"),
        ("\u{FEFF}[[[1]]]\n", 1, "["),
        ("a = \"\"\"\ntext\n\"\"\"\n[[ .x]]\n", 4, "."),
        ("[[张]]\n", 1, "张"),
    ])
    func refusesAHeaderWithoutAKey(text: String, line: Int, character: Character) {
        let found = TOMLHeaderCheck.firstBadHeader(text)
        #expect(found?.line == line)
        #expect(found?.character == character)
    }

    @Test(arguments: [
        "[[team]]\nid = \"a\"\n[ http ]\nlisten = \"127.0.0.1:1\"\n",
        "matrix = [\n[[1]],\n[[[2]]],\n]\n",
        "note = \"\"\"\n[[[not a header\n\"\"\"\n",
        "note = '''\n[[=\n'''\n",
        "# [[[commented out]]]\n",
        "[\"quoted [[ key\"]\n[ 'literal' ]\n",
        "a = \"x # [[[\"\n",
        "x = { y = [1, [2]] }\n[ok]\n",
        "s = \"\"\"a\"\"\"\"\n[ok]\n",
        "[[ a ]]\n",
        "[]\n",   // toml++ refuses this one itself ("blank bare keys")
    ])
    func leavesEverythingElseToTheParser(text: String) {
        #expect(TOMLHeaderCheck.firstBadHeader(text) == nil)
    }

    @Test func theLoaderReportsItWithFileAndLine() {
        #expect(issues("[log]\nlevel = \"info\"\n[[[team]]\n")
                == ["leadrouter.toml:3: TOML syntax: a table header needs a key, saw '['"])
    }
}
