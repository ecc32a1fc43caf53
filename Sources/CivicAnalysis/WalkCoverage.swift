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
    /// and the request indices of the entities farther than `offStreet` from every street.
    static func pieces(zone: Analysis.Zone, walk: WalkSettings, radius: Double)
        throws -> (pieces: [WalkPiece], awayFromStreets: [Int], vertices: Int, edges: Int) {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone.epsg)")
        let network = try WalkNetwork(ways: walk.network, transform: transform, within: zone.walkBox)
        var joins: [WalkNetwork.Join] = []
        var seeds: [(vertex: Int32, cost: Double)] = []
        var away: [Int] = []
        for (i, p) in zone.points.enumerated() {
            let found = network.join(point: p)
            if (found.first?.cost ?? .infinity) > walk.offStreet { away.append(zone.pointEntities[i]) }
            joins += found
        }
        for (j, shape) in zone.areaShapes.enumerated() {
            let (areaJoins, vertices) = network.join(area: shape.polygons)
            let cost = (areaJoins.map(\.cost) + vertices.map(\.cost)).min() ?? .infinity
            if cost > walk.offStreet { away.append(zone.areaEntities[j]) }
            joins += areaJoins
            seeds += vertices
        }
        let distances = network.distances(joins: joins, vertexSeeds: seeds, limit: radius)
        let pieces = network.pieces(distances: distances, joins: joins, radius: radius, offStreet: walk.offStreet)
        return (pieces, away, network.vertexCount, network.edgeCount)
    }
}
