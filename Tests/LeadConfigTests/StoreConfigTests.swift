import Foundation
import LeadConfig
import LeadTestSupport
import Testing

/// `[store]`: SQLite by default, PostgreSQL with its connection settings, each checked at load.
@Suite struct StoreConfigTests {
    @Test func sqliteIsTheDefault() throws {
        let configuration = try decode("")
        #expect(configuration.store.backend == .sqlite && configuration.store.postgres == nil)
    }

    @Test func aURLGivesHostPortDatabaseUserAndTLS() throws {
        let configuration = try decode("""
        [store]
        backend = "postgresql"
        url = "postgresql://leadrouter@db.internal:6432/leads?sslmode=require"
        pool = 20
        """)
        let postgres = try #require(configuration.store.postgres)
        #expect(postgres.endpoint == .tcp(host: "db.internal", port: 6432))
        #expect(postgres.database == "leads" && postgres.user == "leadrouter" && postgres.pool == 20 && postgres.tls == .require)
    }

    @Test func aSocketFolderNamesThePortsSocketAndTLSIsOffThere() throws {
        let configuration = try decode("""
        [store]
        backend = "postgresql"
        socket = "/run/postgresql"
        database = "leadrouter"
        user = "leadrouter"
        """)
        let postgres = try #require(configuration.store.postgres)
        #expect(postgres.endpoint == .socket(path: "/run/postgresql/.s.PGSQL.5432"))
        #expect(postgres.tls == .disable && postgres.pool == 10)
    }

    @Test func aHostDefaultsToCheckedTLSAndThePasswordComesFromItsFile() throws {
        let folder = try TemporaryDirectory(prefix: "lr-store-config")
        defer { folder.remove() }
        try folder.write("pg.password", "s3cret\n")
        let file = try folder.write("leadrouter.toml", """
        [store]
        backend = "postgresql"
        host = "10.0.0.5"
        database = "leadrouter"
        user = "leadrouter"
        password_file = "pg.password"
        tls_ca_file = "ca.pem"
        """)
        let configuration = try ConfigLoader().load(path: file.path)
        let postgres = try #require(configuration.store.postgres)
        #expect(postgres.endpoint == .tcp(host: "10.0.0.5", port: 5432) && postgres.tls == .verifyFull)
        #expect(postgres.password?.value == "s3cret" && !"\(postgres)".contains("s3cret"))
        #expect(postgres.tlsCAFile == folder.file("ca.pem").path)
    }

    @Test(arguments: [
        ("[store]\nbackend = \"postgresql\"\n",
         ["leadrouter.toml:1: store.host: backend = \"postgresql\" needs url, host or socket",
          "leadrouter.toml:1: store.database: required with backend = \"postgresql\"",
          "leadrouter.toml:1: store.user: required with backend = \"postgresql\""]),
        ("[store]\nbackend = \"postgresql\"\nurl = \"postgresql://u:pw@h/d\"\n",
         ["leadrouter.toml:3: store.url: a password in the URL would be printed and logged: put it in password_file"]),
        ("[store]\nbackend = \"postgresql\"\nurl = \"postgresql://u@h/d\"\nhost = \"h\"\n",
         ["leadrouter.toml:4: store.host: give either url or host/port/socket, not both"]),
        ("[store]\nbackend = \"postgresql\"\nurl = \"mysql://u@h/d\"\n",
         ["leadrouter.toml:3: store.url: not a postgresql:// URL"]),
        ("[store]\nbackend = \"postgresql\"\nsocket = \"/run/postgresql\"\ndatabase = \"d\"\nuser = \"u\"\ntls = \"require\"\n",
         ["leadrouter.toml:6: store.tls: a unix socket is not encrypted: use tls = \"disable\" or a host"]),
        ("[store]\nbackend = \"postgresql\"\nhost = \"h\"\ndatabase = \"d\"\nuser = \"u\"\nsynchronous = \"full\"\n",
         ["leadrouter.toml:6: store.synchronous: only with backend = \"sqlite\" (PostgreSQL's durability is the server's)"]),
        ("[store]\nhost = \"db\"\n",
         ["leadrouter.toml:2: store.host: only with backend = \"postgresql\""]),
        ("[store]\nbackend = \"oracle\"\n",
         ["leadrouter.toml:2: store.backend: \"oracle\" is not one of \"sqlite\", \"postgresql\""]),
        ("[store]\nbackend = \"postgresql\"\nhost = \"h\"\ndatabase = \"d\"\nuser = \"u\"\npool = 0\n",
         ["leadrouter.toml:6: store.pool: 0 is out of range 1...100"]),
    ])
    func badSettingsAreRefusedWithFileLineAndKey(text: String, expected: [String]) {
        #expect(issues(text) == expected)
    }
}
