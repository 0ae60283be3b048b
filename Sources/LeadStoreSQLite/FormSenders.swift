import Foundation
import GRDB
import LeadCore

/// Form services send every notification from one address. Each labelled form mail tallies its
/// sender here (in the intake transaction); an address seen sending `threshold` forms is a form
/// service's, so an unlabelled mail from it never gives its sender as a lead's e-mail (and so is
/// never merged with another person's lead through it).
enum FormSenders {
    static let threshold = 2

    static func apply(to item: inout IntakeItem, at now: Date, in db: Database) throws {
        if let sender = item.draft.formSender?.lowercased() {
            try db.execute(sql: """
                INSERT INTO form_senders (address, forms, first_seen, last_seen) VALUES (?, 1, ?, ?)
                ON CONFLICT (address) DO UPDATE SET forms = forms + 1, last_seen = excluded.last_seen
                """, arguments: [sender, now.unixSeconds, now.unixSeconds])
        }
        guard item.draft.emailFromHeader, let email = item.draft.email?.lowercased(),
              let forms = try Int.fetchOne(db.cachedStatement(sql: "SELECT forms FROM form_senders WHERE address = ?"),
                                           arguments: [email]), forms >= threshold else { return }
        item.draft.customFields["form_sender"] = email
        item.draft.email = nil
        item.draft.emailFromHeader = false
        item.warnings.append("\(email) has sent \(forms) form notifications: a form service's address, not taken as this lead's e-mail")
    }
}
