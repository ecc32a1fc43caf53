import CivicCore
import CZlib
import GeoValues

/// Reads OSM PBF (`.osm.pbf`), the binary format whole-city and regional extracts come in
/// (Geofabrik, BBBike, `osmium extract`), block by block from a stream: the file is never held
/// whole, only one block (at most 32 MiB decoded) at a time, and untagged nodes are kept as three
/// flat arrays (``NodePositions``), 24 bytes each.
///
/// The format (wiki.openstreetmap.org/wiki/PBF_Format): a sequence of blobs, each a 4-byte
/// big-endian length, a `BlobHeader` (type `OSMHeader` or `OSMData`, the blob's size) and a `Blob`
/// (raw or zlib-compressed; lzma, lz4 and zstd are refused with a hint). `OSMHeader` lists the
/// features a reader must know: civic reads `OsmSchema-V0.6`, `DenseNodes` and
/// `HistoricalInformation` (deleted versions, `visible=false`, are left out as in XML) and refuses
/// any other; optional features such as `LocationsOnWays` are used when present (positions inline).
/// `OSMData` is a `PrimitiveBlock`: a string table, granularity and offsets, and groups of nodes,
/// dense nodes (delta-coded, tags in `keys_vals`), ways (delta-coded refs) and relations
/// (delta-coded member ids). Unknown blob types and fields are skipped, as the format asks.
///
/// Sizes are checked before anything is allocated (a header at most 64 KiB, a blob at most
/// 32 MiB, as the format sets them), so a hostile or truncated file is refused with its block and
/// byte offset, never a crash or a hang.
public enum OSMPBFReader {
    /// The largest `BlobHeader` the format allows.
    static let maxHeaderSize = 64 * 1024
    /// The largest blob, compressed or not, the format allows.
    static let maxBlobSize = 32 * 1024 * 1024
    /// The required features civic reads.
    static let knownFeatures: Set<String> = ["OsmSchema-V0.6", "DenseNodes", "HistoricalInformation"]

    /// Whether the first bytes of a file look like OSM PBF: a small big-endian length and a
    /// `BlobHeader` whose first field is its type (`OSMHeader`).
    public static func looksLikePBF(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= 15, prefix[0] == 0, prefix[1] == 0 else { return false }
        return prefix[4] == 0x0A && prefix[5] == 9 && Array(prefix[6..<15]) == Array("OSMHeader".utf8)
    }

    /// The elements of the PBF file `stream` reads; `file` names it in messages.
    public static func read(_ stream: InputStream, file: String) throws(CivicError) -> OSMExtract {
        var extract = OSMExtract()
        var block = 0
        var sawHeader = false
        while true {
            let start = stream.offset
            let place = "block \(block) at byte \(start)"
            func fail(_ reason: String, hint: String? = nil) -> CivicError {
                .invalid(file: file, place: place, reason: reason, hint: hint)
            }
            let lengthBytes = try stream.read(upTo: 4)
            if lengthBytes.isEmpty { break }
            guard lengthBytes.count == 4 else { throw fail("the file ends inside the length of a block", hint: truncatedHint) }
            let headerLength = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            guard headerLength > 0, headerLength <= maxHeaderSize else {
                throw fail("a block header of \(headerLength) bytes; the format allows 1 to 64 KiB",
                           hint: sawHeader ? truncatedHint : "this is not an OSM PBF file")
            }
            let headerBytes = try stream.read(upTo: headerLength)
            guard headerBytes.count == headerLength else { throw fail("the file ends inside a block header", hint: truncatedHint) }
            let (type, dataSize) = try decode(place: place, file: file) { () throws(ProtobufError) in
                try headerBytes.withUnsafeBufferPointer { buffer throws(ProtobufError) in try blobHeader(buffer) }
            }
            guard dataSize >= 0, dataSize <= maxBlobSize else {
                throw fail("a \(type) blob of \(dataSize) bytes; the format allows at most 32 MiB")
            }
            let blobBytes = try stream.read(upTo: dataSize)
            guard blobBytes.count == dataSize else {
                throw fail("the file ends inside the \(type) blob (\(blobBytes.count) of \(dataSize) bytes)", hint: truncatedHint)
            }
            switch type {
            case "OSMHeader":
                let data = try blobData(blobBytes, place: place, file: file)
                let required = try decode(place: place, file: file) { () throws(ProtobufError) in
                    try data.withUnsafeBufferPointer { buffer throws(ProtobufError) in try requiredFeatures(buffer) }
                }
                for feature in required where !knownFeatures.contains(feature) {
                    throw fail("the file requires the feature '\(feature)', which civic does not read",
                               hint: "convert it with osmium: osmium cat \(file) -o plain.osm.pbf")
                }
                sawHeader = true
            case "OSMData":
                guard sawHeader else { throw fail("an OSMData block before the OSMHeader block; this is not an OSM PBF file") }
                let data = try blobData(blobBytes, place: place, file: file)
                try decode(place: place, file: file) { () throws(ProtobufError) in
                    try data.withUnsafeBufferPointer { buffer throws(ProtobufError) in
                        try primitiveBlock(buffer, into: &extract)
                    }
                }
            default:
                // The format asks readers to skip blob types they do not know.
                break
            }
            block += 1
        }
        guard sawHeader else {
            throw CivicError.invalid(file: file, place: "file", reason: "no OSMHeader block: the file is empty or not OSM PBF")
        }
        extract.untaggedNodes.sort()
        return extract
    }

    private static let truncatedHint = "the file is cut short: download it again"

    /// Runs `body`, turning a protobuf failure into an error naming the file and block.
    private static func decode<T>(place: String, file: String,
                                  _ body: () throws(ProtobufError) -> T) throws(CivicError) -> T {
        do {
            return try body()
        } catch {
            throw CivicError.invalid(file: file, place: place, reason: error.reason)
        }
    }

    /// `BlobHeader`: type (1) and datasize (3).
    private static func blobHeader(_ buffer: UnsafeBufferPointer<UInt8>) throws(ProtobufError) -> (String, Int) {
        var reader = ProtobufReader(buffer)
        var type: String?
        var size: Int?
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, 2): type = try reader.string()
            case (3, 0):
                let value = try reader.varint()
                guard value <= UInt64(Int32.max) else { throw ProtobufError("a blob of \(value) bytes; the format allows at most 32 MiB") }
                size = Int(value)
            default: try reader.skip(wire: wire)
            }
        }
        guard let type, let size else { throw ProtobufError("a block header without its type or size") }
        return (type, size)
    }

    /// The decoded content of a `Blob`: raw (1), or zlib_data (3) of raw_size (2) bytes.
    private static func blobData(_ blob: [UInt8], place: String, file: String) throws(CivicError) -> [UInt8] {
        enum Content { case raw([UInt8]), zlib([UInt8]), other(String) }
        let (content, rawSize) = try decode(place: place, file: file) { () throws(ProtobufError) -> (Content?, Int?) in
            try blob.withUnsafeBufferPointer { buffer throws(ProtobufError) in
                var reader = ProtobufReader(buffer)
                var content: Content?
                var rawSize: Int?
                while let (number, wire) = try reader.field() {
                    switch (number, wire) {
                    case (1, 2): content = .raw(try reader.bytes())
                    case (2, 0):
                        let value = try reader.varint()
                        guard value <= UInt64(maxBlobSize) else {
                            throw ProtobufError("a blob that decodes to \(value) bytes; the format allows at most 32 MiB")
                        }
                        rawSize = Int(value)
                    case (3, 2): content = .zlib(try reader.bytes())
                    case (4, 2): content = .other("lzma"); try reader.skip(wire: wire)
                    case (5, 2): content = .other("bzip2"); try reader.skip(wire: wire)
                    case (6, 2): content = .other("lz4"); try reader.skip(wire: wire)
                    case (7, 2): content = .other("zstd"); try reader.skip(wire: wire)
                    default: try reader.skip(wire: wire)
                    }
                }
                return (content, rawSize)
            }
        }
        switch content {
        case .raw(let bytes)?:
            return bytes
        case .zlib(let compressed)?:
            guard let rawSize else {
                throw CivicError.invalid(file: file, place: place, reason: "a zlib blob without its decoded size (raw_size)")
            }
            return try inflate(compressed, size: rawSize, place: place, file: file)
        case .other(let name)?:
            throw CivicError.invalid(file: file, place: place, reason: "a blob compressed with \(name), which civic does not read",
                                     hint: "recompress it with osmium: osmium cat \(file) -o plain.osm.pbf")
        case nil:
            throw CivicError.invalid(file: file, place: place, reason: "a blob without data")
        }
    }

    /// zlib-decompresses a blob that says it decodes to `size` bytes.
    private static func inflate(_ compressed: [UInt8], size: Int, place: String, file: String) throws(CivicError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: size)
        var produced = uLongf(size)
        // uncompress returns Z_OK, or Z_BUF_ERROR when the data decodes to more than `size`,
        // Z_DATA_ERROR when it is corrupt, Z_MEM_ERROR when memory runs out.
        let status = output.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &produced, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(produced) == size else {
            let why = status == Z_OK ? "decodes to \(produced) bytes, not the \(size) it says"
                : status == Z_BUF_ERROR ? "decodes to more than the \(size) bytes it says"
                : "does not decompress (zlib error \(status))"
            throw CivicError.invalid(file: file, place: place, reason: "the block's zlib data \(why)", hint: truncatedHint)
        }
        return output
    }

    /// `HeaderBlock`: required_features (4).
    private static func requiredFeatures(_ buffer: UnsafeBufferPointer<UInt8>) throws(ProtobufError) -> [String] {
        var reader = ProtobufReader(buffer)
        var features: [String] = []
        while let (number, wire) = try reader.field() {
            if number == 4, wire == 2 { features.append(try reader.string()) } else { try reader.skip(wire: wire) }
        }
        return features
    }

    /// What a `PrimitiveBlock` says of all its groups: strings, granularity, offsets.
    private struct BlockFrame {
        var strings: [String] = []
        var granularity: Int64 = 100
        var latOffset: Int64 = 0
        var lonOffset: Int64 = 0

        func string(_ index: UInt64) throws(ProtobufError) -> String {
            guard index < UInt64(strings.count) else {
                throw ProtobufError("string \(index) is beyond the block's string table of \(strings.count)")
            }
            return strings[Int(index)]
        }

        func tags(keys: [UInt64], values: [UInt64]) throws(ProtobufError) -> [String: String] {
            guard keys.count == values.count else {
                throw ProtobufError("\(keys.count) tag keys but \(values.count) values")
            }
            var tags: [String: String] = [:]
            for (key, value) in zip(keys, values) { tags[try string(key)] = try string(value) }
            return tags
        }

        /// A position from the block's integers: nanodegrees = offset + granularity × value.
        /// Dividing the exact integer by 10⁹ gives the double nearest the decimal, as the XML
        /// reader's parse of `49.9501` does.
        func position(lat: Int64, lon: Int64, element: String) throws(ProtobufError) -> Position {
            let (latScaled, latOverflow) = granularity.multipliedReportingOverflow(by: lat)
            let (lonScaled, lonOverflow) = granularity.multipliedReportingOverflow(by: lon)
            guard !latOverflow, !lonOverflow else { throw ProtobufError("\(element): coordinates overflow") }
            let latitude = Double(latOffset &+ latScaled) / 1e9, longitude = Double(lonOffset &+ lonScaled) / 1e9
            guard (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                throw ProtobufError("\(element): lat \(latitude), lon \(longitude) is out of range")
            }
            return Position(lon: longitude, lat: latitude)
        }
    }

    private static func primitiveBlock(_ buffer: UnsafeBufferPointer<UInt8>, into extract: inout OSMExtract) throws(ProtobufError) {
        var reader = ProtobufReader(buffer)
        var frame = BlockFrame()
        var groups: [ProtobufReader] = []
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, 2):
                var table = try reader.message()
                while let (n, w) = try table.field() {
                    if n == 1, w == 2 { frame.strings.append(try table.string()) } else { try table.skip(wire: w) }
                }
            case (2, 2): groups.append(try reader.message())
            case (17, 0):
                let granularity = Int64(bitPattern: try reader.varint())
                guard granularity > 0, granularity <= 1_000_000_000 else { throw ProtobufError("granularity \(granularity)") }
                frame.granularity = granularity
            case (19, 0): frame.latOffset = Int64(bitPattern: try reader.varint())
            case (20, 0): frame.lonOffset = Int64(bitPattern: try reader.varint())
            default: try reader.skip(wire: wire)
            }
        }
        for var group in groups {
            while let (number, wire) = try group.field() {
                switch (number, wire) {
                case (1, 2):
                    var message = try group.message()
                    try node(&message, frame: frame, into: &extract)
                case (2, 2):
                    var message = try group.message()
                    try denseNodes(&message, frame: frame, into: &extract)
                case (3, 2):
                    var message = try group.message()
                    try way(&message, frame: frame, into: &extract)
                case (4, 2):
                    var message = try group.message()
                    try relation(&message, frame: frame, into: &extract)
                default: try group.skip(wire: wire)
                }
            }
        }
    }

    /// `Info.visible` (6): false for a deleted version in a history file.
    private static func isVisible(_ info: inout ProtobufReader) throws(ProtobufError) -> Bool {
        var visible = true
        while let (number, wire) = try info.field() {
            if number == 6, wire == 0 { visible = try info.varint() != 0 } else { try info.skip(wire: wire) }
        }
        return visible
    }

    private static func add(id: Int64, position: Position, tags: [String: String], into extract: inout OSMExtract) {
        if tags.isEmpty {
            extract.untaggedNodes.append(id: id, lon: position.x, lat: position.y)
        } else {
            extract.add(OSMNode(id: String(id), position: position, tags: tags))
        }
    }

    private static func node(_ reader: inout ProtobufReader, frame: BlockFrame, into extract: inout OSMExtract) throws(ProtobufError) {
        var id: Int64?, lat: Int64?, lon: Int64?
        var keys: [UInt64] = [], values: [UInt64] = []
        var visible = true
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, 0): id = try reader.signed()
            case (2, _): try reader.varints(wire: wire, into: &keys)
            case (3, _): try reader.varints(wire: wire, into: &values)
            case (4, 2):
                var info = try reader.message()
                visible = try isVisible(&info)
            case (8, 0): lat = try reader.signed()
            case (9, 0): lon = try reader.signed()
            default: try reader.skip(wire: wire)
            }
        }
        guard let id, let lat, let lon else { throw ProtobufError("a node without its id or coordinates") }
        guard visible else { return }
        let position = try frame.position(lat: lat, lon: lon, element: "node/\(id)")
        add(id: id, position: position, tags: try frame.tags(keys: keys, values: values), into: &extract)
    }

    private static func denseNodes(_ reader: inout ProtobufReader, frame: BlockFrame,
                                   into extract: inout OSMExtract) throws(ProtobufError) {
        var ids: [Int64] = [], lats: [Int64] = [], lons: [Int64] = []
        var keysValues: [UInt64] = []
        var visible: [UInt64] = []
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, _): try reader.deltas(wire: wire, into: &ids)
            case (5, 2):
                var info = try reader.message()
                while let (n, w) = try info.field() {
                    if n == 6 { try info.varints(wire: w, into: &visible) } else { try info.skip(wire: w) }
                }
            case (8, _): try reader.deltas(wire: wire, into: &lats)
            case (9, _): try reader.deltas(wire: wire, into: &lons)
            case (10, _): try reader.varints(wire: wire, into: &keysValues)
            default: try reader.skip(wire: wire)
            }
        }
        guard ids.count == lats.count, ids.count == lons.count else {
            throw ProtobufError("dense nodes with \(ids.count) ids, \(lats.count) latitudes and \(lons.count) longitudes")
        }
        guard visible.isEmpty || visible.count == ids.count else {
            throw ProtobufError("dense nodes with \(ids.count) ids but \(visible.count) visible flags")
        }
        var k = 0
        for i in ids.indices {
            // keys_vals: each node's key and value string indices, ended by a 0; empty when no node has tags.
            var tags: [String: String] = [:]
            if !keysValues.isEmpty {
                while true {
                    guard k < keysValues.count else { throw ProtobufError("dense nodes' keys_vals end before node \(ids[i])") }
                    let key = keysValues[k]
                    k += 1
                    if key == 0 { break }
                    guard k < keysValues.count else { throw ProtobufError("dense nodes' keys_vals end inside a tag") }
                    tags[try frame.string(key)] = try frame.string(keysValues[k])
                    k += 1
                }
            }
            if !visible.isEmpty, visible[i] == 0 { continue }
            let position = try frame.position(lat: lats[i], lon: lons[i], element: "node/\(ids[i])")
            add(id: ids[i], position: position, tags: tags, into: &extract)
        }
    }

    private static func way(_ reader: inout ProtobufReader, frame: BlockFrame, into extract: inout OSMExtract) throws(ProtobufError) {
        var id: Int64?
        var keys: [UInt64] = [], values: [UInt64] = []
        var refs: [Int64] = [], lats: [Int64] = [], lons: [Int64] = []
        var visible = true
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, 0): id = Int64(bitPattern: try reader.varint())
            case (2, _): try reader.varints(wire: wire, into: &keys)
            case (3, _): try reader.varints(wire: wire, into: &values)
            case (4, 2):
                var info = try reader.message()
                visible = try isVisible(&info)
            case (8, _): try reader.deltas(wire: wire, into: &refs)
            case (9, _): try reader.deltas(wire: wire, into: &lats)
            case (10, _): try reader.deltas(wire: wire, into: &lons)
            default: try reader.skip(wire: wire)
            }
        }
        guard let id else { throw ProtobufError("a way without its id") }
        guard visible else { return }
        var geometry: [Position]?
        // LocationsOnWays: the positions come with the way.
        // A location osmium could not find is written out of range: then the way goes by its node refs.
        if !lats.isEmpty, lats.count == refs.count, lons.count == refs.count {
            var positions: [Position] = []
            positions.reserveCapacity(refs.count)
            for i in refs.indices {
                guard let position = try? frame.position(lat: lats[i], lon: lons[i], element: "way/\(id)") else { break }
                positions.append(position)
            }
            if positions.count == refs.count { geometry = positions }
        }
        extract.add(OSMWay(id: String(id), nodeRefs: refs.map { String($0) }, geometry: geometry,
                           tags: try frame.tags(keys: keys, values: values)))
    }

    private static func relation(_ reader: inout ProtobufReader, frame: BlockFrame,
                                 into extract: inout OSMExtract) throws(ProtobufError) {
        var id: Int64?
        var keys: [UInt64] = [], values: [UInt64] = []
        var roles: [UInt64] = [], memberIDs: [Int64] = [], types: [UInt64] = []
        var visible = true
        while let (number, wire) = try reader.field() {
            switch (number, wire) {
            case (1, 0): id = Int64(bitPattern: try reader.varint())
            case (2, _): try reader.varints(wire: wire, into: &keys)
            case (3, _): try reader.varints(wire: wire, into: &values)
            case (4, 2):
                var info = try reader.message()
                visible = try isVisible(&info)
            case (8, _): try reader.varints(wire: wire, into: &roles)
            case (9, _): try reader.deltas(wire: wire, into: &memberIDs)
            case (10, _): try reader.varints(wire: wire, into: &types)
            default: try reader.skip(wire: wire)
            }
        }
        guard let id else { throw ProtobufError("a relation without its id") }
        guard roles.count == memberIDs.count, types.count == memberIDs.count else {
            throw ProtobufError("relation/\(id): \(memberIDs.count) members but \(roles.count) roles and \(types.count) types")
        }
        guard visible else { return }
        var members: [OSMMember] = []
        members.reserveCapacity(memberIDs.count)
        for i in memberIDs.indices {
            let type: OSMElementType
            switch types[i] {
            case 0: type = .node
            case 1: type = .way
            case 2: type = .relation
            default: throw ProtobufError("relation/\(id): member type \(types[i])")
            }
            members.append(OSMMember(ref: OSMRef(type, String(memberIDs[i])), role: try frame.string(roles[i])))
        }
        extract.add(OSMRelation(id: String(id), members: members, tags: try frame.tags(keys: keys, values: values)))
    }
}
