import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

/// `civic suggest` on instances small enough to check by hand: districts drawn in metres in UTM
/// zone 44N around Oskemen (``Metres``), residents as points of known counts, candidate sites at
/// known places, radius 500 m unless said.
@Suite("Suggest: maximum covering on hand-checkable instances")
struct SuggestTests {
    /// A 4 km × 2 km district with two clusters of residents: 300 people around (500, 1000) in
    /// three houses, 200 around (3500, 1000) in two.
    static func city(population: Int? = nil) throws -> [District] {
        [try Metres.district("long", [Metres.box(0, 0, 4000, 2000)], population: population)]
    }

    static func clusters() throws -> [Residents] {
        try [(480.0, 1000.0, 100.0), (500, 1020, 100), (520, 990, 100), (3490, 1000, 100), (3510, 1010, 100)].map {
            Residents(geometry: try Metres.point($0.0, $0.1), count: $0.2)
        }
    }

    static func site(_ id: FeatureID?, _ x: Double, _ y: Double) throws -> CandidateSite {
        guard case .point(let p) = try Metres.point(x, y) else { throw CivicError.refused(reason: "not a point") }
        return CandidateSite(id: id, position: p)
    }

    /// West cluster, east cluster, and a site in the middle that reaches neither.
    static func threeSites() throws -> [CandidateSite] {
        [try site(.string("west"), 500, 1000), try site(.string("east"), 3500, 1000), try site(.string("middle"), 2000, 1000)]
    }

    static func request(entities: [Entity] = [], count: Int, candidates: [CandidateSite]? = nil,
                        residents: [Residents]? = nil, population: Int? = nil, radius: Double = 500,
                        cell: Double = 100) throws -> SuggestRequest {
        SuggestRequest(coverage: CoverageRequest(districts: try city(population: population), entities: entities,
                                                 residents: residents, radius: radius),
                       count: count, cell: cell, candidates: candidates)
    }

    @Test("two clusters and one site: the site goes to the bigger cluster; two sites take both")
    func twoClustersOneSite() async throws {
        let one = try await Self.request(count: 1, candidates: Self.threeSites(), residents: Self.clusters()).suggest()
        #expect(one.sites.map(\.id) == [.string("west")])
        #expect(one.sites.first?.gain == 300)
        #expect(one.sites.first?.districtID == "long")
        #expect(one.coveredBefore == 0 && one.coveredAfter == 300 && one.residents == 500)
        // No single site reaches more than the west cluster: the bound is exact here.
        #expect(one.bestPossibleAtMost >= 300 && one.bestPossibleAtMost <= 300 + 1e-6)
        #expect(one.shareOfBest >= 1 - 1e-9)

        let two = try await Self.request(count: 2, candidates: Self.threeSites(), residents: Self.clusters()).suggest()
        #expect(two.sites.map(\.id) == [.string("west"), .string("east")])
        #expect(two.sites.map(\.gain) == [300, 200])
        #expect(two.coveredAfter == 500 && two.bestPossibleAtMost == 500)
    }

    @Test("a candidate that covers nothing new once an existing place is fixed is never chosen")
    func existingPlaceFixed() async throws {
        let club = Metres.entity(1, try Metres.point(450, 1000), themes: ["youth"])
        let report = try await Self.request(entities: [club], count: 2, candidates: Self.threeSites(),
                                            residents: Self.clusters()).suggest()
        #expect(report.coveredBefore == 300, "the club reaches the west cluster")
        #expect(report.sites.map(\.id) == [.string("east")], "west adds no one: fewer sites than asked")
        #expect(report.coveredAfter == 500 && report.bestPossibleAtMost == 500)
        // An inactive club reaches no one: the west site is back.
        var closed = club
        closed.status = .inactive
        let without = try await Self.request(entities: [closed], count: 1, candidates: Self.threeSites(),
                                             residents: Self.clusters()).suggest()
        #expect(without.coveredBefore == 0 && without.sites.map(\.id) == [.string("west")])
    }

    @Test("ties go to the lower id: numbers by value before text, then text")
    func tiesByID() async throws {
        let sameSpot = [try Self.site(.string("b"), 500, 1000), try Self.site(.string("a"), 500, 1000)]
        let text = try await Self.request(count: 1, candidates: sameSpot, residents: Self.clusters()).suggest()
        #expect(text.sites.map(\.id) == [.string("a")])
        // 9 < 10 by value, although "10" < "9" as text; a number comes before any text id.
        let numbers = [try Self.site(.number("10"), 500, 1000), try Self.site(.string("a"), 500, 1000),
                       try Self.site(.number("9"), 500, 1000)]
        let byValue = try await Self.request(count: 1, candidates: numbers, residents: Self.clusters()).suggest()
        #expect(byValue.sites.map(\.id) == [.number("9")])
        // Without ids the file's order decides.
        let anonymous = [try Self.site(nil, 3500, 1000), try Self.site(nil, 500, 1000), try Self.site(nil, 500, 1000)]
        let order = try await Self.request(count: 2, candidates: anonymous, residents: Self.clusters()).suggest()
        #expect(order.sites.count == 2 && order.sites.allSatisfy { $0.id == nil })
        #expect(order.sites.map(\.gain) == [300, 200])
    }

    @Test("more sites asked than useful: only the useful ones, and the bound is all that can be reached")
    func moreThanUseful() async throws {
        let report = try await Self.request(count: 5, candidates: Self.threeSites(), residents: Self.clusters()).suggest()
        #expect(report.count == 5)
        #expect(report.sites.map(\.id) == [.string("west"), .string("east")])
        #expect(report.coveredAfter == 500 && report.bestPossibleAtMost == 500 && report.shareOfBest == 1)
    }

    @Test("the exchange pass mends the greedy's classic mistake, and the bound stays above the optimum")
    func exchangeBeatsGreedy() {
        // Six points of weight 1. X reaches 2…5, Y reaches 1…3, Z reaches 4…6: the greedy takes X
        // (4), then Y or Z (+1) = 5; the best pair is Y + Z = 6.
        let reach = SiteReach(demandCount: 6, lists: [[1, 2, 3, 4], [0, 1, 2], [3, 4, 5]])
        let solution = CoveringProblem(weights: Array(repeating: 1, count: 6), reach: reach, tieRank: [0, 1, 2], count: 2).solve()
        #expect(solution.greedyTotal == 5)
        #expect(solution.total == 6 && solution.swaps >= 1)
        #expect(Set(solution.sites) == [1, 2])
        #expect(solution.gains == [3, 3])
        #expect(solution.bound >= 6)
    }

    @Test("on random instances: never above the optimum, never below 1 − 1/e of it; the bound never below it")
    func randomAgainstBruteForce() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<60 {
            let demand = 30, sites = 10, k = Int(random.next() % 3) + 2
            let weights = (0..<demand).map { _ in Double(random.next() % 100 + 1) }
            let lists: [[Int32]] = (0..<sites).map { _ in
                Array(Set((0..<Int(random.next() % 8 + 1)).map { _ in Int32(random.next() % UInt64(demand)) })).sorted()
            }
            let reach = SiteReach(demandCount: demand, lists: lists)
            let solution = CoveringProblem(weights: weights, reach: reach, tieRank: Array(0..<sites), count: k).solve()
            // Every k-subset by brute force.
            var best = 0.0
            func visit(_ from: Int, _ chosen: [Int]) {
                if chosen.count == k {
                    var reached = Set<Int32>()
                    for s in chosen { reached.formUnion(lists[s]) }
                    best = max(best, reached.reduce(0) { $0 + weights[Int($1)] })
                    return
                }
                // from never passes sites (s < sites), so the range is empty once every site was tried.
                for s in from..<sites { visit(s + 1, chosen + [s]) }
            }
            visit(0, [])
            #expect(solution.total <= best + 1e-9)
            #expect(solution.total >= (1 - 1 / M_E) * best)
            #expect(solution.bound >= best - 1e-6, "the bound \(solution.bound) is below the optimum \(best)")
            #expect(solution.gains.reduce(0, +) == solution.total)
        }
    }

    @Test("without a population file, a district's population is spread over the grid's cells by area")
    func gridFromDistrictPopulation() async throws {
        // 4 km × 2 km at 100 m: 800 whole cells of 12.5 people; a radius of 5 km reaches them all
        // from any cell, and the tie goes to the south-west cell.
        let report = try await Self.request(count: 1, population: 10_000, radius: 5000).suggest()
        #expect(abs(report.residents - 10_000) < 1e-6)
        #expect(report.notices.demandPoints == 800 && report.notices.candidates == 800)
        #expect(abs(report.coveredAfter - 10_000) < 1e-6 && abs(report.bestPossibleAtMost - 10_000) < 1e-6)
        let site = try #require(report.sites.first)
        #expect(site.id == nil && site.districtID == "long")
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(Metres.epsg)")
        let at = try transform.forward([site.position])[0]
        // The grid is aligned on multiples of the cell in the zone; the district's corner is at
        // (500 000, 5 530 000), so the first cell's centre is 50 m in from it.
        #expect(abs(at.x - (Metres.origin.x + 50)) < 1e-3 && abs(at.y - (Metres.origin.y + 50)) < 1e-3)

        // Radius 500 m from the grid: a site reaches the cells whose centres lie within 500 m of its
        // own (whole cells of 12.5 people), counted here by hand.
        let near = try await Self.request(count: 1, population: 10_000, radius: 500).suggest()
        var cells = 0
        for dx in -5...5 { for dy in -5...5 where Double(dx * dx + dy * dy) * 10_000 <= 250_000 { cells += 1 } }
        #expect(abs((near.sites.first?.gain ?? 0) - Double(cells) * 12.5) < 1e-6)
    }

    @Test("a residents' polygon is spread by area; the part outside the districts does not count")
    func polygonResidents() async throws {
        // 1,000 people in a 400 m × 200 m block, half of it east of the district's edge.
        let block = Residents(geometry: try Metres.wgs84(.polygon(Metres.box(3800, 500, 4200, 700))), count: 1000)
        let report = try await Self.request(count: 1, candidates: [try Self.site(.number("1"), 3900, 600)],
                                            residents: [block]).suggest()
        #expect(abs(report.residents - 500) < 1e-6)
        #expect(abs(report.coveredAfter - 500) < 1e-6)
    }

    @Test("bad questions are refused with a reason: K = 0, no residents anywhere, a candidates file with polygons")
    func refusals() async throws {
        await #expect(throws: CivicError.self) { try await Self.request(count: 0, population: 100).suggest() }
        do {
            _ = try await Self.request(count: 1).suggest()
            Issue.record("a city without residents was not refused")
        } catch let error as CivicError {
            #expect(error.description.contains("there are no residents to reach"), "\(error)")
            #expect(error.hint?.contains("--population") == true)
        }
        let file = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":"lot-1","properties":{},"geometry":{"type":"Point","coordinates":[82.61,49.95]}},
            {"type":"Feature","id":"lot-2","properties":{},"geometry":{"type":"Polygon","coordinates":[[[82.6,49.9],[82.61,49.9],[82.61,49.91],[82.6,49.9]]]}}
            ]}
            """
        do {
            _ = try CoverageInputs.candidates(in: Array(file.utf8), file: "lots.geojson")
            Issue.record("a polygon was taken as a candidate site")
        } catch let error as CivicError {
            #expect(error.description.contains("lots.geojson:3"), "\(error)")
            #expect(error.description.contains("lot-2") && error.description.contains("is a Polygon; a candidate site is a Point"), "\(error)")
        }
        let ids = try CoverageInputs.candidates(in: Array("""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":17},"geometry":{"type":"Point","coordinates":[82.61,49.95]}},
            {"type":"Feature","properties":{"name":"участок"},"geometry":{"type":"Point","coordinates":[82.62,49.95]}}
            ]}
            """.utf8), file: "lots.geojson")
        #expect(ids.map(\.id) == [.number("17"), nil])
    }

    @Test("walking: a site reaches along the street, not across the block where no street leads")
    func walkingReach() async throws {
        // One street along y = 1000. The site stands on it at x = 1000. A (100 people) lives 50 m off
        // the street 400 m along it: 400 m walked + 50 m ≤ the 100 m allowance left of 500 m.
        // B (200) lives 400 m north of the site, straight within 500 m, but 400 m from any street.
        let line = try [Position(x: 0, y: 1000), Position(x: 4000, y: 1000)].map { x -> Position in
            guard case .point(let p) = try Metres.point(x.x, x.y) else { throw CivicError.refused(reason: "not a point") }
            return p
        }
        let street = StreetWay(source: "osm:way/1", highway: "residential", positions: line)
        let residents = [Residents(geometry: try Metres.point(1400, 1050), count: 100),
                         Residents(geometry: try Metres.point(1000, 1400), count: 200)]
        let site = [try Self.site(.string("on-street"), 1000, 1000)]
        let straight = try await Self.request(count: 1, candidates: site, residents: residents).suggest()
        #expect(straight.coveredAfter == 300)
        var walking = try Self.request(count: 1, candidates: site, residents: residents)
        walking.coverage.walk = WalkSettings(network: [street], offStreet: 100)
        let walked = try await walking.suggest()
        #expect(walked.coveredAfter == 100 && walked.sites.first?.gain == 100, "\(walked)")
        // An existing club on the street at x = 1450 reaches A on foot: the site adds nobody.
        walking.coverage.entities = [CoverageEntity(Metres.entity(1, try Metres.point(1450, 1000)))]
        let fixed = try await walking.suggest()
        #expect(fixed.coveredBefore == 100 && fixed.sites.isEmpty, "\(fixed)")
    }

    @Test("the JSON is DESIGN §5c's, and the table says how close to the best possible")
    func outputs() async throws {
        let report = try await Self.request(count: 2, candidates: Self.threeSites(), residents: Self.clusters()).suggest()
        let json = JSON.serialize(report.json, pretty: false)
        #expect(json.hasPrefix(#"{"radius_m":500,"count":2,"covered_before":0,"covered_after":500,"best_possible_at_most":500,"sites":[{"rank":1,"id":"west","lon":"#),
                "\(json)")
        #expect(json.contains(#""gain":300,"district_id":"long"}"#))
        let english = report.table(districts: try Self.city(), language: "en")
        #expect(english.contains("at least 100.0 % of the best possible"), "\(english)")
        #expect(english.contains("Район long"))
        let russian = report.table(districts: try Self.city(), language: "ru")
        #expect(russian.contains("2 места добавляют 500 — не менее 100,0 % от лучшего возможного"), "\(russian)")
        let features = report.features
        #expect(features.count == 2 && features[0].properties["gain"] == .number("300"))
    }
}
