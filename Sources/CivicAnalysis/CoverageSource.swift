import CivicCore
import CivicRules
import CivicStore
import Foundation
import GeoEngine
import GeoValues

/// Where the districts and entities of a coverage question come from (DESIGN §5).
public enum CoverageSource: Hashable, Sendable {
    /// A dataset folder (DESIGN §3), read by CivicStore's one reader: its districts and entities,
    /// and its vocabulary and default radius.
    case dataset(path: String)
    /// Loose GeoJSON files (`--districts FILE --entities FILE`), `-` for stdin; the standard
    /// vocabulary, and kinds and themes the entities use outside it.
    case files(districts: String, entities: String)
}

/// What the user asks on top of the inputs, as `coverage`, `gaps` and `map` take it: values as
/// typed, resolved and checked by ``PreparedRequest/init(reading:options:warn:)``.
public struct CoverageOptions: Hashable, Sendable {
    /// A `--population` file (DESIGN §5), `-` for stdin; nil to use the districts' own `population`.
    public var population: String?
    /// Metres; nil for the dataset's radius, else ``DatasetInfo/defaultRadius``.
    public var radius: Double?
    /// `--kind` values as typed: ids or labels in any language (`venue`, «площадка»).
    public var kinds: [String]
    /// `--theme` values as typed.
    public var themes: [String]
    /// An EPSG code forced with `--crs`; nil for the UTM zone of the districts.
    public var crs: Int?
    /// Leave out entities with an unusable geometry, with a warning each, instead of failing.
    public var skipInvalid: Bool

    /// Options as given; every one may be left out.
    public init(population: String? = nil, radius: Double? = nil, kinds: [String] = [], themes: [String] = [],
                crs: Int? = nil, skipInvalid: Bool = false) {
        self.population = population
        self.radius = radius
        self.kinds = kinds
        self.themes = themes
        self.crs = crs
        self.skipInvalid = skipInvalid
    }
}

/// A coverage request read from a dataset or loose files and checked, with what the reading
/// found: the one place that turns `coverage`, `gaps` and `map`'s inputs into a ``CoverageRequest``.
///
/// ```swift
/// let prepared = try PreparedRequest(reading: .dataset(path: "geodata/oskemen"),
///                                    options: CoverageOptions(themes: ["молодёжь"])) { print("warning: \($0)") }
/// let report = try await prepared.request.coverage()   // radius: the dataset's, theme: youth
/// ```
public struct PreparedRequest: Sendable {
    /// The question, ready to measure.
    public var request: CoverageRequest
    /// Entities left out because their geometry was unusable (only with ``CoverageOptions/skipInvalid``).
    public var skipped: Int
    /// The dataset's `dataset.json` (name, language, vocabulary); nil for loose files.
    public var info: DatasetInfo?

    /// The vocabulary the selection was resolved with: the dataset's, or the standard one.
    public var vocabulary: Vocabulary { info?.vocabulary ?? .standard }

    /// Reads `source` and the options' files, checks every geometry (GEOS validity, as a dataset's
    /// reader must since parsing checks structure only), resolves `--kind` and `--theme` against
    /// the vocabulary, and refuses a forced CRS that does not measure in metres.
    ///
    /// Throws ``CivicError`` for a file that does not read or holds bad data (naming the file and
    /// the feature), ``UnknownTermError`` for a kind or theme no term has. With
    /// ``CoverageOptions/skipInvalid``, an entity whose geometry is unusable is left out and `warn`
    /// hears about it; districts and residents are never skipped.
    public init(reading source: CoverageSource, options: CoverageOptions,
                warn: (CivicError) -> Void) throws {
        var districts: [District]
        var entities: [Entity]
        switch source {
        case let .files(districtsFile, entitiesFile):
            districts = try CoverageInputs.districts(in: InputFile.bytes(atPath: districtsFile), file: districtsFile)
            (entities, skipped) = try CoverageInputs.entities(in: InputFile.bytes(atPath: entitiesFile), file: entitiesFile,
                                                              skipInvalid: options.skipInvalid, warn: warn)
            info = nil
        case let .dataset(path):
            // The store's one reader checks every geometry (an invalid district is an error) and lists
            // the entities whose geometry is invalid instead of stopping at the first.
            let reading = try Dataset(path: path).read(invalidEntities: .report)
            for problem in reading.invalidEntities {
                guard options.skipInvalid else {
                    guard case let .invalid(file, line, place, field, reason, _) = problem.error else { throw problem.error }
                    throw CivicError.invalid(file: file, line: line, place: place, field: field, reason: reason,
                                             hint: "fix it, or pass --skip-invalid to leave such entities out")
                }
                warn(problem.error)
            }
            districts = reading.state.districts
            entities = reading.validState.entities
            skipped = reading.invalidEntities.count
            info = reading.state.info
        }
        let vocabulary = info?.vocabulary ?? .standard
        let selection = EntitySelection(
            kinds: try vocabulary.kindIDs(options.kinds, alsoUsed: { entities.map(\.kind) }),
            themes: try vocabulary.themeIDs(options.themes, alsoUsed: { entities.flatMap(\.themes) }))
        var residents: [Residents]?
        if let population = options.population {
            residents = try CoverageInputs.residents(in: InputFile.bytes(atPath: population), file: population)
        }
        request = CoverageRequest(districts: districts, entities: entities, residents: residents,
                                  radius: options.radius ?? info?.radius ?? DatasetInfo.defaultRadius,
                                  crs: options.crs, selection: selection)
        try Self.checkMetres(request)
    }

    /// `--crs EPSG:4326` would measure in square degrees and a CRS in feet in square feet: refuse
    /// any CRS that PROJ does not describe as projected in metres.
    static func checkMetres(_ request: CoverageRequest) throws {
        guard request.crs != nil else { return }
        let facts = try CRSFacts("EPSG:\(request.epsg)")
        guard !facts.measuresInMetres else { return }
        let what = facts.isProjected ? "its unit is the \(facts.unitName)" : "it is a \(facts.kind.rawValue) CRS in \(facts.unitName)s"
        throw CivicError.refused(reason: "EPSG:\(request.epsg) does not measure in metres (\(what)); coverage needs a projected CRS",
                                 hint: "leave --crs out for the UTM zone of the districts, or name a UTM zone such as EPSG:32644")
    }
}
