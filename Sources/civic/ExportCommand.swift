import ArgumentParser
import CivicCore
import CivicStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export entities or districts as GeoJSON (RFC 7946) or CSV for QGIS and spreadsheets.",
        discussion: """
        The format comes from the extension of -o (.geojson, .csv) or from --format. CSV is UTF-8 \
        with a header (a .csv file starts with a byte-order mark, so that Excel reads Cyrillic); a \
        cell starting with = + - @ is written with a leading ' so that a \
        spreadsheet never runs it. Phone, e-mail and contact person are left out unless
        --include-private is given, and the command says so on stderr.

        EXAMPLES
          civic export entities --dataset oskemen -o entities.geojson
          civic export entities --theme lighting -o lighting.csv
          civic export districts -o districts.geojson

        DIAGNOSTICS
          Exit 1 when a dataset file is broken or -o names a file inside the
          dataset folder; exit 64 for a format other than geojson or csv.
        """
    )

    enum Layer: String, ExpressibleByArgument, CaseIterable {
        case entities, districts
    }

    @Argument(help: "entities or districts.")
    var layer: Layer

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var filters: EntityFilterOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Include phone, e-mail and contact person (entities only).")
    var includePrivate = false

    func run() throws {
        let format = try output.resolvedFormat(default: .geojson, allowed: [.geojson, .csv])
        let writer = try datasetOptions.writer(for: output.output)
        let dataset = try datasetOptions.open()
        let state = try dataset.load(includeContacts: true)
        let text: String
        switch layer {
        case .entities:
            let entities = try filters.apply(to: state) { Diagnostics.warning($0) }
            let listing = EntityListing(includePrivate: includePrivate, language: state.info.language,
                                        vocabulary: state.info.vocabulary)
            text = format == .csv
                ? listing.csv(entities, contacts: state.contacts).csv()
                : GeoJSONWriter.featureCollection(listing.features(entities, contacts: state.contacts), onePerLine: true)
            let withContacts = entities.filter { state.contacts[$0.id] != nil }.count
            try output.emit(text, through: writer)
            if includePrivate {
                Diagnostics.note("exported \(entities.count) entities, private contacts included (\(withContacts) with contacts)")
            } else {
                Diagnostics.note("exported \(entities.count) entities; phone, e-mail and contact person left out"
                                 + (withContacts > 0 ? " (\(withContacts) entities have them; --include-private adds them)" : ""))
            }
        case .districts:
            if includePrivate { Diagnostics.note("districts have no private fields; --include-private changes nothing") }
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
                text = Tabular(header: ["id", "name", "name_ru", "name_kk", "name_en", "population", "geometry_type"] + otherKeys,
                               rows: rows).csv()
            } else {
                let features = state.districts.map { district -> Feature in
                    var feature = district.feature
                    var properties = JSONObject([("id", .string(district.id))])
                    for (key, value) in feature.properties { properties[key] = value }
                    feature.properties = properties
                    return feature
                }
                text = GeoJSONWriter.featureCollection(features, onePerLine: true)
            }
            try output.emit(text, through: writer)
            Diagnostics.note("exported \(state.districts.count) districts")
        }
    }
}
