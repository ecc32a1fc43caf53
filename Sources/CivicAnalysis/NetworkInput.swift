import CivicCore
import CivicImport
import Foundation

/// A `--network` file read as what it is: GeoJSON LineStrings (``CivicCore/StreetNetworkFile``),
/// or an OpenStreetMap file in any format `civic import osm` reads — OSM XML, Overpass JSON, OSM
/// PBF, compressed XML — whose walkable ways (DESIGN §5b) ``CivicImport/StreetNetworkImport`` keeps.
enum NetworkInput {
    /// The ways of the file at `path` (`-` for stdin); `warn` hears what an OSM file's reading
    /// skipped (ways whose nodes are missing, a server's remark).
    static func ways(atPath path: String, warn: (CivicError) -> Void) throws -> [StreetWay] {
        if path == "-" {
            let bytes = try InputFile.bytes(atPath: path)
            if isGeoJSON(bytes.prefix(1 << 16)) { return try StreetNetworkFile.ways(in: bytes, file: path) }
            let extraction = StreetNetworkImport.ways(in: try OSMImport.read(bytes, path: path), file: path)
            for remark in extraction.remarks { warn(.refused(reason: remark)) }
            return extraction.ways
        }
        // The first bytes tell: a city's PBF is read block by block, never whole.
        let head: [UInt8]
        if let handle = FileHandle(forReadingAtPath: path) {
            head = Array((try? handle.read(upToCount: 1 << 16)) ?? Data())
            try? handle.close()
        } else {
            head = try InputFile.bytes(atPath: path)   // names the file and says why it cannot be read
        }
        if isGeoJSON(head[...]) {
            return try StreetNetworkFile.ways(in: InputFile.bytes(atPath: path), file: path)
        }
        let (ways, remarks) = try StreetNetworkImport.ways(fromFile: path, displayName: path)
        for remark in remarks { warn(.refused(reason: remark)) }
        return ways
    }

    /// True when the text opens as GeoJSON (a Feature, FeatureCollection or geometry object)
    /// rather than OSM XML, Overpass JSON (`"elements"`) or binary OSM.
    static func isGeoJSON(_ head: ArraySlice<UInt8>) -> Bool {
        guard let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first == UInt8(ascii: "{") else {
            return false
        }
        let text = String(decoding: head, as: UTF8.self)
        if text.contains("\"elements\"") && !text.contains("\"features\"") { return false }
        return true
    }
}
