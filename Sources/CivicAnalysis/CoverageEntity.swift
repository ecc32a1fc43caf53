import CivicCore
import GeoValues

/// An entity as coverage counts it: what selects it (status, kind, themes), what names and draws
/// it, and where it is.
///
/// A dataset's entities (``CivicCore/Entity``) always have a numeric id assigned by civic and a
/// kind from the vocabulary. A loose `--entities` file is someone else's data — a transit
/// operator's stations with ids such as `"de:11000:900002201"` and no kind at all — so this type
/// keeps the id exactly as the file gave it (or none) and allows an entity without a kind
/// (unclassified: selected unless `--kind` narrows the selection). The dataset model stays as it is.
///
/// ```swift
/// let fromDataset = CoverageEntity(state.entities[0])            // id .number("1"), kind "venue"
/// let station = CoverageEntity(id: .string("de:11000:900002201"), name: "S Hauptbahnhof",
///                              geometry: .point(Position(lon: 13.369, lat: 52.525)))
/// ```
public struct CoverageEntity: Hashable, Sendable {
    /// The id as given: a dataset entity's number, a loose feature's string or number; nil when the
    /// feature has none.
    public var id: FeatureID?
    /// A kind id (`venue`, or a loose file's own kind); nil for an unclassified entity.
    public var kind: String?
    /// The name as written; nil when a loose feature has none.
    public var name: String?
    /// Names by language code (`ru`, `kk`, `en`).
    public var names: [String: String]
    /// Theme ids; may be empty for a loose file.
    public var themes: [String]
    /// Only active entities count (a missing status is active).
    public var status: EntityStatus
    /// Where it came from, such as `osm:node/9001`, when known.
    public var source: String?
    /// A Point, Polygon or MultiPolygon in WGS84.
    public var geometry: Geometry

    /// An entity for coverage from its parts; every part but the geometry may be left out.
    public init(id: FeatureID? = nil, kind: String? = nil, name: String? = nil, names: [String: String] = [:],
                themes: [String] = [], status: EntityStatus = .active, source: String? = nil, geometry: Geometry) {
        self.id = id
        self.kind = kind
        self.name = name
        self.names = names
        self.themes = themes
        self.status = status
        self.source = source
        self.geometry = geometry
    }

    /// A dataset's entity as coverage counts it: its number id, kind, names, themes, status, source
    /// and geometry.
    public init(_ entity: Entity) {
        self.init(id: .number(entity.id), kind: entity.kind, name: entity.name, names: entity.names,
                  themes: entity.themes, status: entity.status, source: entity.source, geometry: entity.geometry)
    }

    /// How messages name it: `id 17 («Клуб»)`, `«S Hauptbahnhof»`, or `an entity without id or name`.
    public var label: String {
        let quoted = name.map { "«" + CivicError.excerpt($0) + "»" }
        switch (id, quoted) {
        case let (id?, quoted?): return "id \(CivicError.excerpt(id.description)) (\(quoted))"
        case let (id?, nil): return "id \(CivicError.excerpt(id.description))"
        case let (nil, quoted?): return quoted
        case (nil, nil): return "an entity without id or name"
        }
    }
}
