import CivicAnalysis
import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicRender

/// A synthetic city drawn in metres in UTM zone 44N and handed to civic in WGS84: a grid of square
/// districts and entities at seeded random places.
struct SyntheticCity {
    static let epsg = 32644
    /// On the zone's central meridian (81° E), where grid north is true north.
    static let centralMeridian = Position(x: 500_000, y: 5_530_000)
    /// Oskemen's easting, about 1.6° east of the central meridian.
    static let oskemen = Position(x: 616_000, y: 5_535_000)

    var districts: [District] = []
    var entities: [Entity] = []

    /// `columns` × `rows` districts of `cell` metres, ids `d<col>-<row>`, names in Cyrillic; `entities`
    /// points spread at random (seeded), kinds and themes in turn, every tenth inactive.
    init(columns: Int, rows: Int, cell: Double = 1000, origin: Position = SyntheticCity.centralMeridian,
         entities count: Int, seed: UInt64 = 1) throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(Self.epsg)")
        for c in 0..<columns {
            for r in 0..<rows {
                let x0 = origin.x + Double(c) * cell, y0 = origin.y + Double(r) * cell
                let ring = [Position(x: x0, y: y0), Position(x: x0 + cell, y: y0), Position(x: x0 + cell, y: y0 + cell),
                            Position(x: x0, y: y0 + cell), Position(x: x0, y: y0)]
                let wgs = try transform.inverse(ring)
                districts.append(District(id: "d\(c)-\(r)", name: "Район \(c)-\(r)",
                                          names: ["kk": "\(c)-\(r) аудан"], population: 1000 + 37 * (c + r),
                                          geometry: .polygon(Polygon(outerRing: wgs))))
            }
        }
        var random = SeededRandom(seed: seed)
        var points: [Position] = []
        for _ in 0..<count {
            // Crowded in the south-west, so that the north-east has gaps.
            let u = Double.random(in: 0..<1, using: &random), v = Double.random(in: 0..<1, using: &random)
            points.append(Position(x: origin.x + u * u * Double(columns) * cell, y: origin.y + v * v * Double(rows) * cell))
        }
        let wgs = try transform.inverse(points)
        let kinds = ["community", "initiative_group", "venue"]
        let themes = Vocabulary.standard.themes.map(\.id)
        for (i, p) in wgs.enumerated() {
            entities.append(Entity(id: i + 1, kind: kinds[i % 3], name: "Объект № \(i + 1)",
                                   themes: [themes[i % themes.count], themes[(i * 7 + 3) % themes.count]],
                                   status: i % 10 == 9 ? .inactive : .active, geometry: .point(p)))
        }
    }

    /// The map spec after measuring coverage and gaps, as `civic map` does.
    func spec(radius: Double = 500, selection: EntitySelection = EntitySelection(), language: String = "ru",
              title: String? = nil, datasetName: String? = "Тестовый город", minGapArea: Double = 10_000,
              page: PageSize = .a4) async throws -> MapSpec {
        let request = CoverageRequest(districts: districts, entities: entities, radius: radius, selection: selection)
        let measured = try await request.projectedCoverage(minGapArea: minGapArea)
        return MapSpec(measured, language: language, page: page, title: title, date: "2026-11-25",
                       datasetName: datasetName)
    }

    /// A square polygon entity of `side` metres at `centre` (metres).
    static func square(_ id: Int, centre: Position, side: Double, kind: String = "venue") throws -> Entity {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(epsg)")
        let h = side / 2
        let ring = [Position(x: centre.x - h, y: centre.y - h), Position(x: centre.x + h, y: centre.y - h),
                    Position(x: centre.x + h, y: centre.y + h), Position(x: centre.x - h, y: centre.y + h),
                    Position(x: centre.x - h, y: centre.y - h)]
        return Entity(id: id, kind: kind, name: "Парк \(id)", themes: ["culture"],
                      geometry: .polygon(Polygon(outerRing: try transform.inverse(ring))))
    }
}

/// The positions of SVG path data as written by civic (`M x,y x,y … Z`).
func pathPositions(_ d: String) -> [[Position]] {
    var rings: [[Position]] = []
    for part in d.split(separator: "M") {
        let body = part.replacingOccurrences(of: "Z", with: "")
        rings.append(body.split(separator: " ").compactMap { pair in
            let xy = pair.split(separator: ",").compactMap { Double($0) }
            return xy.count == 2 ? Position(x: xy[0], y: xy[1]) : nil
        })
    }
    return rings
}
