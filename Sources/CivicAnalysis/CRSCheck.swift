import CivicCore
import GeoEngine
import GeoValues

/// The checks a forced CRS (`--crs EPSG:N`) must pass before it measures anything (DESIGN §5):
/// it measures in metres, and it keeps areas true to within 1 % at the districts.
///
/// `--crs EPSG:3857` (Web Mercator) once measured a city of 891 km² as 2,400 km², and 500
/// "Mercator metres" are 321 m on the ground at 52° N: every figure was wrong without a word.
enum CRSCheck {
    /// The largest areal distortion accepted at the districts: 1 %.
    static let maximumDistortion = 0.01

    /// Refuses a forced CRS that does not measure in metres, or that PROJ's scale factors show to
    /// distort areas by more than 1 % at a district's centre or the corners of its box; nothing
    /// when no CRS is forced.
    static func require(_ request: CoverageRequest) throws {
        guard let code = request.crs else { return }
        let name = "EPSG:\(code)"
        var box: BoundingBox?
        for district in request.districts {
            if let b = district.geometry.boundingBox { box = box.map { $0.union(b) } ?? b }
        }
        let zone = box.map { UTM.epsg(for: $0) } ?? 32644
        let facts = try CRSFacts(name)
        guard facts.measuresInMetres else {
            let what = facts.isProjected ? "its unit is the \(facts.unitName)" : "it is a \(facts.kind.rawValue) CRS in \(facts.unitName)s"
            throw CivicError.refused(reason: "\(name) does not measure in metres (\(what)); coverage needs a projected CRS",
                                     hint: "leave --crs out for the UTM zone of the districts, or name a UTM zone such as EPSG:\(zone)")
        }
        var places: [Position] = []
        for district in request.districts {
            guard let b = district.geometry.boundingBox else { continue }
            places += [b.center, Position(x: b.minX, y: b.minY), Position(x: b.maxX, y: b.minY),
                       Position(x: b.maxX, y: b.maxY), Position(x: b.minX, y: b.maxY)]
        }
        let hint = "leave --crs out to measure each district in the UTM zone of its own centre (here EPSG:\(zone)), "
            + "or name a CRS that keeps areas there, such as EPSG:\(zone)"
        let factors: [ScaleFactors]
        do {
            factors = try facts.scaleFactors(at: places)
        } catch {
            throw CivicError.refused(
                reason: "\(name) cannot measure at the districts: PROJ has no scale factors for it there (\(error.messages.last ?? error.description))",
                hint: hint)
        }
        guard let worst = factors.indices.max(by: { factors[$0].arealDistortion < factors[$1].arealDistortion }),
              factors[worst].arealDistortion > maximumDistortion else { return }
        let at = places[worst]
        let percent = factors[worst].arealDistortion * 100
        throw CivicError.refused(
            reason: "\(name) distorts areas by \(JSONNumber.format(percent >= 10 ? percent.rounded() : (percent * 10).rounded() / 10)) % "
                + "at the districts (areal scale \(JSONNumber.format(factors[worst].areal, decimals: 4)) at lon "
                + "\(JSONNumber.format(at.x, decimals: 4)), lat \(JSONNumber.format(at.y, decimals: 4))); coverage needs areas "
                + "true to within \(JSONNumber.format(maximumDistortion * 100)) %",
            hint: hint)
    }
}
