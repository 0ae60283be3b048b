import Foundation
import Testing
@testable import LeadConfig

/// toml++ 3.x (inside TOMLKit 0.6.0) asserts instead of refusing some input; `scripts/fuzz config`
/// found `[[[team]]`, `-=[}` and a line separator in an array. The loader refuses these first, and
/// must not refuse valid files that only look similar.
@Suite struct TOMLPreflightTests {
    @Test(arguments: [
        ("[[[team]]\nid = \"a\"\n", 1, "["),
        ("[log]\nlevel = \"info\"\n\n  [[=\n", 4, "="),
        ("[ @x]\n", 1, "@"),
        ("\u{FEFF}[[[1]]]\n", 1, "["),
        ("a = \"\"\"\ntext\n\"\"\"\n[[ .x]]\n", 4, "."),
        ("[[张]]\n", 1, "张"),
    ])
    func refusesAHeaderWithoutAKey(text: String, line: Int, character: Character) {
        let found = TOMLPreflight.firstProblem(text)
        #expect(found?.line == line)
        #expect(found?.message == "a table header needs a key, saw '\(character)'")
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
        #expect(TOMLPreflight.firstProblem(text) == nil)
    }

    @Test(arguments: [
        ("x = [ }\n", 1, "'}' inside an array (an inline table's '}' without its '{')"),
        ("-=[}", 1, "'}' inside an array (an inline table's '}' without its '{')"),
        ("a = 1\nx = [1,\n# c\n}]\n", 4, "'}' inside an array (an inline table's '}' without its '{')"),
        ("x = { a = [ } ] }\n", 1, "'}' inside an array (an inline table's '}' without its '{')"),
        ("x = [\u{2028}]\n", 1, "U+2028 is a Unicode line separator, not TOML whitespace (use a newline)"),
        ("\n\nx = [\u{85}]\n", 3, "U+0085 is a Unicode line separator, not TOML whitespace (use a newline)"),
        ("x = 1\u{2029}\n", 1, "U+2029 is a Unicode line separator, not TOML whitespace (use a newline)"),
    ])
    func refusesWhatTheParserWouldAssertOnInValues(text: String, line: Int, message: String) {
        let found = TOMLPreflight.firstProblem(text)
        #expect(found?.line == line)
        #expect(found?.message == message)
    }

    @Test(arguments: [
        "x = [{ a = 1 }, { b = [2] }]\n",
        "x = { a = [1, 2], b = { c = 3 } }\n",
        "s = \"a } and \u{2028} in a string\"\n",
        "# a comment may hold \u{2028} and }\nx = [1]\n",
        "m = '''\n[ } ]\n'''\n",
    ])
    func leavesValidValuesAlone(text: String) {
        #expect(TOMLPreflight.firstProblem(text) == nil)
    }

    @Test func theLoaderReportsItWithFileAndLine() {
        #expect(issues("[log]\nlevel = \"info\"\n[[[team]]\n")
                == ["leadrouter.toml:3: TOML syntax: a table header needs a key, saw '['"])
    }
}
