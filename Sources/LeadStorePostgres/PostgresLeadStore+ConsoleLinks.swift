import Foundation
import LeadCore
import PostgresNIO

extension PostgresLeadStore: ConsoleLinkRedeeming {
    public func redeemLink(nonce: String, actor: String, expires: Date, at now: Date) async throws -> Bool {
        try await transaction { connection in
            try await connection.query("DELETE FROM console_links WHERE expires_at < \(now.unixSeconds)", logger: self.logger)
            let inserted = try await connection.query("""
                INSERT INTO console_links (nonce, actor, used_at, expires_at)
                VALUES (\(nonce), \(actor), \(now.unixSeconds), \(expires.unixSeconds)) ON CONFLICT DO NOTHING RETURNING nonce
                """, logger: self.logger).collect()
            return !inserted.isEmpty
        }
    }
}
