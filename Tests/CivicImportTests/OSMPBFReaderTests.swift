import CivicCore
import CivicImport
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// Where `osmium` is, when it is installed (osmium-tool; CI installs it).
let osmium: String? = ["/usr/bin/osmium", "/usr/local/bin/osmium", "/opt/homebrew/bin/osmium"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// An extract read from a file as `civic import osm` reads it, described element by element so
/// two formats can be compared: every tagged element with its tags, and the positions of every
/// way's nodes.
func elements(of path: String) throws -> [String] {
    let extract = try OSMImport.read(fileAt: path, displayName: "x")
    var lines: [String] = []
    for ref in extract.tagged.sorted() {
        lines.append("\(ref) \(extract.tags(of: ref).sorted { $0.key < $1.key })")
    }
    for id in extract.ways.keys.sorted(by: { OSMRef(.way, $0) < OSMRef(.way, $1) }) {
        let way = try #require(extract.ways[id])
        lines.append("way/\(id) " + way.nodeRefs.map { ref in
            extract.position(ofNode: ref).map { "\(ref)@\($0.x),\($0.y)" } ?? "\(ref)@missing"
        }.joined(separator: " "))
    }
    for id in extract.relations.keys.sorted() {
        let relation = try #require(extract.relations[id])
        lines.append("relation/\(id) " + relation.members.map { "\($0.ref):\($0.role)" }.joined(separator: " "))
    }
    return lines
}

@Suite("OSM PBF and compressed XML")
struct OSMPBFReaderTests {
    @Test("the committed PBF (made by osmium from streets.osm) reads as the XML does, element by element")
    func pbfFixture() throws {
        let xml = try elements(of: try fixturePath("streets.osm"))
        let pbf = try elements(of: try fixturePath("streets.osm.pbf"))
        #expect(pbf == xml)
        #expect(xml.count == 13 + 13 + 1, "1 node, 11 ways and 1 relation tagged; 13 ways; 1 relation: \(xml)")
        let extract = try OSMImport.read(fileAt: try fixturePath("streets.osm.pbf"), displayName: "streets.osm.pbf")
        #expect(extract.nodes.count == 1, "only the tagged node is an element; the 19 corners are compact")
        #expect(extract.untaggedNodes.count == 19)
        #expect(extract.position(ofNode: "1002") == Position(lon: 82.6124, lat: 49.9503))
        #expect(extract.nodes["1011"]?.tags["name:kk"] == "Пушкин атындағы кітапхана")
    }

    @Test(".osm.gz and .osm.bz2 read as the XML they hold; a gzip of two members reads both")
    func compressed() throws {
        let xml = try elements(of: try fixturePath("streets.osm"))
        #expect(try elements(of: try fixturePath("streets.osm.gz")) == xml)
        #expect(try elements(of: try fixturePath("streets.osm.bz2")) == xml)
        try withTemporaryDirectory { (folder: String) in
            // Two gzip members whose contents join into one file, as pigz or `cat a.gz b.gz` make them.
            let text = try fixture("streets.osm")
            let half = text.count / 2
            let first = folder + "/a.osm", second = folder + "/b.osm"
            try Data(text[..<half]).write(to: URL(fileURLWithPath: first))
            try Data(text[half...]).write(to: URL(fileURLWithPath: second))
            let gzip = try Programs.run("/bin/sh", ["-c", "gzip -c a.osm > two.osm.gz && gzip -c b.osm >> two.osm.gz"],
                                        currentDirectory: folder)
            #expect(gzip.status == 0, "\(gzip)")
            #expect(try elements(of: folder + "/two.osm.gz") == xml)
        }
    }

    @Test("a PBF cut short at every byte is refused with its block and offset, never a crash or a hang")
    func truncated() throws {
        let bytes = try fixture("streets.osm.pbf")
        try withTemporaryDirectory { (folder: String) in
            let path = folder + "/cut.osm.pbf"
            for length in 1..<bytes.count {
                try Data(bytes[..<length]).write(to: URL(fileURLWithPath: path))
                do throws(CivicError) {
                    _ = try OSMImport.read(fileAt: path, displayName: "cut.osm.pbf")
                    // Cut exactly between two blocks, the file reads: fewer elements, nothing wrong.
                    #expect(blockBoundaries(bytes).contains(length), "length \(length) read")
                } catch {
                    let text = error.description
                    #expect(text.hasPrefix("cut.osm.pbf: "), "\(length): \(text)")
                    #expect(text.contains("block ") || text.contains("neither") || text.contains("not OSM PBF"), "\(length): \(text)")
                }
            }
        }
    }

    /// The byte offsets where blocks start (and the file ends).
    func blockBoundaries(_ bytes: [UInt8]) -> Set<Int> {
        var offsets: Set<Int> = []
        var at = 0
        while at + 4 <= bytes.count {
            let headerLength = bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            // The BlobHeader's datasize is its last varint field (3): read it the simple way.
            var i = at + 4, size = 0, shift = 0
            let end = at + 4 + headerLength
            while i < end {
                let key = bytes[i]
                i += 1
                if key == 0x18 {
                    while bytes[i] & 0x80 != 0 { size |= Int(bytes[i] & 0x7F) << shift; shift += 7; i += 1 }
                    size |= Int(bytes[i]) << shift
                    i += 1
                } else if key == 0x0A {
                    i += 1 + Int(bytes[i])
                } else {
                    i += 1
                }
            }
            at = end + size
            offsets.insert(at)
        }
        return offsets
    }

    @Test("a PBF with bytes flipped at random is read or refused with a clear error, never a crash or a hang")
    func corrupted() throws {
        let bytes = try fixture("streets.osm.pbf")
        var random = SeededRandom(seed: 12)
        try withTemporaryDirectory { (folder: String) in
            let path = folder + "/damaged.osm.pbf"
            for round in 0..<400 {
                var damaged = bytes
                for _ in 0..<(1 + round % 4) {
                    let at = Int.random(in: 0..<damaged.count, using: &random)
                    damaged[at] = UInt8.random(in: 0...255, using: &random)
                }
                try Data(damaged).write(to: URL(fileURLWithPath: path))
                do throws(CivicError) {
                    _ = try OSMImport.read(fileAt: path, displayName: "damaged.osm.pbf")
                } catch {
                    #expect(error.description.hasPrefix("damaged.osm.pbf"), "round \(round): \(error)")
                }
            }
        }
    }

    @Test("hostile sizes are refused before anything is allocated: a 2 GiB block, an unknown required feature")
    func hostile() throws {
        try withTemporaryDirectory { (folder: String) in
            let path = folder + "/hostile.osm.pbf"
            // A valid OSMHeader blob header claiming 2 GiB of data.
            var header: [UInt8] = [0x0A, 9] + Array("OSMHeader".utf8) + [0x18, 0x80, 0x80, 0x80, 0x80, 0x08]
            var file: [UInt8] = [0, 0, 0, UInt8(header.count)] + header
            try Data(file).write(to: URL(fileURLWithPath: path))
            let big = civicError { _ = try OSMImport.read(fileAt: path, displayName: "hostile.osm.pbf") }
            #expect(big?.description.contains("hostile.osm.pbf: block 0 at byte 0:") == true, "\(String(describing: big))")
            #expect(big?.description.contains("the format allows at most 32 MiB") == true, "\(String(describing: big))")

            // A raw OSMHeader that requires a feature civic does not know.
            let feature = Array("Sort.Type_then_ID_and_magic".utf8)
            let headerBlock: [UInt8] = [0x22, UInt8(feature.count)] + feature
            let blob: [UInt8] = [0x0A, UInt8(headerBlock.count)] + headerBlock
            header = [0x0A, 9] + Array("OSMHeader".utf8) + [0x18, UInt8(blob.count)]
            file = [0, 0, 0, UInt8(header.count)] + header + blob
            try Data(file).write(to: URL(fileURLWithPath: path))
            let unknown = civicError { _ = try OSMImport.read(fileAt: path, displayName: "hostile.osm.pbf") }
            #expect(unknown?.description
                    == "hostile.osm.pbf: block 0 at byte 0: the file requires the feature 'Sort.Type_then_ID_and_magic', which civic does not read",
                    "\(String(describing: unknown))")
        }
    }

    @Test("osmium's PBF of each OSM fixture gives the same entities and network as the XML",
          .enabled(if: osmium != nil, "needs osmium (Debian osmium-tool)"),
          // Not oskemen.osm: JOSM's action="delete" has no PBF form, and osmium keeps such a node as a live one.
          arguments: ["streets.osm", "osm-website-export.osm"])
    func osmiumConversions(of name: String) throws {
        let osmium = try #require(osmium)
        try withTemporaryDirectory { (folder: String) in
            let xmlPath = try fixturePath(name)
            let variants = [
                ("plain.osm.pbf", ["cat", xmlPath, "-o", "plain.osm.pbf", "-f", "pbf,pbf_compression=none"]),
                ("zlib.osm.pbf", ["cat", xmlPath, "-o", "zlib.osm.pbf"]),
                ("sparse.osm.pbf", ["cat", xmlPath, "-o", "sparse.osm.pbf", "-f", "pbf,pbf_dense_nodes=false"]),
                ("locations.osm.pbf", ["add-locations-to-ways", "-n", "--ignore-missing-nodes", xmlPath, "-o", "locations.osm.pbf"]),
            ]
            let expected = try importedDataset(xmlPath, in: folder + "/xml")
            for (output, arguments) in variants {
                let run = try Programs.run(osmium, arguments, currentDirectory: folder)
                #expect(run.status == 0, "\(output): \(run)")
                #expect(try importedDataset(folder + "/" + output, in: folder + "/" + output + ".dataset") == expected,
                        "\(name) as \(output)")
            }
        }
    }

    /// The entities (public fields and contacts) and network.geojson an import of `path` leaves.
    func importedDataset(_ path: String, in folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let dataset = try Oskemen.dataset(in: folder)
        let extract = try OSMImport.read(fileAt: path, displayName: "extract")
        _ = try DatasetImport.run(OSMImport.batch(extract, path: "extract", language: "ru"), into: dataset,
                                  options: ImportOptions(skipInvalid: true))
        let state = try dataset.load(includeContacts: true)
        let network = (try? String(contentsOfFile: dataset.path + "/network.geojson", encoding: .utf8)) ?? ""
        return state.entities.map { e in
            "\(e.source ?? "")|\(e.name)|\(e.names.sorted { $0.key < $1.key })|\(e.extra.sorted { $0.key < $1.key })|"
                + "\(GeoJSONWriter.geometry(e.geometry))|\(state.contacts[e.id].map { "\($0)" } ?? "")"
        } + [network]
    }
}
