import CSQLite

/// A value bound to a statement's parameter.
enum SQLiteValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// One SQLite connection, owned by this object and closed in `deinit`.
///
/// Not thread-safe: a connection belongs to the task that opened it (the handle is not Sendable).
/// Every call that fails throws ``GeoPackageError/sqlite(path:reason:)`` with SQLite's own message.
final class SQLiteDatabase {
    private let handle: OpaquePointer
    let path: String

    /// Creates (or opens) the database file at `path`.
    init(creating path: String) throws(GeoPackageError) {
        var db: OpaquePointer?
        // Returns SQLITE_OK or an error code; even on failure it may hand out a handle to close.
        let code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard code == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close(db)
            throw GeoPackageError.sqlite(path: path, reason: reason)
        }
        handle = db
        self.path = path
    }

    deinit {
        // Every statement is finalized by `run`, so close cannot be refused as busy.
        sqlite3_close(handle)
    }

    /// Runs one or more statements without parameters.
    func execute(_ sql: String) throws(GeoPackageError) {
        var message: UnsafeMutablePointer<CChar>?
        // Returns SQLITE_OK, else an error code and a message to free with sqlite3_free.
        if sqlite3_exec(handle, sql, nil, nil, &message) != SQLITE_OK {
            let reason = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw GeoPackageError.sqlite(path: path, reason: reason)
        }
    }

    /// A statement prepared once and run for many rows (the features of a layer).
    func prepare(_ sql: String) throws(GeoPackageError) -> SQLiteStatement {
        var statement: OpaquePointer?
        // Returns SQLITE_OK and a statement, or an error code and no statement.
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw GeoPackageError.sqlite(path: path, reason: lastError)
        }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs `sql` once with `values` bound to its `?` parameters.
    func run(_ sql: String, _ values: [SQLiteValue]) throws(GeoPackageError) {
        let statement = try prepare(sql)
        try statement.run(values)
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement, finalized in `deinit`; it keeps its connection alive.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to the parameters in order, steps once to the end, and resets for the next row.
    func run(_ values: [SQLiteValue]) throws(GeoPackageError) {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            // Each bind returns SQLITE_OK or an error code (out of range, too big, out of memory).
            let code: Int32 = switch value {
            case .null: sqlite3_bind_null(handle, position)
            case .integer(let n): sqlite3_bind_int64(handle, position, n)
            case .real(let x): sqlite3_bind_double(handle, position, x)
            case .text(let s): sqlite3_bind_text(handle, position, s, -1, Self.transient)
            case .blob(let bytes):
                bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob(handle, position, raw.baseAddress, Int32(raw.count), Self.transient)
                }
            }
            guard code == SQLITE_OK else { throw GeoPackageError.sqlite(path: database.path, reason: database.lastError) }
        }
        // SQLITE_DONE when the statement ran to the end; SQLITE_ROW is not expected of an insert.
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw GeoPackageError.sqlite(path: database.path, reason: database.lastError)
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the bind returns, so Swift's buffers may go.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
