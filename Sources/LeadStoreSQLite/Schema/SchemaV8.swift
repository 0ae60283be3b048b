/// The web console's used one-time login links (each logs in once). Never edit.
enum SchemaV8 {
    static let sql = """
    CREATE TABLE console_links (
        nonce       TEXT PRIMARY KEY,
        actor       TEXT NOT NULL,
        used_at     INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
    );
    """
}
