import CivicCore
import GeoEngine
import GeoValues

/// Two districts that cover the same ground: counted twice in a city's total unless reported.
public struct DistrictOverlap: Hashable, Sendable {
    /// The ids of the two districts, in file order.
    public var first: String
    public var second: String
    /// The shared area in m², measured in the UTM zone of the overlap.
    public var areaM2: Double
    /// A point inside the overlap (WGS84), to find it on a map.
    public var at: Position
}

/// Ground that districts enclose but none of them holds: a gap in the city's coverage of districts.
public struct DistrictHole: Hashable, Sendable {
    /// The area in m², measured in the UTM zone of the hole.
    public var areaM2: Double
    /// A point inside the hole (WGS84).
    public var at: Position
}

/// How districts fit together: overlaps (an error of the boundaries) and holes between them (often
/// real — a lake, an enclave — so information, not an error).
///
/// Boundaries from different sources never meet exactly: two neighbours digitised separately share
/// slivers of a few square metres along their border. An overlap counts when it exceeds 0.1 % of
/// the smaller district, or one hectare; smaller ones are noise.
public enum DistrictTopology {
    /// The share of the smaller district above which an overlap is reported.
    public static let overlapShare = 0.001
    /// The area above which an overlap is reported whatever the districts' size, in m².
    public static let overlapArea = 10_000.0
    /// Holes smaller than this (m²) are slivers between neighbours and are not reported.
    public static let holeArea = 10_000.0

    /// The overlaps between districts, largest first.
    public static func overlaps(_ districts: [District]) throws -> [DistrictOverlap] {
        let context = try GeometryContext()
        var meter = try AreaMeter()
        let boxes = districts.map(\.geometry.boundingBox)
        var handles: [GeometryHandle?] = Array(repeating: nil, count: districts.count)
        func handle(_ i: Int) throws -> GeometryHandle {
            if let h = handles[i] { return h }
            let h = try context.make(districts[i].geometry)
            handles[i] = h
            return h
        }
        // Sweep by west edge: only boxes that overlap east–west are compared.
        let order = districts.indices.filter { boxes[$0] != nil }.sorted { boxes[$0]!.minX < boxes[$1]!.minX }
        var areas: [Double?] = Array(repeating: nil, count: districts.count)
        var found: [DistrictOverlap] = []
        for (n, i) in order.enumerated() {
            let a = boxes[i]!
            for j in order[(n + 1)...] {
                let b = boxes[j]!
                if b.minX > a.maxX { break }
                guard a.intersects(b) else { continue }
                let shared = try handle(i).intersection(try handle(j))
                guard try !shared.isEmpty else { continue }
                let polygons = try shared.geometry().polygonalParts
                guard !polygons.isEmpty else { continue }
                let area = try meter.area(of: .multiPolygon(polygons))
                guard area > 0 else { continue }
                if areas[i] == nil { areas[i] = try meter.area(of: districts[i].geometry) }
                if areas[j] == nil { areas[j] = try meter.area(of: districts[j].geometry) }
                let smaller = min(areas[i] ?? 0, areas[j] ?? 0)
                guard area > overlapArea || area > overlapShare * smaller else { continue }
                let (first, second) = i < j ? (i, j) : (j, i)
                found.append(DistrictOverlap(first: districts[first].id, second: districts[second].id, areaM2: area,
                                             at: try shared.pointOnSurface() ?? polygons[0].outerRing[0]))
            }
        }
        return found.sorted { $0.areaM2 != $1.areaM2 ? $0.areaM2 > $1.areaM2 : ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// The holes the districts enclose together (rings inside their union), largest first.
    public static func holes(_ districts: [District]) throws -> [DistrictHole] {
        guard !districts.isEmpty else { return [] }
        let context = try GeometryContext()
        var meter = try AreaMeter()
        let union = try context.union(districts.map { try context.make($0.geometry) })
        var found: [DistrictHole] = []
        for polygon in try union.geometry().polygonalParts {
            for ring in polygon.innerRings {
                let hole = Polygon(outerRing: ring)
                let area = try meter.area(of: .polygon(hole))
                guard area > holeArea else { continue }
                let at = try context.make(.polygon(hole)).pointOnSurface() ?? ring[0]
                found.append(DistrictHole(areaM2: area, at: at))
            }
        }
        return found.sorted { $0.areaM2 > $1.areaM2 }
    }

    /// A problem line for an overlap: `districts ulba and zashchita overlap by 9.1 km² around lon …, lat …`.
    public static func describe(_ overlap: DistrictOverlap, names: [String: String] = [:]) -> String {
        func label(_ id: String) -> String { names[id].map { "\(id) (\($0))" } ?? id }
        return "districts \(label(overlap.first)) and \(label(overlap.second)) overlap by \(formatArea(overlap.areaM2)) "
            + "around lon \(JSONNumber.format(overlap.at.x, decimals: 5)), lat \(JSONNumber.format(overlap.at.y, decimals: 5))"
    }

    /// An overlap as a problem of the districts file, named at the feature of the later district
    /// (`districts.geojson:3: features[1] (id r2): geometry: districts r1 (Улан) and r2 (Алтай)
    /// overlap by 9.05 km² around lon …, lat …`). `lines` are the features' lines, by district.
    public static func problem(_ overlap: DistrictOverlap, districts: [District], lines: [Int?], file: String,
                               hint: String? = nil) -> CivicError {
        let names = Dictionary(districts.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let index = districts.firstIndex { $0.id == overlap.second }
        return .invalid(file: file, line: index.flatMap { $0 < lines.count ? lines[$0] : nil },
                        place: Feature.place(index: index, id: .string(overlap.second)), field: "geometry",
                        reason: describe(overlap, names: names), hint: hint)
    }

    /// A note for a hole: `a hole of 2.3 km² between districts around lon …, lat …`.
    public static func describe(_ hole: DistrictHole) -> String {
        "a hole of \(formatArea(hole.areaM2)) that no district holds, around lon \(JSONNumber.format(hole.at.x, decimals: 5)), "
            + "lat \(JSONNumber.format(hole.at.y, decimals: 5))"
    }

    static func formatArea(_ m2: Double) -> String {
        m2 >= 100_000 ? "\(JSONNumber.format((m2 / 1_000_000 * 100).rounded() / 100)) km²"
            : "\(JSONNumber.format(m2.rounded())) m²"
    }
}

/// Areas in m², each geometry measured in the UTM zone of its own centre (DESIGN §5), with one
/// transformer per zone.
struct AreaMeter {
    private var transforms: [Int: CoordinateTransform] = [:]
    private let context: GeometryContext

    init() throws {
        context = try GeometryContext()
    }

    mutating func area(of geometry: Geometry) throws -> Double {
        guard let box = geometry.boundingBox else { return 0 }
        let epsg = UTM.epsg(for: box)
        let transform: CoordinateTransform
        if let known = transforms[epsg] {
            transform = known
        } else {
            transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(epsg)")
            transforms[epsg] = transform
        }
        return try context.make(transform.forward(geometry)).area
    }
}

extension Geometry {
    /// The polygons of a polygonal geometry or of a collection (an intersection of two districts
    /// is a collection of polygons, lines and points where they only touch).
    public var polygonalParts: [Polygon] {
        switch self {
        case .polygon(let p): [p]
        case .multiPolygon(let ps): ps
        case .geometryCollection(let parts): parts.flatMap(\.polygonalParts)
        default: []
        }
    }
}
