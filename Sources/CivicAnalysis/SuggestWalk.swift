import CivicCore
import GeoEngine
import GeoValues

/// DESIGN §5b's walking reach for `civic suggest --walk`: a resident is reached when they live in
/// the covered region of a place — within min(A, R − d(p)) of a network point p that the place
/// reaches at walking cost d(p) ≤ R, or within min(A, R) of the place itself.
///
/// One street graph per zone serves every candidate site (``WalkNetwork`` never changes once
/// built; a site only names where it joins it). Each site then runs its own Dijkstra, bounded by
/// the radius, so its cost is the streets within walking reach of it; the existing places are one
/// multi-source search together, as walking coverage runs it.
struct WalkingReach: ReachModel {
    var walk: WalkSettings
    var radius: Double

    private var allowance: Double { min(walk.offStreet, radius) }

    private func network(_ epsg: Int) throws -> WalkNetwork {
        try WalkNetwork(ways: walk.network, transform: CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(epsg)"))
    }

    func sites(_ sites: [Position], reach demand: [Position], epsg: Int) throws -> SiteReach {
        let graph = try network(epsg)
        // Walking is never shorter than the straight line: only residents within the radius of a
        // site can be reached from it.
        let index = DemandIndex(demand, radius: radius)
        var lists: [[Int32]] = []
        lists.reserveCapacity(sites.count)
        for site in sites {
            let joins = graph.join(point: site).filter { $0.cost <= radius }
            let pieces = joins.isEmpty ? []
                : graph.pieces(distances: graph.distances(joins: joins, vertexSeeds: [], limit: radius), joins: joins,
                               radius: radius, offStreet: walk.offStreet)
            var found: [Int32] = []
            index.visit(near: BoundingBox(minX: site.x, minY: site.y, maxX: site.x, maxY: site.y), radius: radius) { d in
                let x = demand[Int(d)]
                if Planar.distance(site, x) <= allowance || pieces.contains(where: { $0.contains(x) }) { found.append(d) }
            }
            found.sort()
            lists.append(found)
        }
        return SiteReach(demandCount: demand.count, lists: lists)
    }

    func existing(_ places: [Geometry], reach demand: [Position], epsg: Int) throws -> ExistingReach {
        var reached = [Bool](repeating: false, count: demand.count)
        guard !places.isEmpty else { return ExistingReach(reached: reached) }
        let graph = try network(epsg)
        var joins: [WalkNetwork.Join] = []
        var seeds: [(vertex: Int32, cost: Double)] = []
        var away: [Int] = []
        for (i, place) in places.enumerated() {
            // Where and at what cost it starts, as walking coverage counts it.
            let start: WalkNetwork.Start
            if case .point(let p) = place { start = graph.start(point: p) } else { start = graph.start(area: place.polygons) }
            if start.cost > walk.offStreet { away.append(i) }
            joins += start.joins
            seeds += start.vertices
        }
        let pieces = graph.pieces(distances: graph.distances(joins: joins, vertexSeeds: seeds, limit: radius),
                                  joins: joins, radius: radius, offStreet: walk.offStreet)
        // Each place's own surroundings, within the allowance of its geometry.
        let own = StraightLineReach(radius: allowance)
        reached = try own.existing(places, reach: demand, epsg: epsg).reached
        // The pieces, through a grid hash of the residents: each piece looks only near its box.
        let index = DemandIndex(demand, radius: 0)
        for piece in pieces {
            index.visit(near: piece.box, radius: 0) { d in
                if !reached[Int(d)] && piece.contains(demand[Int(d)]) { reached[Int(d)] = true }
            }
        }
        return ExistingReach(reached: reached, awayFromStreets: away)
    }
}
