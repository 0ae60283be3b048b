/// Finds the line on which a key is written. TOMLKit gives positions only for syntax errors, so
/// this reads the text the way TOML lays it out: `[table]` and `[[array]]` headers, then
/// `key = value` lines (dotted and quoted keys included). Multi-line strings and arrays are skipped.
/// When a key is not written (a missing required key) the line of its table is used.
struct KeyLocator {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var current: [ConfigKeyPath.Component] = []
        var arrayCounts: [String: Int] = [:]
        var skipUntil: String? = nil      // closing delimiter of a multi-line string
        var bracketDepth = 0              // open brackets of a multi-line array

        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.trimmingWhitespaceAndCR()
            if let closing = skipUntil {
                if line.contains(closing) { skipUntil = nil }
                continue
            }
            if bracketDepth > 0 {
                bracketDepth += KeyLocator.bracketBalance(line)
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }

            if line.hasPrefix("[[") , let end = line.range(of: "]]") {
                let names = KeyLocator.splitKey(String(line[line.index(line.startIndex, offsetBy: 2)..<end.lowerBound]))
                let (path, joined) = KeyLocator.resolve(names, arrayCounts: arrayCounts)
                let index = arrayCounts[joined, default: 0]
                arrayCounts[joined] = index + 1
                current = path + [.index(index)]
                lines[ConfigKeyPath(current).description] = lineNumber
                continue
            }
            if line.hasPrefix("["), let end = line.firstIndex(of: "]") {
                let names = KeyLocator.splitKey(String(line[line.index(after: line.startIndex)..<end]))
                current = KeyLocator.resolve(names, arrayCounts: arrayCounts).path
                lines[ConfigKeyPath(current).description] = lineNumber
                continue
            }
            guard let equals = KeyLocator.assignmentIndex(line) else { continue }
            let names = KeyLocator.splitKey(String(line[..<equals]))
            let path = ConfigKeyPath(current + names.map { .key($0) }).description
            if lines[path] == nil { lines[path] = lineNumber }

            let value = line[line.index(after: equals)...].trimmingWhitespaceAndCR()
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                if !value.dropFirst(3).contains(delimiter) { skipUntil = delimiter }
            }
            if value.hasPrefix("[") { bracketDepth = max(0, KeyLocator.bracketBalance(value)) }
        }
    }

    /// The line of `path`, or of its nearest written ancestor.
    func line(for path: ConfigKeyPath) -> Int? {
        var candidate: ConfigKeyPath? = path
        while let current = candidate {
            if let line = lines[current.description] { return line }
            candidate = current.parent
        }
        return nil
    }

    private static func resolve(_ names: [String], arrayCounts: [String: Int]) -> (path: [ConfigKeyPath.Component], joined: String) {
        // A header inside an array of tables (`[rep.schedule]` after `[[rep]]`) belongs to its last element.
        var path: [ConfigKeyPath.Component] = []
        var joined = ""
        for (i, name) in names.enumerated() {
            joined = joined.isEmpty ? name : joined + "." + name
            path.append(.key(name))
            if i < names.count - 1, let count = arrayCounts[joined], count > 0 { path.append(.index(count - 1)) }
        }
        return (path, joined)
    }

    private static func splitKey(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for character in text {
            if let q = quote {
                if character == q { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingWhitespace()); current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingWhitespace())
        return parts
    }

    /// The `=` of `key = value`, outside quotes.
    private static func assignmentIndex(_ line: Substring) -> Substring.Index? {
        var quote: Character? = nil
        for index in line.indices {
            let character = line[index]
            if let q = quote { if character == q { quote = nil }; continue }
            if character == "\"" || character == "'" { quote = character; continue }
            if character == "=" { return index }
            if character == "#" { return nil }
        }
        return nil
    }

    /// Open minus closed brackets outside strings and comments.
    private static func bracketBalance(_ text: Substring) -> Int {
        var balance = 0
        var quote: Character? = nil
        for character in text {
            if let q = quote { if character == q { quote = nil }; continue }
            switch character {
            case "\"", "'": quote = character
            case "[": balance += 1
            case "]": balance -= 1
            case "#": return balance
            default: break
            }
        }
        return balance
    }
}

extension Substring {
    func trimmingWhitespaceAndCR() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}
