import Foundation
import GRDB
import LeadCore

/// Form services send every notification from one address. Each labelled form mail tallies its
/// sender here (in the intake transaction); `IntakeDecider` reads the tally, and an address seen
/// sending `IntakeDecider.formSenderThreshold` forms is a form service's, so an unlabelled mail from
/// it never gives its sender as a lead's e-mail (and so is never merged with another person's lead).
enum FormSenders {
    static func tally(_ sender: String, at now: Date, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO form_senders (address, forms, first_seen, last_seen) VALUES (?, 1, ?, ?)
            ON CONFLICT (address) DO UPDATE SET forms = forms + 1, last_seen = excluded.last_seen
            """, arguments: [sender, now.unixSeconds, now.unixSeconds])
    }

    static func count(_ address: String, in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT forms FROM form_senders WHERE address = ?"), arguments: [address]) ?? 0
    }
}

/// The intake decision's reads inside the intake transaction.
struct SQLiteIntakeFacts: IntakeFacts {
    let db: Database

    func leadHolding(_ origin: LeadOrigin) throws -> LeadID? {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT lead_id FROM captures WHERE origin_channel = ? AND origin_name = ? AND origin_key = ?
            """), arguments: [origin.channel.rawValue, origin.name, origin.key]).map(LeadID.init(rawValue:))
    }

    func formsSent(by address: String) throws -> Int { try FormSenders.count(address, in: db) }

    func openLeads(_ key: DuplicateKey, _ value: String, createdSince since: Date) throws -> [(LeadID, DuplicatePolicy.Contact)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, email, phone FROM leads WHERE \(key.rawValue) = ? AND created_at >= ? AND status NOT IN (?, ?)
            ORDER BY id DESC LIMIT 8
            """), arguments: [value, since.unixSeconds, LeadStatus.converted.rawValue, LeadStatus.disqualified.rawValue]).map {
            (LeadID($0["id"] as Int64), DuplicatePolicy.Contact(email: $0["email"], phone: $0["phone"]))
        }
    }
}
