import CivicCore
import GeoEngine
import GeoValues

/// Walking coverage (DESIGN §5b): reach along the street network instead of straight lines.
///
/// ```swift
/// var request = CoverageRequest(districts: districts, entities: entities, radius: 500)
/// request.walk = WalkSettings(network: ways, offStreet: 100)
/// let report = try await request.coverage()      // report.walk?.offStreet == 100
/// ```
public struct WalkSettings: Hashable, Sendable {
    /// The walkable ways, WGS84 (``CivicCore/StreetNetworkFile``, or an OSM import's).
    public var network: [StreetWay]
    /// The off-street allowance A in metres: the last leg from the street to a home, straight.
    /// Never more than the radius.
    public var offStreet: Double

    /// The default allowance, 100 m (DESIGN §5b); a radius below it lowers it to the radius.
    public static let defaultOffStreet = 100.0

    /// Walking over `network` with an off-street allowance of `offStreet` metres.
    public init(network: [StreetWay], offStreet: Double = WalkSettings.defaultOffStreet) {
        self.network = network
        self.offStreet = offStreet
    }
}

/// What walking coverage adds to a report: the allowance, the network's size, and the selected
/// entities farther than the allowance from every street (they still cover their own surroundings,
/// within min(A, R) of themselves, and join the network at that cost).
public struct WalkFigures: Hashable, Sendable {
    /// The off-street allowance A, metres.
    public var offStreet: Double
    /// Selected entities (that count in some district's zone) farther than A from every street.
    public var entitiesAwayFromStreets: Int
    /// The network's vertices and edges, as built for the districts' zones (summed over zones).
    public var vertices: Int
    public var edges: Int
}

/// The walking reach of one zone's selected entities: starts, one multi-source search, pieces.
enum WalkReach {
    /// The covered pieces of the streets for the zone's entities (projected as the zone has them),
    /// and the request indices of the entities farther than `offStreet` from every street;
    /// `network` is the zone's graph of `walk`'s ways (in its CRS, the ways within ``Analysis/walkBox(districts:request:alone:)``).
    ///
    /// Joining the entities and cutting the edges into pieces are independent per entity and per
    /// edge, so both run on all cores in chunks whose results are put end to end in order: the
    /// pieces are the same, in the same order, as on one core. The search between them is one.
    static func pieces(zone: Analysis.Zone, network: WalkNetwork, walk: WalkSettings, radius: Double) async throws
        -> (pieces: [WalkPiece], awayFromStreets: [Int], vertices: Int, edges: Int) {
        let offStreet = walk.offStreet
        let points = zone.points, pointEntities = zone.pointEntities
        let areas = zone.areaShapes, areaEntities = zone.areaEntities
        let pointChunks = chunks(points.count, size: 4096), areaChunks = chunks(areas.count, size: 512)
        let joined = try await Parallel.map(pointChunks.count + areaChunks.count) { job -> StartChunk in
            var chunk = StartChunk()
            if job < pointChunks.count {
                for i in pointChunks[job] {
                    let start = network.start(point: points[i])
                    if start.cost > offStreet { chunk.away.append(pointEntities[i]) }
                    chunk.joins += start.joins
                }
                return chunk
            }
            for j in areaChunks[job - pointChunks.count] {
                let start = network.start(area: areas[j].polygons)
                if start.cost > offStreet { chunk.away.append(areaEntities[j]) }
                chunk.joins += start.joins
                chunk.seeds += start.vertices
            }
            return chunk
        }
        let joins = joined.flatMap(\.joins)
        let distances = network.distances(joins: joins, vertexSeeds: joined.flatMap(\.seeds), limit: radius)
        let byEdge = WalkNetwork.joinsByEdge(joins, radius: radius)
        let edgeChunks = chunks(network.edgeCount, size: max(4096, network.edgeCount / (4 * Parallel.width) + 1))
        let pieces = try await Parallel.map(edgeChunks.count) { job in
            network.pieces(distances: distances, joinsByEdge: byEdge, radius: radius, offStreet: offStreet,
                           edges: edgeChunks[job])
        }
        return (Array(pieces.joined()), joined.flatMap(\.away), network.vertexCount, network.edgeCount)
    }

    /// What one chunk of entities adds: where they join, the vertices areas hold, and those away
    /// from every street.
    private struct StartChunk: Sendable {
        var joins: [WalkNetwork.Join] = []
        var seeds: [(vertex: Int32, cost: Double)] = []
        var away: [Int] = []
    }

    /// `0..<count` in consecutive ranges of `size` (the last one shorter).
    private static func chunks(_ count: Int, size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }
}
