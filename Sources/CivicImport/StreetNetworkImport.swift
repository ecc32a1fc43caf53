import CivicCore
import GeoValues

/// The walkable ways of an OpenStreetMap extract as a street network (DESIGN §5b): what
/// `civic import osm` keeps in `network.geojson`, and what walking coverage reads from a loose
/// `--network city.osm`.
///
/// A way is kept when the mapping calls it walkable (``OSMMapping/isWalkable(_:)``), as a
/// ``StreetWay`` with source `osm:way/ID`, its `highway`, `name` and the node ids of its positions.
/// A way some of whose nodes are not in the file (the edge of an export) is skipped and counted,
/// like other partial elements: keeping the runs that are there would make dead ends that are not
/// on the ground.
public enum StreetNetworkImport {
    /// The walkable ways of an extract and what was left out.
    public struct Extraction: Sendable {
        /// The walkable ways, by numeric way id.
        public var ways: [StreetWay] = []
        /// Walkable ways skipped because some of their nodes are not in the file.
        public var incomplete = 0
        /// Sources of ways in the file whose `highway` the mapping does not call walkable (a
        /// street closed for construction, a `foot=no` road): a re-import removes them from a
        /// network that kept them before.
        public var notWalkable: Set<String> = []
        /// What the file or its server says of the extract, and what was skipped, for the user.
        public var remarks: [String] = []
    }

    /// The walkable ways of the OSM file at `path` in any format civic reads (OSM XML, Overpass
    /// JSON, OSM PBF, and XML compressed as `.gz` or `.bz2`), under the default walkable list.
    /// `displayName` names the file in messages. The remarks say what was skipped.
    ///
    /// ```swift
    /// let (ways, remarks) = try StreetNetworkImport.ways(fromFile: "city.osm.pbf", displayName: "city.osm.pbf")
    /// ```
    public static func ways(fromFile path: String, displayName: String) throws(CivicError) -> (ways: [StreetWay], remarks: [String]) {
        let extract = try OSMImport.read(fileAt: path, displayName: displayName)
        let extraction = ways(in: extract, file: displayName)
        return (extraction.ways, extraction.remarks)
    }

    /// The walkable ways of `extract` under `mapping`; `file` names the file in the remarks.
    public static func ways(in extract: OSMExtract, file: String, mapping: OSMMapping = .standard) -> Extraction {
        var extraction = Extraction()
        for remark in extract.remarks { extraction.remarks.append("\(file): the server remarked: \(remark)") }
        let ids = extract.ways.keys.sorted { OSMRef(.way, $0) < OSMRef(.way, $1) }
        for id in ids {
            guard let way = extract.ways[id] else { continue }
            guard mapping.isWalkable(way.tags) else {
                if way.tags["highway"] != nil { extraction.notWalkable.insert(OSMRef(.way, id).source) }
                continue
            }
            guard case .success(let positions) = OSMImport.wayPositions(way, in: extract), positions.count >= 2,
                  positions.contains(where: { $0 != positions[0] }) else {
                extraction.incomplete += 1
                continue
            }
            // Overpass `out geom` gives positions with node ids; without ids the vertices meet by coordinates.
            let nodes = way.nodeRefs.count == positions.count ? way.nodeRefs : nil
            extraction.ways.append(StreetWay(source: OSMRef(.way, id).source, highway: way.tags["highway"],
                                             name: way.tags["name"]?.trimmingSpaces.nilIfEmpty, nodes: nodes,
                                             positions: positions))
        }
        let walkable = extraction.ways.count + extraction.incomplete
        if extraction.incomplete > 0, extraction.incomplete * 2 > walkable {
            // Most ways without their nodes is no edge of an export: the query forgot to recurse.
            extraction.remarks.append("\(file): \(extraction.incomplete) of \(walkable) walkable ways skipped: their nodes "
                                      + "are not in the file; the Overpass query forgot to recurse: end it with "
                                      + "`(._;>;); out body;`, or print positions with `out geom;`")
        } else if extraction.incomplete > 0 {
            extraction.remarks.append("\(file): \(extraction.incomplete) walkable way\(extraction.incomplete == 1 ? "" : "s") "
                                      + "skipped: some of their nodes are not in the file (the edge of the export)")
        }
        return extraction
    }
}
