/// Channel messages in the outbox: the `[[channel]]` a row goes to (NULL: mail) and the mobile
/// numbers a robot message @-mentions (comma-separated E.164). Never edit.
enum SchemaV9 {
    static let sql = """
    ALTER TABLE outbox ADD COLUMN channel TEXT;
    ALTER TABLE outbox ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
    """
}
