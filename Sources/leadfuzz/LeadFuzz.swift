import Foundation
import LeadFuzzTargets

// Two builds of one file (not main.swift: the fuzzing build has no top-level code).
// `scripts/fuzz` builds with `-sanitize=fuzzer,address -parse-as-library -DFUZZING`: the entry
// point hands over to libFuzzer's driver with the target named by LEADFUZZ_TARGET. A plain build
// replays files: `leadfuzz TARGET FILE...` (a crash reproduces without the fuzzer).

#if FUZZING
nonisolated(unsafe) private var selected: FuzzTarget = .mime

/// libFuzzer's driver (compiler-rt), for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

/// SwiftPM links an executable target's entry point as `main` under this name.
@_cdecl("leadfuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, testOneInput)
}

/// Called once by the driver: picks the target.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    let name = ProcessInfo.processInfo.environment["LEADFUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("LEADFUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(64)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    selected.run(bytes)
    return 0
}
#else
@main
enum LeadFuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: leadfuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...\n".utf8))
            exit(64)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("leadfuzz: cannot read \(path)\n".utf8))
                exit(66)
            }
            target.run(Array(data))
            print("ok \(path)")
        }
    }
}
#endif
