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
    /// The properties of a loose districts file that hold names, ids and populations
    /// (`--name-field`, `--id-field`, `--population-field`); found on their own when nil.
    public var districtFields: DistrictFields
    /// The property of the `--population` file that holds each feature's residents
    /// (`--residents-field`); nil for `population` in any case.
    public var residentsField: String?
    /// Walking coverage (`--walk`, DESIGN §5b) instead of straight lines.
    public var walk: Bool = false
    /// `--off-street`: the off-street allowance in metres; nil for 100 m, or the radius when it is less.
    public var offStreet: Double?
    /// `--network`: the streets as GeoJSON LineStrings or an OSM file (XML, Overpass JSON, PBF);
    /// nil for the dataset's own network.
    public var network: String?

    /// Options as given; every one may be left out.
    public init(population: String? = nil, radius: Double? = nil, kinds: [String] = [], themes: [String] = [],
                crs: Int? = nil, skipInvalid: Bool = false, districtFields: DistrictFields = DistrictFields(),
                residentsField: String? = nil) {
        self.population = population
        self.radius = radius
        self.kinds = kinds
        self.themes = themes
        self.crs = crs
        self.skipInvalid = skipInvalid
        self.districtFields = districtFields
        self.residentsField = residentsField
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
    /// The files the districts, entities and residents were read from, for messages.
    public var districtsFile: String
    public var entitiesFile: String
    public var populationFile: String?
    /// The file the street network was read from, for walking coverage.
    public var networkFile: String?

    /// The vocabulary the selection was resolved with: the dataset's, or the standard one.
    public var vocabulary: Vocabulary { info?.vocabulary ?? .standard }

    /// Reads `source` and the options' files, checks every geometry (GEOS validity, as a dataset's
    /// reader must since parsing checks structure only), resolves `--kind` and `--theme` against
    /// the vocabulary, and refuses a forced CRS that does not measure in metres or distorts areas
    /// at the districts by more than 1 %.
    ///
    /// Throws ``CivicError`` for a file that does not read or holds bad data (naming the file and
    /// the feature), ``InputProblems`` when a loose file has several problems (all of them),
    /// ``UnknownTermError`` for a kind or theme no term has. With ``CoverageOptions/skipInvalid``,
    /// an entity whose geometry is unusable is left out and `warn` hears about it; districts and
    /// residents are never skipped, but residents without a number (null) are, with one warning.
    /// `progress`, for a dataset, is told how far the reading of its large files has come.
    public init(reading source: CoverageSource, options: CoverageOptions,
                progress: ReadingProgressHandler? = nil, warn: (CivicError) -> Void) throws {
        var districts: [District]
        var entities: [CoverageEntity]
        var datasetNetwork: [StreetWay]?
        // The files besides the districts are read at once, each on its own thread (``Started``);
        // their results, errors and warnings are then taken in the order the serial reading had, so
        // that the first error reported and the warnings' order are what they always were.
        let population = options.population, residentsField = options.residentsField
        let residentsRead = population.map { path in
            Started(inBackground: path != "-") { () throws -> (residents: [Residents], warnings: [CivicError]) in
                var warnings: [CivicError] = []
                let residents = try CoverageInputs.residents(in: InputFile.bytes(atPath: path), file: path,
                                                             field: residentsField) { warnings.append($0) }
                return (residents, warnings)
            }
        }
        let networkPath = options.walk ? options.network : nil
        let networkRead = networkPath.map { path in
            Started(inBackground: path != "-") { () throws -> (ways: [StreetWay], warnings: [CivicError]) in
                var warnings: [CivicError] = []
                let ways = try NetworkInput.ways(atPath: path) { warnings.append($0) }
                return (ways, warnings)
            }
        }
        // Whatever is thrown below, the background reads are waited for: none outlives the call.
        defer {
            _ = try? residentsRead?.value()
            _ = try? networkRead?.value()
        }
        switch source {
        case let .files(districtsFile, entitiesFile):
            districts = try CoverageInputs.districts(in: InputFile.bytes(atPath: districtsFile), file: districtsFile,
                                                     fields: options.districtFields)
            (entities, skipped) = try CoverageInputs.entities(in: InputFile.bytes(atPath: entitiesFile), file: entitiesFile,
                                                              skipInvalid: options.skipInvalid, warn: warn)
            info = nil
            self.districtsFile = districtsFile
            self.entitiesFile = entitiesFile
        case let .dataset(path):
            // The store's one reader checks every geometry (an invalid district is an error) and lists
            // the entities whose geometry is invalid instead of stopping at the first.
            let dataset = try Dataset(path: path)
            let file = { (name: String) in (dataset.path as NSString).appendingPathComponent(name) }
            let reading = try dataset.read(invalidEntities: .report, network: options.walk && options.network == nil,
                                           progress: progress)
            for problem in reading.invalidEntities {
                guard options.skipInvalid else {
                    guard case let .invalid(file, line, place, field, reason, _) = problem.error else { throw problem.error }
                    throw CivicError.invalid(file: file, line: line, place: place, field: field, reason: reason,
                                             hint: "fix it, or pass --skip-invalid to leave such entities out")
                }
                warn(problem.error)
            }
            datasetNetwork = reading.state.network
            if datasetNetwork != nil { networkFile = file(DatasetLayout.network) }
            districts = reading.state.districts
            entities = reading.validState.entities.map(CoverageEntity.init)
            skipped = reading.invalidEntities.count
            info = reading.state.info
            districtsFile = file(DatasetLayout.districts)
            entitiesFile = file(DatasetLayout.entities)
        }
        let vocabulary = info?.vocabulary ?? .standard
        let selection = EntitySelection(
            kinds: try vocabulary.kindIDs(options.kinds, alsoUsed: { entities.compactMap(\.kind) }),
            themes: try vocabulary.themeIDs(options.themes, alsoUsed: { entities.flatMap(\.themes) }))
        var residents: [Residents]?
        if let residentsRead {
            let read = try residentsRead.value()
            read.warnings.forEach(warn)
            residents = read.residents
        }
        populationFile = options.population
        request = CoverageRequest(districts: districts, coverageEntities: entities, residents: residents,
                                  radius: options.radius ?? info?.radius ?? DatasetInfo.defaultRadius,
                                  crs: options.crs, selection: selection)
        try CRSCheck.require(request)
        if options.walk {
            let ways: [StreetWay]
            if let networkRead, let networkPath {
                let read = try networkRead.value()
                read.warnings.forEach(warn)
                ways = read.ways
                networkFile = networkPath
            } else if let datasetNetwork {
                ways = datasetNetwork
            } else {
                let place: String
                switch source {
                case .files: place = "--districts and --entities"
                case .dataset(let path): place = path
                }
                throw CivicError.refused(
                    reason: "\(place): walking coverage needs a street network, and there is none",
                    hint: "civic import osm FILE.osm (or .osm.pbf) keeps the dataset's streets; or pass --network FILE "
                        + "(GeoJSON LineStrings that meet where they share a vertex)")
            }
            try StreetPlacement(districts: districts).requireStreetsNear(ways, file: networkFile ?? "the network")
            request.walk = WalkSettings(network: ways,
                                        offStreet: options.offStreet ?? min(WalkSettings.defaultOffStreet, request.radius))
        }
    }

    /// A request made in code, with the names of the files it came from for ``warnings(for:)``.
    public init(request: CoverageRequest, info: DatasetInfo? = nil, skipped: Int = 0,
                districtsFile: String = "districts", entitiesFile: String = "entities", populationFile: String? = nil) {
        self.request = request
        self.info = info
        self.skipped = skipped
        self.districtsFile = districtsFile
        self.entitiesFile = entitiesFile
        self.populationFile = populationFile
    }

    /// The warnings `report`'s figures call for, worded for people, each naming its file:
    /// entities and residents outside every district (how many, and the nearest), districts that
    /// overlap (their ground counts once in the city's total), and districts where one point of the
    /// population file holds most residents.
    public func warnings(for report: CoverageReport) -> [CivicError] {
        var lines: [CivicError] = []
        let notices = report.notices
        func place(_ at: Position) -> String {
            "lon \(JSONNumber.format(at.x, decimals: 5)), lat \(JSONNumber.format(at.y, decimals: 5))"
        }
        if report.city.entitiesOutside > 0 {
            var text = "\(Self.count(report.city.entitiesOutside)) of \(Self.count(notices.selectedEntities)) selected entities "
                + "lie outside every district and count in no figure"
            if let nearest = notices.nearestEntityOutside {
                text += "; the nearest, \(nearest.label ?? "one"), is \(Self.distance(nearest.distance)) outside at \(place(nearest.at))"
            }
            lines.append(.refused(reason: "\(entitiesFile): " + text))
        }
        if let populationFile, let outside = report.city.residentsOutside, outside > 0 {
            var text = "\(Self.people(outside)) residents lie outside every district and count in no figure"
            if notices.residentFeaturesOutside > 0 {
                text += " (\(Self.count(notices.residentFeaturesOutside)) feature\(notices.residentFeaturesOutside == 1 ? "" : "s") wholly outside)"
            }
            if let nearest = notices.nearestResidentsOutside {
                text += "; the nearest is \(Self.distance(nearest.distance)) outside at \(place(nearest.at))"
            }
            lines.append(.refused(reason: "\(populationFile): " + text))
        }
        if !notices.overlaps.isEmpty {
            let names = Dictionary(request.districts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            for overlap in notices.overlaps.prefix(3) {
                lines.append(.refused(reason: "\(districtsFile): " + DistrictTopology.describe(overlap, names: names)
                                          + "; the city's total counts that ground once"))
            }
            if notices.overlaps.count > 3 {
                lines.append(.refused(reason: "\(districtsFile): \(notices.overlaps.count - 3) more overlaps between districts; "
                                          + "the city's total counts their ground once",
                                      hint: "civic validate lists them all in a dataset"))
            }
        }
        if let populationFile, !notices.dominantPoints.isEmpty {
            let hint = "give residents as many points (buildings, a grid of cells) or as polygons, "
                + "so that coverage can split them"
            for point in notices.dominantPoints.prefix(3) {
                let share = point.residents / point.districtResidents * 100
                lines.append(.refused(
                    reason: "\(populationFile): one point at \(place(point.at)) holds \(Self.people(point.residents)) of the "
                        + "\(Self.people(point.districtResidents)) residents of district \(point.districtID) (\(point.districtName)), "
                        + "\(JSONNumber.format((share * 10).rounded() / 10)) %: a point is covered or not as a whole, so the "
                        + "district's share of residents covered means little",
                    hint: notices.dominantPoints.count > 3 ? nil : hint))
            }
            if notices.dominantPoints.count > 3 {
                lines.append(.refused(reason: "\(populationFile): in \(notices.dominantPoints.count - 3) more districts one point "
                                          + "holds most residents", hint: hint))
            }
        }
        return lines
    }

    /// `12 345` people, grouped by thousands as the table groups them.
    private static func people(_ value: Double) -> String { TableWords.people(value) }

    private static func count(_ value: Int) -> String {
        TableWords.grouped(String(value), separator: TableWords.tableGroupSeparator)
    }

    /// `0.03 m`, `240 m`, `3.4 km`: a point a few centimetres outside is a boundary drawn a little
    /// differently, not a place far away, and the figure says which.
    private static func distance(_ metres: Double) -> String {
        if metres < 10 { return "\(JSONNumber.format(metres, decimals: 2)) m" }
        return metres < 1000 ? "\(JSONNumber.format(metres.rounded())) m" : "\(JSONNumber.format((metres / 100).rounded() / 10)) km"
    }
}
