import ArgumentParser
import CivicAnalysis
import CivicCore
import CivicGeoPackage
import CivicStore
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export entities or districts as GeoJSON or CSV, or every layer as a GeoPackage for QGIS.",
        discussion: """
        The format comes from the extension of -o (.geojson, .csv, .gpkg) or from --format (default \
        geojson). CSV is UTF-8 with a header: --csv excel (';', decimal comma, byte-order mark; the \
        default for a ru or kk dataset) or --csv rfc4180 (',', decimal point; a .csv file starts \
        with a byte-order mark, so that Excel reads Cyrillic). An entities CSV has the whole \
        geometry as WKT (geometry_wkt), the source, the kept properties and the rules set aside \
        (allow_outside, allow_duplicate_of), so that `civic import csv` takes it back whole. \
        GeoJSON has themes as a list and as text (themes_text: culture;education). A cell a spreadsheet would run as a \
        formula (= @ + - before text) is written with a leading '; numbers and phone numbers are \
        written as they are. Phone, e-mail and contact person are left out unless \
        --include-private is given, and the command says so on stderr.

        `concerns` writes the public form of residents' concerns (GeoJSON): one point per 250 m \
        cell of the district's UTM grid and theme, at the cell's centre, with its count; cells with \
        fewer than 5 are not drawn, and no text, reporter or exact point is written. \
        --include-private writes every concern as it is, private fields included, and says so.

        A GeoPackage (.gpkg, OGC 12-128) opens directly in QGIS and GDAL: one layer per geometry type \
        (entities_points; entities_areas with Polygons and MultiPolygons), themes as one text field \
        (culture;education) so that ogr2ogr converts each layer to a Shapefile, a spatial index per \
        layer, and default styles. `all` writes districts, entities_points, entities_areas, \
        coverage (the districts with the figures of `civic coverage` at the dataset's radius, shaded \
        by covered_share as on civic's map) and gaps (as `civic gaps`), in one file.

        EXAMPLES
          civic export entities --dataset oskemen -o entities.geojson
          civic export entities --theme lighting -o lighting.csv
          civic export districts -o districts.geojson
          civic export concerns -o concerns.geojson
          civic export all -o city.gpkg

        DIAGNOSTICS
          Exit 1 when a dataset file is broken or -o names a file inside the
          dataset folder; exit 64 for a format civic cannot write (.shp, .kml: write
          a .gpkg and convert it with ogr2ogr), a --format that contradicts the
          extension of -o, or `all` to anything but a .gpkg.
        """
    )

    enum Layer: String, ExpressibleByArgument, CaseIterable {
        case entities, districts, concerns, all
    }

    @Argument(help: "entities, districts, concerns (GeoJSON), or all (a GeoPackage of every layer).")
    var layer: Layer

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var filters: EntityFilterOptions
    @OptionGroup var output: OutputOptions<ExportFormats>

    @Flag(help: "Include phone, e-mail and contact person; for concerns, exact points, text and reporters.")
    var includePrivate = false

    @OptionGroup var progressOptions: ProgressOptions

    func run() async throws {
        // The path first: a file inside the dataset is refused as such (exit 1), whatever its name says.
        let writer = try datasetOptions.writer(for: output.output)
        let resolved = try output.resolved(default: layer == .all ? .geoPackage : .text(.geojson),
                                           allowed: layer == .all ? [] : layer == .concerns ? [.geojson] : [.geojson, .csv],
                                           geoPackage: layer != .concerns)
        let dataset = try datasetOptions.open()
        let state = try Progress.step("reading the dataset") {
            try dataset.load(includeContacts: true, concerns: layer == .concerns)
        }
        let listing = EntityListing(includePrivate: includePrivate, language: state.info.language,
                                    vocabulary: state.info.vocabulary)
        switch (layer, resolved) {
        case (_, .geoPackage), (.all, _):
            var layers: [GeoPackageLayer] = []
            var entities: [Entity] = []
            if layer != .entities { layers.append(districtLayer(state)) }
            if layer != .districts {
                entities = try filters.apply(to: state) { Diagnostics.warning($0) }
                layers += try geoPackage { () throws(GeoPackageError) in
                    try GeoPackageLayer.byGeometryType(listing.features(entities, contacts: state.contacts, themesText: false),
                                                       prefix: "entities", pointStyle: CivicStyles.entityPoints,
                                                       areaStyle: CivicStyles.entityAreas)
                }
            }
            if layer == .all { layers += try await analysisLayers() }
            let time = try lastChange(of: dataset)
            let bytes = try geoPackage { () throws(GeoPackageError) in try GeoPackage.bytes(layers: layers, time: time) }
            try writer.write(bytes)
            Diagnostics.note("exported " + layers.map { "\($0.name) (\($0.features.count))" }.joined(separator: ", "))
            if layer != .districts { notePrivacy(entities, state) }
        case (.entities, .text(let format)):
            let entities = try filters.apply(to: state) { Diagnostics.warning($0) }
            let text = format == .csv
                ? listing.csv(entities, contacts: state.contacts).csv(output.csvDialect(language: state.info.language))
                : GeoJSONWriter.featureCollection(listing.features(entities, contacts: state.contacts), onePerLine: true)
            try output.emit(text, through: writer)
            if format == .csv { warnLongOutlines(entities) }
            notePrivacy(entities, state)
        case (.concerns, .text):
            try output.emit(try ConcernExport.text(state: state, includePrivate: includePrivate), through: writer)
        case (.districts, .text(let format)):
            if includePrivate { Diagnostics.note("districts have no private fields; --include-private changes nothing") }
            let text: String
            if format == .csv {
                // The source file's other properties (official codes, `name_en`, …) follow, as kept.
                var otherKeys: [String] = []
                let fixed: Set<String> = ["id", "name", "name_ru", "name_kk", "name_en", "population", "geometry_type"]
                for district in state.districts {
                    for key in district.properties.keys where !otherKeys.contains(key) && !fixed.contains(key) {
                        otherKeys.append(key)
                    }
                }
                func cell(_ value: JSONValue?) -> String {
                    switch value {
                    case nil, .null?: ""
                    case .string(let s)?: s
                    case .number(let n)?: n
                    case .bool(let b)?: b ? "true" : "false"
                    case let nested?: JSON.serialize(nested, pretty: false)
                    }
                }
                let rows = state.districts.map { d in
                    [d.id, d.name, d.names["ru"] ?? "", d.names["kk"] ?? "", d.names["en"] ?? "",
                     d.population.map(String.init) ?? "", d.geometry.typeName] + otherKeys.map { cell(d.properties[$0]) }
                }
                // A property is a number column when every district that has it holds a JSON number.
                let numericKeys = otherKeys.indices.filter { i in
                    state.districts.allSatisfy { d in
                        switch d.properties[otherKeys[i]] { case nil, .null?, .number?: true; default: false }
                    }
                }.map { $0 + 7 }
                text = Tabular(header: ["id", "name", "name_ru", "name_kk", "name_en", "population", "geometry_type"] + otherKeys,
                               rows: rows, numberColumns: Set([5] + numericKeys)).csv(output.csvDialect(language: state.info.language))
            } else {
                text = GeoJSONWriter.featureCollection(districtFeatures(state), onePerLine: true)
            }
            try output.emit(text, through: writer)
            Diagnostics.note("exported \(state.districts.count) districts")
        }
    }

    /// The districts with their id among the properties (QGIS shows properties, not the feature id).
    private func districtFeatures(_ state: DatasetState) -> [Feature] {
        state.districts.map { district -> Feature in
            var feature = district.feature
            var properties = JSONObject([("id", .string(district.id))])
            for (key, value) in feature.properties { properties[key] = value }
            feature.properties = properties
            return feature
        }
    }

    private func districtLayer(_ state: DatasetState) -> GeoPackageLayer {
        GeoPackageLayer(name: "districts", description: "the districts of \(state.info.name)",
                        geometryType: .multiPolygon, features: districtFeatures(state), style: CivicStyles.districts)
    }

    /// Coverage and gaps as `civic coverage` and `civic gaps` compute them: the dataset's radius, the
    /// active entities of the selected kinds and themes, gaps of a hectare or more.
    private func analysisLayers() async throws -> [GeoPackageLayer] {
        let options = CoverageOptions(kinds: filters.kinds, themes: filters.themes)
        let prepared: PreparedRequest
        do {
            prepared = try Progress.step("reading the dataset for coverage") {
                try PreparedRequest(reading: .dataset(path: try datasetOptions.path), options: options) {
                    Diagnostics.warning($0, then: "skipped")
                }
            }
        } catch let unknown as UnknownTermError {
            throw ValidationError(unknown.description)
        }
        let districts = prepared.request.districts.count.grouped
        let coverage = try await prepared.request.coverage(progress: Progress.fraction("measuring \(districts) districts"))
        let gaps = try await prepared.request.gaps(progress: Progress.fraction("finding the gaps of \(districts) districts"))
        let radius = JSONNumber.format(prepared.request.radius)
        return [
            GeoPackageLayer(name: "coverage", description: "districts with their covered share within \(radius) m",
                            geometryType: .multiPolygon, features: coverage.features(districts: prepared.request.districts),
                            style: CivicStyles.coverage),
            GeoPackageLayer(name: "gaps", description: "parts of districts farther than \(radius) m from every selected entity",
                            geometryType: .polygon, features: try gaps.features(), style: CivicStyles.gaps),
        ]
    }

    /// When the dataset last changed (its journal's last entry), as GeoPackage stamps write it
    /// (`2026-11-25T00:00:00.000Z`); now for a dataset without a journal entry. Stamping the data's
    /// own time rather than the export's keeps the file byte for byte the same while the dataset
    /// is, so the output writer leaves an unchanged GeoPackage alone.
    private func lastChange(of dataset: Dataset) throws -> String {
        let utc = TimeZone(identifier: "UTC") ?? .current
        let plain = ISO8601DateFormatter(), fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        fractional.timeZone = utc
        let last = try dataset.journal().last.flatMap { plain.date(from: $0.time) ?? fractional.date(from: $0.time) }
        return fractional.string(from: last ?? Date())
    }

    /// Runs a GeoPackage step, its failure said as a failure to write the `-o` file.
    private func geoPackage<T>(_ body: () throws(GeoPackageError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CivicError.io(path: output.output ?? "-", reason: "cannot write the GeoPackage: \(error)")
        }
    }

    /// Excel and LibreOffice keep at most 32,767 characters in a cell and cut the rest without a
    /// word; an outline longer than that would come back refused (its WKT broken), so say which.
    private func warnLongOutlines(_ entities: [Entity]) {
        let cellLimit = 32_767
        // A position takes at most 26 characters ("-179.1234567 -89.1234567, "): fewer positions cannot reach the limit.
        let long = entities.filter { ($0.geometry.allPositions.count * 26 > cellLimit) && (WKT.text($0.geometry)?.count ?? 0) > cellLimit }
        guard let first = long.first else { return }
        Diagnostics.warning("\(output.output ?? "-"): the outline of \(long.count == 1 ? "entity \(first.id)" : "\(long.count) entities (\(long.prefix(5).map { String($0.id) }.joined(separator: ", "))\(long.count > 5 ? ", …" : ""))") "
                            + "is longer than a spreadsheet cell holds (32,767 characters); a spreadsheet that saves the file cuts it",
                            hint: "edit such areas in GeoJSON (civic export entities -o entities.geojson); the CSV itself imports back whole")
    }

    private func notePrivacy(_ entities: [Entity], _ state: DatasetState) {
        let withContacts = entities.filter { state.contacts[$0.id] != nil }.count
        if includePrivate {
            Diagnostics.note("exported \(entities.count) entities, private contacts included (\(withContacts) with contacts)")
        } else {
            Diagnostics.note("exported \(entities.count) entities; phone, e-mail and contact person left out"
                             + (withContacts > 0 ? " (\(withContacts) entities have them; --include-private adds them)" : ""))
        }
    }
}
