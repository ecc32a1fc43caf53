import ArgumentParser
import CivicCore
import CivicRules
import CivicStore
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one entity, all its public fields.",
        // The id is read from what the options leave over (see EntityIDArgument); say it as one <id>.
        usage: "civic show <id> [<options>]",
        discussion: """
        EXAMPLES
          civic show 12
          civic show 12 --format geojson
          civic show 12 --include-private

        DIAGNOSTICS
          Exit 1 when there is no entity with that id (-1 included).
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @OptionGroup var entity: EntityIDArgument

    @Option(name: .customLong("format"), help: ArgumentHelp(ShowFormats.help, valueName: "format"))
    var offeredFormat = OfferedFormat<ShowFormats>(.table)

    /// `--format`, table unless given.
    var format: OutputFormat { offeredFormat.value }

    @Flag(help: "Show phone, e-mail and contact person.")
    var includePrivate = false

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv is not offered by show; use table, json or geojson") }
    }

    func run() throws {
        let id = entity.id
        // Contacts are read to say that they exist; the listing shows them only with --include-private.
        let state = try datasetOptions.open().load(includeContacts: true)
        guard let entity = state.entities.first(where: { $0.id == id }) else {
            throw CivicError.refused(reason: "no entity with id \(id)", hint: "civic list shows the ids")
        }
        let listing = EntityListing(includePrivate: includePrivate, language: state.info.language,
                                    vocabulary: state.info.vocabulary)
        switch format {
        case .geojson:
            print(GeoJSONWriter.featureCollection(listing.features([entity], contacts: state.contacts), onePerLine: true),
                  terminator: "")
        case .json:
            if case .array(let items) = listing.json([entity], contacts: state.contacts), let item = items.first {
                print(JSON.serialize(item, pretty: true))
            }
        default:
            let locator = try DistrictLocator(districts: state.districts)
            let districtNames = try locator.districtIDs(of: entity.geometry).map { id in
                state.districts.first { $0.id == id }.map { "\($0.name) (\(id))" } ?? id
            }
            var rows: [[String]] = [["id", String(entity.id)]]
            for (key, value) in listing.features([entity], contacts: state.contacts, themesText: false)[0].properties where key != "id" {
                rows.append([key, Self.text(value)])
            }
            rows.append(["geometry", entity.geometry.summary])
            rows.append(["district", districtNames.isEmpty ? "— (outside every district)" : districtNames.joined(separator: ", ")])
            let width = rows.map { Tabular.displayWidth($0[0]) }.max() ?? 0
            for row in rows {
                print(row[0] + String(repeating: " ", count: width - Tabular.displayWidth(row[0])) + "  " + row[1])
            }
            if !includePrivate, state.contacts[id] != nil {
                Diagnostics.note("entity \(id) has private contacts; pass --include-private to see them")
            }
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        case .array(let items): items.map(text).joined(separator: ", ")
        case .object(let object): object.map { "\($0.key): \(text($0.value))" }.joined(separator: "; ")
        }
    }
}
