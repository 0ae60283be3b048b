import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: ConsoleLinkRedeeming {
    public func redeemLink(nonce: String, actor: String, expires: Date, at now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM console_links WHERE expires_at < ?", arguments: [now.unixSeconds])
            try db.execute(sql: "INSERT INTO console_links (nonce, actor, used_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [nonce, actor, now.unixSeconds, expires.unixSeconds])
            return db.changesCount == 1
        }
    }
}
