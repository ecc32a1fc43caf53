import CivicCore
import CivicTestSupport
import Foundation
import GeoValues
import Testing
@testable import CivicAnalysis

/// Two 2 × 2 km districts drawn in metres of UTM 44N (cells of 250 m fit them exactly), with
/// hand-counted concerns:
/// - west (12,000 residents), lighting: 5 concerns, 3 open, 2 resolved after 4 and 10 days;
/// - east (8,000 residents), lighting: 4 concerns, all open;
/// - east, heating: 6 concerns, 1 open, 5 resolved after 1, 2, 3, 4, 5 days.
/// One lighting venue at the centre of west, radius 500 m.
enum ConcernCity {
    static func districts() throws -> [District] {
        [try Metres.district("west", [Metres.box(0, 0, 2000, 2000)], population: 12_000),
         try Metres.district("east", [Metres.box(2000, 0, 4000, 2000)], population: 8_000)]
    }

    static func entities() throws -> [Entity] {
        [Metres.entity(1, try Metres.point(1000, 1000), themes: ["lighting"])]
    }

    static func point(_ x: Double, _ y: Double) throws -> Position {
        guard case .point(let p) = try Metres.point(x, y) else { throw CivicError.refused(reason: "not a point") }
        return p
    }

    static func concerns() throws -> [Concern] {
        var list: [Concern] = []
        func add(_ theme: String, _ district: String, _ x: Double, _ y: Double, received: String, resolved: String? = nil) throws {
            list.append(Concern(id: list.count + 1, theme: theme, source: "appeal", status: resolved == nil ? .open : .resolved,
                                received: received, resolved: resolved, district: district, point: try point(x, y)))
        }
        // West, lighting: five in the cell (1000…1250, 1000…1250), near the venue.
        try add("lighting", "west", 1010, 1010, received: "2026-03-01")
        try add("lighting", "west", 1020, 1030, received: "2026-03-02")
        try add("lighting", "west", 1100, 1200, received: "2026-03-03")
        try add("lighting", "west", 1240, 1240, received: "2026-03-01", resolved: "2026-03-05")
        try add("lighting", "west", 1005, 1120, received: "2026-02-20", resolved: "2026-03-02")
        // East, lighting: four in one cell (3500…3750, 1500…1750), far from the venue.
        for k in 0..<4 { try add("lighting", "east", 3510 + Double(k) * 10, 1510, received: "2026-03-0\(k + 1)") }
        // East, heating: six in the cell (2250…2500, 250…500).
        try add("heating", "east", 2260, 260, received: "2026-03-01")
        for k in 1...5 {
            try add("heating", "east", 2260 + Double(k) * 20, 300, received: "2026-03-01", resolved: "2026-03-0\(1 + k)")
        }
        return list
    }

    static func summary(_ concerns: [Concern]? = nil) async throws -> [ConcernSummaryRow] {
        try await ConcernAnalysis.summary(districts: districts(), entities: entities(), vocabulary: .standard,
                                          concerns: concerns ?? self.concerns(), radius: 500)
    }
}

@Suite("concerns summary: hand-counted districts and themes")
struct ConcernSummaryTests {
    @Test func countsOpenMedianAndPerThousand() async throws {
        let rows = try await ConcernCity.summary()
        #expect(rows.map { "\($0.districtID)/\($0.theme)" } == ["west/lighting", "east/lighting", "east/heating"],
                "vocabulary order of themes, then file order of districts")
        let west = rows[0], eastLight = rows[1], heating = rows[2]
        #expect((west.concerns, west.open, west.resolvedWithDates) == (5, 3, 2))
        #expect(west.medianDaysToResolve == 7, "median of 4 and 10 days")
        #expect(close(west.perThousand ?? 0, 5.0 / 12, 1e-12))
        #expect((eastLight.concerns, eastLight.open) == (4, 4) && eastLight.medianDaysToResolve == nil)
        #expect(close(eastLight.perThousand ?? 0, 0.5, 1e-12))
        #expect((heating.concerns, heating.open, heating.resolvedWithDates) == (6, 1, 5))
        #expect(heating.medianDaysToResolve == 3)
    }

    @Test func coveredShareIsTheThemesCoverageAndPriorityFollowsTheDefinition() async throws {
        let rows = try await ConcernCity.summary()
        // The venue's reach (a 64-gon of radius 500 m) lies wholly inside west's 4 km².
        #expect(close(rows[0].themeCoveredShare, reachArea(500) / 4_000_000, 1e-6), "\(rows[0].themeCoveredShare)")
        #expect(rows[1].themeCoveredShare == 0 && rows[2].themeCoveredShare == 0)
        // City lighting rate 9 / 20,000. West: (5/12,000) / (9/20,000) = 0.9259…, need × (1 − 0.196) = 0.744: medium.
        #expect(close(rows[0].demand, (5.0 / 12_000) / (9.0 / 20_000), 1e-12))
        #expect(rows[0].priority == .medium)
        // East lighting: (4/8,000) / (9/20,000) = 1.111, nothing covered, but 4 concerns are too few to call it
        // high: medium. Heating only in east: 2.5, high.
        #expect(close(rows[1].demand, (4.0 / 8_000) / (9.0 / 20_000), 1e-12) && rows[1].priority == .medium)
        #expect(close(rows[2].demand, 2.5, 1e-12) && rows[2].priority == .high)
        #expect(ConcernPriority(need: 0.49) == .low && ConcernPriority(need: 0.5) == .medium && ConcernPriority(need: 1) == .high)
        #expect(ConcernPriority(need: 3, concerns: 4) == .medium)
    }

    @Test func sinceAndThemeNarrowTheConcerns() async throws {
        let all = try ConcernCity.concerns()
        let march = ConcernAnalysis.selected(all, themes: ["lighting"], since: CivilDate("2026-03-02"))
        // West: 03-02, 03-03 (two of five); east: 03-02, 03-03, 03-04.
        let rows = try await ConcernCity.summary(march)
        #expect(rows.map(\.concerns) == [2, 3] && rows.allSatisfy { $0.theme == "lighting" })
    }

    @Test func aCountOfFourIsSuppressedAndFiveIsShown() async throws {
        let rows = try await ConcernCity.summary()
        let publicForm = ConcernOutput(includePrivate: false, language: "ru", vocabulary: .standard)
        let json = JSON.serialize(publicForm.json(rows), pretty: false)
        let objects = publicForm.json(rows).objectValue?["rows"]?.arrayValue?.compactMap(\.objectValue) ?? []
        try #require(objects.count == 3)
        #expect(objects[0]["concerns"] == .number(5) && objects[0]["per_1000"] == .number("0.417"))
        #expect(objects[0]["open"] == .string("<5"), "3 open is a count below 5")
        #expect(objects[0]["median_days_to_resolve"] == nil, "a median of 2 resolved concerns is left out")
        #expect(objects[1]["concerns"] == .string("<5") && objects[1]["per_1000"] == nil, "4 concerns: \(json)")
        #expect(objects[2]["median_days_to_resolve"] == .number(3), "5 resolved concerns give a median")
        #expect(objects[2]["theme_covered_share"] == .number(0) && objects[2]["priority"] == .string("high"))

        let exact = ConcernOutput(includePrivate: true, language: "ru", vocabulary: .standard).json(rows)
        let exactRows = exact.objectValue?["rows"]?.arrayValue?.compactMap(\.objectValue) ?? []
        try #require(exactRows.count == 3)
        #expect(exactRows[1]["concerns"] == .number(4) && exactRows[0]["median_days_to_resolve"] == .number(7))

        let table = publicForm.table(rows).table()
        #expect(table.contains("освещение") && table.contains("<5"), "\(table)")
        let csv = publicForm.csv(rows).csv()
        #expect(csv.hasPrefix("district_id,district_name,theme,concerns,per_1000,open,median_days_to_resolve,theme_covered_share,priority"))
        #expect(csv.contains("east,Район east,lighting,<5,,<5,,0,medium"), "\(csv)")
    }
}

@Suite("concerns: 250 m cells and hotspots")
struct ConcernCellTests {
    @Test func concernsFallInTheCellsOfTheDistrictsUTMGrid() throws {
        let cells = try ConcernAnalysis.cells(districts: ConcernCity.districts(), concerns: ConcernCity.concerns())
        #expect(cells.map(\.concerns) == [6, 5, 4], "largest first: \(cells.map(\.concerns))")
        let westCell = try #require(cells.first { $0.districtID == "west" })
        // (1000…1250, 1000…1250) from the origin (500,000; 5,530,000): column 2004, row 22124.
        #expect((westCell.column, westCell.row, westCell.epsg) == (2004, 22124, 32644))
        let centre = try ConcernCity.point(1125, 1125)
        #expect(Geodesy.distanceMetres(westCell.centre, centre) < 0.01, "the centre of the cell")
        #expect(westCell.square.outerRing.count == 5)
    }

    @Test func hotspotsAreCellsOfFiveOrMoreOutsideTheThemesReach() throws {
        var concerns = try ConcernCity.concerns()
        // A fifth lighting concern in the east cell makes it a hotspot; the west cell lies within reach.
        concerns.append(Concern(id: 100, theme: "lighting", source: "survey", status: .open, received: "2026-03-09",
                                district: "east", point: try ConcernCity.point(3600, 1600)))
        let hotspots = try ConcernAnalysis.hotspots(districts: ConcernCity.districts(), entities: ConcernCity.entities(),
                                                    concerns: concerns, theme: "lighting", radius: 500)
        #expect(hotspots.map(\.districtID) == ["east"] && hotspots.map(\.concerns) == [5])
        // Without the fifth: 4 is not a hotspot.
        let none = try ConcernAnalysis.hotspots(districts: ConcernCity.districts(), entities: ConcernCity.entities(),
                                                concerns: ConcernCity.concerns(), theme: "lighting", radius: 500)
        #expect(none.isEmpty)
        // With a radius that reaches nothing, the west cell (5 concerns) is one too.
        let far = try ConcernAnalysis.hotspots(districts: ConcernCity.districts(), entities: ConcernCity.entities(),
                                               concerns: ConcernCity.concerns(), theme: "lighting", radius: 10)
        #expect(far.map(\.districtID) == ["west"])
    }

    @Test func medianOfWholeDays() {
        #expect(ConcernAnalysis.median([]) == nil)
        #expect(ConcernAnalysis.median([7]) == 7 && ConcernAnalysis.median([10, 4]) == 7 && ConcernAnalysis.median([5, 1, 3]) == 3)
    }
}
