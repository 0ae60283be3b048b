// swift-tools-version:6.0
import PackageDescription

// Dependencies resolve from the machine's package mirror; versions are pinned exactly
// (see README "Development"). Package.resolved and .build/ stay out of git.
let package = Package(
    name: "leadrouter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "leadrouterd", targets: ["leadrouterd"]),
        .executable(name: "leadctl", targets: ["leadctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // Already under Hummingbird; named for NIOHTTPTypes (the HTTP parts the connection gate watches).
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        // The store for several daemons sharing one PostgreSQL database.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // Already under postgres-nio; named for the TLS settings of a PostgreSQL connection.
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    ],
    targets: [
        // System libraries (headers carry typed wrappers for variadic C calls).
        .systemLibrary(name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),

        // The commit a release was built from (a C define given on the build's command line).
        .target(name: "CBuildInfo", path: "Sources/CBuildInfo"),

        // Pure core: domain types and ports. No clock, disk or network.
        .target(name: "LeadCore"),

        // Typed configuration: TOML -> validated structs, with file/line/key errors.
        .target(name: "LeadConfig", dependencies: [
            "LeadCore",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // Intake: MIME parsing and charsets, field extraction, the Maildir scanner.
        .target(name: "LeadIngest", dependencies: [
            "LeadCore", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Adapters.
        .target(name: "LeadStoreSQLite", dependencies: [
            "LeadCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "LeadStorePostgres", dependencies: [
            "LeadCore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LeadSystemd", dependencies: [
            "CSystemd",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LeadMail", dependencies: [
            "CCurl", "LeadCore", "LeadConfig",
        ]),
        .target(name: "LeadHTTP", dependencies: [
            "LeadCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        // Channels: group robots (WeCom, DingTalk, Feishu) and signed outbound webhooks — requests and answers.
        .target(name: "LeadChannels", dependencies: [
            "LeadCore", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // The web console's signed sessions and one-time login links (the daemon checks, leadctl issues).
        .target(name: "LeadSessions", dependencies: [
            "LeadCore", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Wiring: builds the service group from a configuration.
        // Opens the store the configuration names (SQLite or PostgreSQL), for the daemon and leadctl.
        .target(name: "LeadStores", dependencies: [
            "LeadCore", "LeadConfig", "LeadStoreSQLite", "LeadStorePostgres",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LeadDaemon", dependencies: [
            "LeadCore", "LeadConfig", "LeadStoreSQLite", "LeadStores", "LeadSystemd", "LeadHTTP", "LeadIngest", "LeadMail", "LeadSessions",
            "LeadChannels",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        // Admin CLI commands (a library so tests can parse and run them in-process).
        .target(name: "LeadCtlKit", dependencies: [
            "LeadCore", "LeadConfig", "LeadStoreSQLite", "LeadStores", "LeadIngest", "LeadMail", "LeadSessions", "LeadChannels", "CBuildInfo",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "leadrouterd", dependencies: [
            "LeadDaemon", "LeadConfig", "LeadCore", "LeadSystemd", "CBuildInfo",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "leadctl", dependencies: ["LeadCtlKit"]),
        // Load generator for scripts/bench (not installed).
        .executableTarget(name: "leadbench", dependencies: [
            "LeadIngest", "LeadMail", "LeadConfig", "LeadStoreSQLite", "LeadStores", "LeadCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),

        // Fuzz targets (scripts/fuzz builds `leadfuzz` with libFuzzer; the tests replay fixtures).
        .target(name: "LeadFuzzTargets", dependencies: ["LeadIngest", "LeadConfig", "LeadCore"]),
        .executableTarget(name: "leadfuzz", dependencies: ["LeadFuzzTargets"]),

        // Test support: manual clock, in-memory log handler, process and notify-socket helpers.
        .target(name: "LeadTestSupport", dependencies: [
            "LeadCore", "LeadMail",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),

        .testTarget(name: "LeadCoreTests", dependencies: ["LeadCore", "LeadTestSupport"]),
        .testTarget(name: "LeadConfigTests", dependencies: ["LeadConfig", "LeadTestSupport"],
                    resources: [.copy("Fixtures")]),
        // Port-level behaviour every store must have, run against each store's factory.
        .testTarget(name: "LeadStoreConformanceTests", dependencies: [
            "LeadCore", "LeadStoreSQLite", "LeadStorePostgres", "LeadTestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "LeadStoreSQLiteTests", dependencies: [
            "LeadStoreSQLite", "LeadTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "LeadSystemdTests", dependencies: [
            "LeadSystemd", "LeadTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "LeadHTTPTests", dependencies: [
            "LeadHTTP", "LeadTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "LeadChannelsTests", dependencies: ["LeadChannels", "LeadCore"]),
        .testTarget(name: "LeadMailTests", dependencies: ["LeadMail", "LeadTestSupport", "LeadIngest", "LeadConfig", "LeadCore"]),
        .testTarget(name: "LeadIngestTests", dependencies: ["LeadIngest", "LeadCore", "LeadTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "LeadFuzzTests", dependencies: ["LeadFuzzTargets", "LeadTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "LeadCtlTests", dependencies: ["LeadCtlKit", "LeadStoreSQLite", "LeadTestSupport", "LeadConfig"]),
        .testTarget(name: "LeadDaemonTests", dependencies: [
            "LeadTestSupport", "LeadConfig", "LeadDaemon", "LeadStoreSQLite", "LeadCore", "LeadIngest", "LeadHTTP", "LeadMail",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ]
)
