import CivicCore
import GeoEngine
import GeoValues

/// The rules every new or changed entity must pass, whoever brings it (`add`, `edit`, imports):
/// vocabulary, coordinates, location inside the city, near-duplicates and contact formats.
///
/// Each check throws ``CivicError/refused(reason:hint:)`` with the reason a volunteer can act on.
public struct EntityRules {
    /// How far outside every district a point may lie before it is refused (DESIGN: 1 km).
    public static let outsideToleranceMetres = 1_000.0
    /// Same name within this distance is a likely duplicate.
    public static let duplicateDistanceMetres = 100.0

    public let vocabulary: Vocabulary
    public let language: String
    private let cityFrame: CityFrame?

    /// Rules for a dataset with these districts. The districts are projected once, to the UTM
    /// zone of their centre, so each check is a distance in metres.
    public init(info: DatasetInfo, districts: [District]) throws {
        vocabulary = info.vocabulary
        language = info.language
        cityFrame = try CityFrame(districts: districts)
    }

    // MARK: vocabulary

    /// The kind id for what the user typed: an id, or a label in any language («инициативная группа»).
    public func kind(_ text: String) throws(CivicError) -> String {
        if let id = vocabulary.kindID(for: text) { return id }
        throw CivicError.refused(
            reason: "unknown kind '\(text)'",
            hint: "allowed kinds: " + vocabulary.kinds.map { "\($0.id) (\($0.label(language)))" }.joined(separator: ", "))
    }

    /// Theme ids for what the user typed, without repeats, in the order given.
    public func themes(_ texts: [String]) throws(CivicError) -> [String] {
        var ids: [String] = []
        for text in texts {
            guard let id = vocabulary.themeID(for: text) else {
                throw CivicError.refused(
                    reason: "unknown theme '\(text)'",
                    hint: "allowed themes: " + vocabulary.themes.map(\.id).joined(separator: ", "))
            }
            if !ids.contains(id) { ids.append(id) }
        }
        if ids.isEmpty {
            throw CivicError.refused(reason: "an entity needs at least one theme",
                                     hint: "add --theme, one of: " + vocabulary.themes.map(\.id).joined(separator: ", "))
        }
        return ids
    }

    // MARK: coordinates and location

    /// Latitude and longitude inside their ranges, and finite.
    public static func checkRange(lat: Double, lon: Double) throws(CivicError) {
        guard lat.isFinite, lon.isFinite else {
            throw CivicError.refused(reason: "coordinates must be finite numbers")
        }
        guard (-90...90).contains(lat) else {
            throw CivicError.refused(reason: "latitude \(JSONNumber.format(lat)) is outside -90…90")
        }
        guard (-180...180).contains(lon) else {
            throw CivicError.refused(reason: "longitude \(JSONNumber.format(lon)) is outside -180…180")
        }
    }

    /// The range check, saying when the two look swapped: swapping them puts the point in the city.
    public func checkCoordinates(lat: Double, lon: Double) throws {
        do {
            try Self.checkRange(lat: lat, lon: lon)
        } catch {
            let swapped = Position(x: lat, y: lon)
            if (-180...180).contains(swapped.x), (-90...90).contains(swapped.y), let frame = cityFrame,
               try frame.distanceToCity(swapped) == 0 {
                throw CivicError.refused(reason: error.description + "; latitude and longitude look swapped",
                                         hint: "try --lat \(JSONNumber.format(lon)) --lon \(JSONNumber.format(lat))")
            }
            throw error
        }
    }

    /// Where a point lies against the city: its distance to the nearest district, and whether its
    /// latitude and longitude look swapped. nil when the dataset has no districts.
    public struct Placement: Hashable, Sendable {
        /// Metres to the nearest district; 0 inside one.
        public var distance: Double
        /// The point as given is far from every district (``swapDistanceMetres``) and, with latitude and
        /// longitude exchanged, lies inside one. A real swap moves a point by hundreds or thousands of
        /// km; a village a few km over the border whose swapped point happens to land in a district
        /// (where |lat| ≈ |lon|) is just outside.
        public var looksSwapped: Bool
    }

    /// Farther than this from every district, a point whose swap lands in the city (within ``outsideToleranceMetres``) is taken for swapped.
    public static let swapDistanceMetres = 50_000.0

    /// The ``Placement`` of `p` (WGS84), or nil without districts.
    public func placement(of p: Position) throws -> Placement? {
        guard let frame = cityFrame else { return nil }
        let distance = try frame.distanceToCity(p)
        var swapped = false
        if distance > Self.swapDistanceMetres, (-90...90).contains(p.x) {
            // Swapped back, the point may land in a river or a park between districts: within the
            // tolerance that admits a point near the city, it is the city.
            swapped = try frame.distanceToCity(Position(x: p.y, y: p.x)) <= Self.outsideToleranceMetres
        }
        return Placement(distance: distance, looksSwapped: swapped)
    }

    /// The message for a point outside every district: how far, and when its coordinates look
    /// swapped, that too, with the swapped form to try in `hint`.
    public static func outsideMessage(_ p: Position, _ placement: Placement, swapHint: String) -> CivicError {
        let place = "lat \(JSONNumber.format(p.y)), lon \(JSONNumber.format(p.x))"
        let distance = "\(place) is \(formatDistance(placement.distance)) outside every district"
        if placement.looksSwapped {
            return CivicError.refused(reason: distance + ", and latitude and longitude look swapped", hint: swapHint)
        }
        return CivicError.refused(reason: distance, hint: "check the coordinates, or pass --allow-outside to keep it anyway")
    }

    /// Refuses a geometry whose anchor lies more than 1 km outside every district, saying when
    /// its latitude and longitude look swapped (``Placement``). `allowOutside` admits it anyway.
    public func checkLocation(_ geometry: Geometry, allowOutside: Bool) throws {
        guard !allowOutside, let problem = try outsideProblem(geometry) else { return }
        throw problem
    }

    /// What ``checkLocation(_:allowOutside:)`` would refuse, without refusing it: nil for a geometry
    /// whose anchor lies within 1 km of a district (or a dataset without districts). `swapHint`
    /// words the hint for a point that looks swapped, from the position as given.
    public func outsideProblem(
        _ geometry: Geometry,
        swapHint: (Position) -> String = { "try --lat \(JSONNumber.format($0.x)) --lon \(JSONNumber.format($0.y))" }
    ) throws -> CivicError? {
        guard let anchor = geometry.anchor, let placement = try placement(of: anchor),
              placement.distance > Self.outsideToleranceMetres else { return nil }
        return Self.outsideMessage(anchor, placement, swapHint: swapHint(anchor))
    }

    /// Metres from the point to the nearest district (0 inside).
    public func distanceToCity(_ p: Position) throws -> Double? {
        try cityFrame?.distanceToCity(p)
    }

    // MARK: duplicates

    /// What the near-duplicate rule looks at in an entity, or in a draft that is not one yet.
    public struct DuplicateProbe: Sendable {
        /// The name as ``EntityRules/comparableName(_:)`` gives it; never empty.
        public let comparableName: String
        public let anchor: Position
        /// Where it came from (`osm:node/9001`, `csv:volunteers.csv#12`), when known.
        public let source: String?
        /// Whether `source` names an OpenStreetMap object; decided once, asked for every pair.
        let fromOSM: Bool

        /// nil when the name has no letters or digits, or the geometry no anchor: such an entity
        /// is nobody's duplicate.
        public init?(name: String, geometry: Geometry, source: String?) {
            let key = EntityRules.comparableName(name)
            guard !key.isEmpty, let anchor = geometry.anchor else { return nil }
            comparableName = key
            self.anchor = anchor
            self.source = source
            fromOSM = source.map(EntityRules.isOSMSource) ?? false
        }

        /// The probe of an existing entity.
        public init?(_ entity: Entity) {
            self.init(name: entity.name, geometry: entity.geometry, source: entity.source)
        }
    }

    /// The near-duplicate rule, the one place it is decided (`add`, `edit`, imports and `validate`
    /// all ask here): the same comparable name, anchors within 100 m (``shareNameNearby(_:_:)``) —
    /// except two distinct OpenStreetMap objects (``areDistinctOSMObjects(_:_:)``). OSM maps them as
    /// two places, and an import keeps them two entities: the two unnamed playgrounds of one block
    /// both get the generic name «Детская площадка», and a clean import must leave a dataset
    /// `validate` passes (it notes them). One OSM object imported twice (the same source) is still
    /// a duplicate.
    public static func areLikelyDuplicates(_ a: DuplicateProbe, _ b: DuplicateProbe) -> Bool {
        // Cheapest first: validate asks this for every pair of one name in a 100 m latitude band.
        if areDistinctOSMObjects(a, b) { return false }
        return shareNameNearby(a, b)
    }

    /// The same comparable name, anchors within 100 m: what makes two entities look like one place,
    /// before the exception for OpenStreetMap objects.
    public static func shareNameNearby(_ a: DuplicateProbe, _ b: DuplicateProbe) -> Bool {
        Geodesy.distanceMetres(a.anchor, b.anchor) <= duplicateDistanceMetres && a.comparableName == b.comparableName
    }

    /// Two different OpenStreetMap objects (`osm:way/1`, `osm:node/2`): OSM has mapped two places.
    public static func areDistinctOSMObjects(_ a: DuplicateProbe, _ b: DuplicateProbe) -> Bool {
        a.fromOSM && b.fromOSM && a.source != b.source
    }

    /// ``areLikelyDuplicates(_:_:)`` for two entities.
    public static func areLikelyDuplicates(_ a: Entity, _ b: Entity) -> Bool {
        guard let pa = DuplicateProbe(a), let pb = DuplicateProbe(b) else { return false }
        return areLikelyDuplicates(pa, pb)
    }

    /// Whether a source names an OpenStreetMap object (`osm:node/…`, `osm:way/…`, `osm:relation/…`).
    public static func isOSMSource(_ source: String) -> Bool { source.hasPrefix("osm:") }

    /// The first existing entity that ``areLikelyDuplicates(_:_:)`` calls a duplicate of this
    /// name, geometry and source.
    public static func likelyDuplicate(of name: String, at geometry: Geometry, source: String? = nil,
                                       among entities: [Entity], excluding id: Int? = nil) -> Entity? {
        guard let probe = DuplicateProbe(name: name, geometry: geometry, source: source) else { return nil }
        return entities.first { other in
            other.id != id && DuplicateProbe(other).map { areLikelyDuplicates(probe, $0) } == true
        }
    }

    /// Every existing entity that ``areLikelyDuplicates(_:_:)`` calls a duplicate of this name,
    /// geometry and source, in the order of `entities`.
    public static func likelyDuplicates(of name: String, at geometry: Geometry, source: String? = nil,
                                        among entities: [Entity], excluding id: Int? = nil) -> [Entity] {
        guard let probe = DuplicateProbe(name: name, geometry: geometry, source: source) else { return [] }
        return entities.filter { other in
            other.id != id && DuplicateProbe(other).map { areLikelyDuplicates(probe, $0) } == true
        }
    }

    /// Lower case, letters and digits only: «Совет дома, ул. Бажова 5» and «совет дома ул бажова 5» match.
    public static func comparableName(_ name: String) -> String {
        String(name.lowercased().map { $0 == "ё" ? "е" : $0 }.filter { $0.isLetter || $0.isNumber })
    }

    // MARK: contacts

    /// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
    public static func checkEmail(_ email: String) throws(CivicError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !parts[1].contains("..")
            && !email.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" })
        if !valid {
            throw CivicError.refused(reason: "'\(email)' is not an e-mail address", hint: "expected name@example.kz")
        }
    }

    /// A phone number: digits with optional `+`, spaces, dashes, dots and parentheses; 5 to 15 digits.
    public static func checkPhone(_ phone: String) throws(CivicError) {
        let allowed = Set("0123456789+-() .")
        let digits = phone.filter(\.isASCII).filter(\.isNumber).count
        let plusOK = !phone.dropFirst().contains("+")
        if !(phone.allSatisfy { allowed.contains($0) } && plusOK && (5...15).contains(digits)) {
            throw CivicError.refused(reason: "'\(phone)' is not a phone number",
                                     hint: "expected digits, e.g. +7 723 222 33 44")
        }
    }

    /// `850 m`, `3.2 km`, `3650 km`.
    public static func formatDistance(_ metres: Double) -> String {
        metres >= 10_000 ? "\(Int((metres / 1000).rounded())) km"
            : metres >= 1_000 ? "\(Double(Int(metres / 100)) / 10) km" : "\(Int(metres.rounded())) m"
    }
}

/// The districts projected to metres and prepared in GEOS once per rules object, so that checking
/// thousands of entities (`civic validate`, imports) costs a point-in-polygon test each.
///
/// Holds GEOS and PROJ handles: not thread-safe.
final class CityFrame {
    private let context: GeometryContext
    private let transform: CoordinateTransform
    private let districts: [(box: BoundingBox, handle: GeometryHandle, prepared: PreparedGeometry)]

    init?(districts: [District]) throws {
        let boxes = districts.compactMap(\.geometry.boundingBox)
        guard let first = boxes.first else { return nil }
        let box = boxes.dropFirst().reduce(first) { $0.union($1) }
        context = try GeometryContext()
        transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(UTM.epsg(for: box))")
        let projected = try transform.forward(districts.map(\.geometry))
        var built: [(BoundingBox, GeometryHandle, PreparedGeometry)] = []
        for geometry in projected {
            guard let box = geometry.boundingBox else { continue }
            let handle = try context.make(geometry)
            built.append((box, handle, try handle.prepared()))
        }
        self.districts = built
    }

    /// Metres from the point to the nearest district; 0 inside one (boundary included).
    ///
    /// Districts whose box lies farther than the 1 km tolerance are measured only when no nearer
    /// one is within it: a point in a river between two districts costs two distances, not 300.
    func distanceToCity(_ p: Position) throws -> Double {
        let projected = try transform.forward([p])[0]
        if try districts.contains(where: { try $0.box.contains(projected) && $0.prepared.covers(projected) }) { return 0 }
        let point = try context.point(projected)
        let reach = EntityRules.outsideToleranceMetres
        var nearest = Double.infinity
        for district in districts where district.box.expanded(by: reach).contains(projected) {
            nearest = min(nearest, try district.handle.distance(to: point))
        }
        if nearest <= reach { return nearest }
        for district in districts { nearest = min(nearest, try district.handle.distance(to: point)) }
        return nearest
    }
}
