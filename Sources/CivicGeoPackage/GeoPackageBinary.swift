import GeoValues

/// The standard GeoPackageBinary geometry blob (OGC 12-128r18 §2.1.3): the "GP" header with the
/// SRS id and an envelope, then the geometry as little-endian ISO WKB.
enum GeoPackageBinary {
    /// The blob for `geometry` in `srsID`, with its [minx, maxx, miny, maxy] envelope so that a
    /// reader can filter by box without parsing the WKB.
    static func blob(_ geometry: Geometry, srsID: Int32) -> [UInt8] {
        var bytes: [UInt8] = [0x47, 0x50, 0]  // "GP", version 0 (GeoPackage 1.0 to 1.3)
        let box = geometry.boundingBox
        // Flags: bit 0 little-endian; bits 1-3 envelope 1 = [minx, maxx, miny, maxy]; bit 4 empty.
        bytes.append(box == nil ? 0b0001_0001 : 0b0000_0011)
        append(UInt32(bitPattern: srsID), to: &bytes)
        if let box {
            for value in [box.minX, box.maxX, box.minY, box.maxY] { append(value.bitPattern, to: &bytes) }
        }
        wkb(geometry, into: &bytes)
        return bytes
    }

    /// Little-endian WKB, 2D.
    static func wkb(_ geometry: Geometry, into bytes: inout [UInt8]) {
        bytes.append(1)  // little-endian
        switch geometry {
        case .point(let p):
            append(UInt32(1), to: &bytes)
            position(p, into: &bytes)
        case .lineString(let positions):
            append(UInt32(2), to: &bytes)
            ring(positions, into: &bytes)
        case .polygon(let polygon):
            append(UInt32(3), to: &bytes)
            rings(polygon, into: &bytes)
        case .multiPoint(let points):
            append(UInt32(4), to: &bytes)
            append(UInt32(points.count), to: &bytes)
            for p in points { wkb(.point(p), into: &bytes) }
        case .multiLineString(let lines):
            append(UInt32(5), to: &bytes)
            append(UInt32(lines.count), to: &bytes)
            for line in lines { wkb(.lineString(line), into: &bytes) }
        case .multiPolygon(let polygons):
            append(UInt32(6), to: &bytes)
            append(UInt32(polygons.count), to: &bytes)
            for polygon in polygons { wkb(.polygon(polygon), into: &bytes) }
        case .geometryCollection(let parts):
            append(UInt32(7), to: &bytes)
            append(UInt32(parts.count), to: &bytes)
            for part in parts { wkb(part, into: &bytes) }
        }
    }

    private static func rings(_ polygon: Polygon, into bytes: inout [UInt8]) {
        append(UInt32(polygon.rings.count), to: &bytes)
        for r in polygon.rings { ring(r, into: &bytes) }
    }

    private static func ring(_ positions: [Position], into bytes: inout [UInt8]) {
        append(UInt32(positions.count), to: &bytes)
        for p in positions { position(p, into: &bytes) }
    }

    private static func position(_ p: Position, into bytes: inout [UInt8]) {
        append(p.x.bitPattern, to: &bytes)
        append(p.y.bitPattern, to: &bytes)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
