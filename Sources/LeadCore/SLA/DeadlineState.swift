/// Where one deadline row stands (each level of a clock's cycle is a row). A row is armed
/// `pending`; the scheduler or an activity moves it once, and nothing moves it back:
///
/// - `pending` → `met`: a contact (or the last follow-up) came by the deadline.
/// - `pending` → `missed`: the deadline passed unmet (a breach; `resolved_at` stays empty until a
///   contact or a re-arm ends it), or a ladder level acted (`resolved_at` set at once).
/// - `pending` → `cancelled`: the row no longer applies (the lead closed or was reassigned, the
///   clock was re-armed, the policy or level was removed).
///
/// Stores keep the raw values; the SQLite schema's CHECK constraint lists exactly these.
public enum DeadlineState: String, Hashable, Sendable, CaseIterable, Codable {
    case pending, met, missed, cancelled
}
