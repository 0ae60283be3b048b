import GRDB

/// Versioned, append-only migrations. A shipped migration is never edited: a change is a new
/// migration. Migrations use SQL only, never app types, so old ones keep meaning the same thing.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: SchemaV1.sql)
        }
        migrator.registerMigration("v2-intake") { db in
            try db.execute(sql: SchemaV2.sql)
        }
        migrator.registerMigration("v3-routing") { db in
            try db.execute(sql: SchemaV3.sql)
        }
        migrator.registerMigration("v4-sla") { db in
            try db.execute(sql: SchemaV4.sql)
        }
        migrator.registerMigration("v5-counters") { db in
            try db.execute(sql: SchemaV5.sql)
        }
        migrator.registerMigration("v6-intake-fidelity") { db in
            try db.execute(sql: SchemaV6.sql)
        }
        migrator.registerMigration("v7-lease-fencing") { db in
            try db.execute(sql: SchemaV7.sql)
        }
        migrator.registerMigration("v8-console-links") { db in
            try db.execute(sql: SchemaV8.sql)
        }
        migrator.registerMigration("v9-channels") { db in
            try db.execute(sql: SchemaV9.sql)
        }
        migrator.registerMigration("v10-sweep-indexes") { db in
            try db.execute(sql: SchemaV10.sql)
        }
        migrator.registerMigration("v11-outbox-counts") { db in
            try db.execute(sql: SchemaV11.sql)
        }
        return migrator
    }

    /// Identifiers this binary knows; a database with others was written by a newer leadrouter.
    static var known: Set<String> { Set(migrator.migrations) }
}
