#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCore
import CSQLite
import GeoValues

/// Writes OGC GeoPackage 1.3 files (OGC 12-128r18) that GDAL and QGIS open directly.
///
/// Why SQLite from the system (Debian's `libsqlite3-dev`, through the `CSQLite` system-library
/// target) and not GRDB: a writer needs a dozen calls (open, exec, prepare, bind, step), which a small
/// owned wrapper covers; GRDB would add a package, its build time on two shared cores and a query
/// layer nobody here reads with. Debian's SQLite has the R*Tree module the spatial index needs, and
/// it is the same library GDAL links, so what we write is what `ogrinfo` reads. C stays in this module.
///
/// The file holds, per layer, a feature table (`fid`, `geom` as GeoPackageBinary, one column per
/// flat property), its rows in `gpkg_contents` and `gpkg_geometry_columns`, an R-tree spatial index
/// (`rtree_<table>_geom` with the triggers the spec lists, registered in `gpkg_extensions` as
/// `gpkg_rtree_index`), and its default style in QGIS's `layer_styles` table. Coordinates are WGS84
/// longitude/latitude (EPSG:4326), as in civic's GeoJSON.
///
/// ```swift
/// let bytes = try GeoPackage.bytes(layers: [districts] + entityLayers)
/// try writer.write(bytes)   // the command's one OutputWriter: refuses the dataset, replaces atomically
/// ```
public enum GeoPackage {
    /// The SRS every layer uses: WGS84 longitude/latitude.
    public static let srsID: Int32 = 4326

    /// The whole GeoPackage as bytes, ready for the command's output writer.
    ///
    /// SQLite needs a file to write: it writes a scratch file in the system's temporary folder
    /// (`TMPDIR`, else `/tmp`), reads it back and removes it, so the target is only ever replaced
    /// atomically by whoever writes the bytes.
    /// - Parameter time: the `last_change` and `update_time` stamp, ISO 8601 UTC (`2026-11-28T04:00:00.000Z`).
    /// - Throws: ``GeoPackageError`` when SQLite or the scratch file fails, or a feature's geometry
    ///   does not fit its layer.
    public static func bytes(layers: [GeoPackageLayer], time: String) throws(GeoPackageError) -> [UInt8] {
        let scratch = try ScratchFile()
        defer { scratch.remove() }
        try write(layers: layers, time: time, to: scratch.path)
        return try scratch.contents()
    }

    /// Writes the GeoPackage into an empty or new file at `path`; the connection is closed on return.
    static func write(layers: [GeoPackageLayer], time: String, to path: String) throws(GeoPackageError) {
        let db = try SQLiteDatabase(creating: path)
        // A scratch file that is thrown away on failure needs no rollback journal.
        try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        // 'GPKG' and GeoPackage 1.3.
        try db.execute("PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;")
        try db.execute("BEGIN;")
        try db.execute(Self.coreTables)
        try db.run("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                   [.text("WGS 84 geodetic"), .integer(4326), .text("EPSG"), .integer(4326),
                    .text(Self.wgs84Definition),
                    .text("longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")])
        try db.run("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                   [.text("Undefined cartesian SRS"), .integer(-1), .text("NONE"), .integer(-1),
                    .text("undefined"), .text("undefined cartesian coordinate reference system")])
        try db.run("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                   [.text("Undefined geographic SRS"), .integer(0), .text("NONE"), .integer(0),
                    .text("undefined"), .text("undefined geographic coordinate reference system")])
        for layer in layers { try write(layer, time: time, into: db) }
        let styled = layers.filter { $0.style != nil }
        if !styled.isEmpty {
            try db.execute(Self.layerStylesTable)
            try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                       [.text("layer_styles"), .text("layer_styles"), .text("default styles that QGIS applies on opening"), .text(time)])
            let insert = try db.prepare("""
                INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, \
                styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) \
                VALUES ('', '', ?, 'geom', ?, ?, ?, 1, ?, 'civic', NULL, ?)
                """)
            for layer in styled {
                guard let style = layer.style else { continue }
                try insert.run([.text(layer.name), .text(style.name), .text(style.qml), .text(style.sld),
                                .text(style.description), .text(time)])
            }
        }
        try db.execute("COMMIT;")
    }

    private static func write(_ layer: GeoPackageLayer, time: String, into db: SQLiteDatabase) throws(GeoPackageError) {
        let table = FlatTable(layer.features)
        let name = quoted(layer.name)
        let columns = table.columns.map { ", \(quoted($0.name)) \($0.kind.rawValue)" }.joined()
        try db.execute("CREATE TABLE \(name) (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom \(layer.geometryType.rawValue)\(columns));")

        let placeholders = String(repeating: ", ?", count: table.columns.count)
        let insert = try db.prepare("INSERT INTO \(name) VALUES (?, ?\(placeholders))")
        let rtree = quoted("rtree_\(layer.name)_geom")
        // The index is filled here from the boxes already at hand; the triggers, created after the
        // rows, keep it right for later edits in GDAL or QGIS (they call ST_* functions that only
        // those programs define).
        try db.execute("CREATE VIRTUAL TABLE \(rtree) USING rtree(id, minx, maxx, miny, maxy);")
        let index = try db.prepare("INSERT INTO \(rtree) VALUES (?, ?, ?, ?, ?)")
        var extent: BoundingBox?
        for (position, feature) in layer.features.enumerated() {
            let fid = Int64(position + 1)
            let geometry = try layer.stored(feature)
            var values: [SQLiteValue] = [.integer(fid), geometry.map { .blob(GeoPackageBinary.blob($0, srsID: srsID)) } ?? .null]
            for (column, value) in zip(table.columns, table.rows[position]) {
                values.append(FlatTable.bound(value, as: column.kind))
            }
            try insert.run(values)
            if let box = geometry?.boundingBox {
                try index.run([.integer(fid), .real(box.minX), .real(box.maxX), .real(box.minY), .real(box.maxY)])
                extent = extent.map { $0.union(box) } ?? box
            }
        }
        try db.execute(rtreeTriggers(table: layer.name))
        try db.run("""
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, \
            min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)
            """,
                   [.text(layer.name), .text(layer.name), .text(layer.description), .text(time),
                    extent.map { .real($0.minX) } ?? .null, extent.map { .real($0.minY) } ?? .null,
                    extent.map { .real($0.maxX) } ?? .null, extent.map { .real($0.maxY) } ?? .null,
                    .integer(Int64(srsID))])
        try db.run("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                   [.text(layer.name), .text(layer.geometryType.rawValue), .integer(Int64(srsID))])
        try db.run("INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                   [.text(layer.name)])
    }

    /// An SQL identifier in double quotes, inner quotes doubled.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// The six triggers of the spec's R-tree extension (F.3), for column `geom` and key `fid`.
    static func rtreeTriggers(table: String) -> String {
        let t = quoted(table)
        let r = quoted("rtree_\(table)_geom")
        let trigger = { (suffix: String) in quoted("rtree_\(table)_geom_\(suffix)") }
        let insertNew = "INSERT OR REPLACE INTO \(r) VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));"
        return """
            CREATE TRIGGER \(trigger("insert")) AFTER INSERT ON \(t) WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN \(insertNew) END;
            CREATE TRIGGER \(trigger("update1")) AFTER UPDATE OF geom ON \(t) WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN \(insertNew) END;
            CREATE TRIGGER \(trigger("update2")) AFTER UPDATE OF geom ON \(t) WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            CREATE TRIGGER \(trigger("update3")) AFTER UPDATE ON \(t) WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; \(insertNew) END;
            CREATE TRIGGER \(trigger("update4")) AFTER UPDATE ON \(t) WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER \(trigger("delete")) AFTER DELETE ON \(t) WHEN old.geom NOT NULL
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            """
    }

    /// The required tables (spec §1.1.2, §1.1.3, §2.1.5) and the extensions table (§2.3).
    static let coreTables = """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, \
        organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, \
        identifier TEXT UNIQUE, description TEXT DEFAULT '', \
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), \
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, \
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, \
        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, \
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), \
        CONSTRAINT uk_gc_table_name UNIQUE (table_name), \
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), \
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, \
        definition TEXT NOT NULL, scope TEXT NOT NULL, \
        CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        """

    /// QGIS's table of saved styles, as QGIS and GDAL create it.
    static let layerStylesTable = """
        CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), \
        f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), \
        styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), \
        update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
        """

    /// EPSG:4326 as OGC WKT, as GDAL writes it into a new GeoPackage.
    static let wgs84Definition = """
        GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],\
        AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],\
        UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],\
        AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]
        """
}

/// A file in the temporary folder, made by `mkstemp`, for SQLite to write into.
private struct ScratchFile {
    let path: String

    init() throws(GeoPackageError) {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/civic-gpkg-XXXXXX").utf8CString)
        // Returns an open descriptor, or -1 with errno.
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw .io(path: folder, reason: "cannot make a temporary file: " + String(cString: strerror(errno)))
        }
        close(fd)
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The whole file.
    func contents() throws(GeoPackageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<n])
        }
    }

    func remove() { unlink(path) }
}

extension String {
    /// Every `target` replaced, without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
