import Foundation
import LeadCore

/// Reads one TOML table into typed values. Every problem is reported to the context (with the
/// key's line) and reading goes on, so a load reports all problems at once. `finish()` reports
/// keys nobody asked for: an unknown key is an error, never silently ignored.
final class TableReader {
    let path: ConfigKeyPath
    let context: ConfigContext
    private let values: [String: ConfigValue]
    private var seen: Set<String> = []
    /// Keys that are data here (criteria, labels, region names): recorded as `*`.
    private var dataKeyNames: Set<String> = []

    /// The path as the key table names it (a table under a data key is under `*`).
    private let patternPath: ConfigKeyPath

    init(_ values: [String: ConfigValue], path: ConfigKeyPath, context: ConfigContext, patternPath: ConfigKeyPath? = nil) {
        self.values = values
        self.path = path
        self.context = context
        self.patternPath = patternPath ?? path
    }

    private func patternPath(of key: String) -> ConfigKeyPath { patternPath.appending(dataKeyNames.contains(key) ? "*" : key) }

    func report(_ key: String, _ message: String) { context.report(path.appending(key), message) }

    /// The key as the key table names it.
    private func pattern(_ key: String) -> String { patternPath(of: key).pattern }

    /// Notes what the value of `key` is (`precise`: from a reader that knows its range or choices).
    private func describe(_ key: String, _ type: String, default defaultValue: String? = nil, precise: Bool = true) {
        context.recorder?.describe(pattern(key), type: type, defaultValue: defaultValue, precise: precise)
    }

    private func take(_ key: String, required: Bool) -> ConfigValue? {
        seen.insert(key)
        context.recorder?.asked(pattern(key), required: required)
        guard let value = values[key] else {
            if required { report(key, "missing required key") }
            return nil
        }
        return value
    }

    private func typed<T>(_ key: String, required: Bool, expected: String,
                          _ convert: (ConfigValue) -> T?) -> T? {
        let value = take(key, required: required)
        describe(key, expected, precise: false)
        guard let value else { return nil }
        guard let typed = convert(value) else {
            report(key, "expected \(expected), got \(value.kindDescription)")
            return nil
        }
        return typed
    }

    /// Reports `key`, when present, as not allowed here (`why`), instead of as an unknown key.
    func refuse(_ key: String, _ why: String) {
        guard take(key, required: false) != nil else { return }
        report(key, why)
    }

    /// A path from the config, relative to the config file's folder.
    func resolve(_ text: String) -> URL { context.resolvePath(text) }

    func string(_ key: String, required: Bool = false) -> String? {
        typed(key, required: required, expected: "a string") { if case .string(let s) = $0 { s } else { nil } }
    }

    /// A string that must not be empty once trimmed.
    func text(_ key: String, required: Bool = false) -> String? {
        guard let value = string(key, required: required) else { return nil }
        let trimmed = value.trimmingWhitespace()
        if trimmed.isEmpty { report(key, "must not be empty"); return nil }
        return trimmed
    }

    func bool(_ key: String, default defaultValue: Bool) -> Bool {
        defer { describe(key, "true or false", default: String(defaultValue)) }
        return typed(key, required: false, expected: "true or false") { if case .bool(let b) = $0 { b } else { nil } }
            ?? defaultValue
    }

    func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        defer { describe(key, "an integer \(range.lowerBound)...\(range.upperBound)", default: String(defaultValue)) }
        guard let value = typed(key, required: false, expected: "an integer", {
            if case .int(let i) = $0 { i } else { nil }
        }) else { return defaultValue }
        guard range.contains(value) else {
            report(key, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return defaultValue
        }
        return value
    }

    func stringArray(_ key: String, required: Bool = false) -> [String]? {
        guard let items = typed(key, required: required, expected: "an array of strings", {
            if case .array(let a) = $0 { a } else { nil }
        }) else { return nil }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let s) = item else {
                context.report(path.appending(key).appending(index: index),
                               "expected a string, got \(item.kindDescription)")
                continue
            }
            strings.append(s)
        }
        return strings
    }

    /// A duration such as "90s", "15m", "24h", "3d", bounded like Postfix's time parameters.
    func duration(_ key: String, default defaultValue: Duration, range: ClosedRange<Duration>) -> Duration {
        defer { describe(key, "a duration \(Self.format(range.lowerBound))...\(Self.format(range.upperBound))", default: "\"\(Self.format(defaultValue))\"") }
        return bounded(key, default: defaultValue, range: range, rangeText: "\(Self.format(range.lowerBound))...\(Self.format(range.upperBound))") {
            text throws(DurationText.ParseError) in try DurationText.duration(text)
        }
    }

    /// A size such as "64KiB" or "10MiB", bounded.
    func size(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        defer { describe(key, "a size \(SizeText.format(range.lowerBound))...\(SizeText.format(range.upperBound))", default: "\"\(SizeText.format(defaultValue))\"") }
        return bounded(key, default: defaultValue, range: range, rangeText: "\(range.lowerBound)...\(range.upperBound) bytes") {
            text throws(SizeText.ParseError) in try SizeText.bytes(text)
        }
    }

    /// A value parsed from text and checked against a range; problems are reported, the default kept.
    private func bounded<T: Comparable, E: Error & CustomStringConvertible>(
        _ key: String, default defaultValue: T, range: ClosedRange<T>, rangeText: String,
        parse: (String) throws(E) -> T
    ) -> T {
        guard let text = string(key) else { return defaultValue }
        do {
            let value = try parse(text)
            guard range.contains(value) else {
                report(key, "\(text) is out of range \(rangeText)")
                return defaultValue
            }
            return value
        } catch {
            report(key, error.description)
            return defaultValue
        }
    }

    /// One of a fixed set of words, e.g. `synchronous = "full"`.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: E) -> E where E.RawValue == String {
        defer { describe(key, "one of " + E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "), default: "\"\(defaultValue.rawValue)\"") }
        guard let text = string(key) else { return defaultValue }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            report(key, "\"\(text)\" is not one of \(allowed)")
            return defaultValue
        }
        return value
    }

    func email(_ key: String, required: Bool = false) -> EmailAddress? {
        defer { describe(key, "an e-mail address") }
        guard let text = string(key, required: required) else { return nil }
        guard let address = EmailAddress(rawValue: text) else {
            report(key, "\"\(text)\" is not a valid e-mail address")
            return nil
        }
        return address
    }

    /// A sub-table, or an empty one when absent, so its keys take their defaults.
    func section(_ key: String) -> TableReader {
        let values: [String: ConfigValue] = typed(key, required: false, expected: "a table", {
            (value: ConfigValue) -> [String: ConfigValue]? in
            if case .table(let t) = value { t } else { nil }
        }) ?? [:]
        return TableReader(values, path: path.appending(key), context: context, patternPath: patternPath(of: key))
    }

    func hasKey(_ key: String) -> Bool { values[key] != nil }

    /// The string at `key` without marking it read (to choose how to read a value of several forms).
    func peekString(_ key: String) -> String? { if case .string(let s)? = values[key] { s } else { nil } }
    func peekArray(_ key: String) -> [ConfigValue]? { if case .array(let a)? = values[key] { a } else { nil } }

    /// An integer or a number with a fraction.
    func number(_ key: String) -> Double? {
        typed(key, required: false, expected: "a number") { value -> Double? in
            switch value {
            case .int(let i): Double(i)
            case .double(let d): d
            default: nil
            }
        }
    }

    /// The keys present but `excluding`, for tables whose keys are data (criteria, labels, region
    /// names), sorted; the key table names them `*`.
    func dataKeys(excluding: Set<String> = []) -> [String] {
        let names = values.keys.filter { !excluding.contains($0) }.sorted()
        dataKeyNames.formUnion(names)
        return names
    }

    /// An array of tables (`[[rep]]`).
    func tables(_ key: String) -> [TableReader] {
        guard let items = typed(key, required: false, expected: "an array of tables ([[\(key)]])", {
            if case .array(let a) = $0 { a } else { nil }
        }) else { return [] }
        return items.enumerated().compactMap { index, item in
            let itemPath = path.appending(key).appending(index: index)
            guard case .table(let values) = item else {
                context.report(itemPath, "expected a table, got \(item.kindDescription)")
                return nil
            }
            return TableReader(values, path: itemPath, context: context, patternPath: patternPath(of: key).appending(index: index))
        }
    }

    /// Reports every key that was present but never read.
    func finish() {
        for key in values.keys.sorted() where !seen.contains(key) {
            report(key, "unknown key")
        }
    }

    private static func format(_ duration: Duration) -> String {
        DurationText.format(seconds: duration.wholeSeconds)
    }
}

extension TableReader {
    /// A table of string keys to string values (`[maildrop.labels]`), with each value checked.
    func stringTable(_ key: String) -> [(key: String, value: String)] {
        let table = section(key)
        defer { table.finish() }
        return table.dataKeys().compactMap { name in
            table.string(name, required: true).map { (name, $0) }
        }
    }

    /// A table of string keys to arrays of strings (`[regions]`).
    func stringArrayTable(_ key: String) -> [(key: String, value: [String])] {
        let table = section(key)
        defer { table.finish() }
        return table.dataKeys().compactMap { name in
            table.stringArray(name, required: true).map { (name, $0) }
        }
    }
}
