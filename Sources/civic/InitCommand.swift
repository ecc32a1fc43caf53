import ArgumentParser
import CivicCore
import CivicRules
import CivicStore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a city's dataset from a file of district polygons.",
        discussion: """
        The districts file is GeoJSON in WGS84 (lon/lat): Polygon or MultiPolygon features. civic \
        finds the name property on its own where it is unambiguous (`name` in any case, such as \
        `NAME` or `Name`, or one property ending in `name`, such as `shapeName` or \
        `Gemeinde_name`); --name-field, --id-field and --population-field name the properties \
        when it is not. Districts without an id get one (d1, d2, …). Populations may be numbers, \
        numeric text ("354 770") or null. Names in other languages (`name_en`, `name:kk`, \
        `NAME_RU`) fill the district's names, and every other property is kept as it was.

        Every polygon is checked: a self-intersecting ring is refused with the place where it \
        crosses, and districts written [lat, lon] are refused. Districts that overlap (each \
        overlap counted twice in a city's total) are refused with their ids, names, the area and \
        where; --allow-overlaps keeps them, remembered in dataset.json, and `civic validate` \
        then notes them instead. Holes between districts (a lake, an enclave) are noted.

        EXAMPLES
          civic init oskemen --name "Өскемен" \\
              --districts districts.geojson --language ru --radius 500
          civic init berlin --name Berlin --districts bezirksgrenzen.geojson \\
              --name-field Gemeinde_name --id-field Gemeinde_schluessel
          civic init vko --name "ВКО" --districts osm-boundaries.geojson --allow-overlaps

        DIAGNOSTICS
          Exit 1 for a bad districts file, with one line naming the place:
            civic: error: FILE:LINE: features[N] (id X): FIELD: what is wrong
          and for overlapping districts, one line each, then what to do:
            civic: error: FILE:3: features[1] (id d2): geometry: districts d1 (Уланский
            район) and d2 (Глубоковский район) overlap by 9.01 km² around lon 82.15,
            lat 49.99435
            hint: correct the boundaries (…), or keep the overlap on purpose with
            --allow-overlaps (civic validate then notes it)
          Exit 64 for a wrong flag.
        """
    )

    @Argument(help: ArgumentHelp("The folder to create (it must not exist or be empty).", valueName: "dir"))
    var directory: String

    @Option(help: "The dataset's name, as shown on maps and reports.")
    var name: String

    @Option(help: "The city's name (default: the dataset's name).")
    var city: String?

    @Option(help: ArgumentHelp("GeoJSON file of the district polygons.", valueName: "file"))
    var districts: String

    @OptionGroup var districtFields: DistrictFieldOptions

    @Flag(help: "Keep districts that overlap; the dataset remembers it, and `civic validate` notes them.")
    var allowOverlaps = false

    @Option(help: "Default language of labels: ru, kk or en.")
    var language: String = "ru"

    @Option(parsing: .unconditional, help: ArgumentHelp("Default coverage radius in metres.", valueName: "m"))
    var radius: Double = DatasetInfo.defaultRadius

    func validate() throws {
        guard DatasetInfo.languages.contains(language) else {
            throw ValidationError("--language must be one of: \(DatasetInfo.languages.joined(separator: ", "))")
        }
        try checkRadius(radius)
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        let fields = districtFields.fields
        let (districtList, lines) = try DistrictFile.parseWithLines(readFile(districts), file: districts, fields: fields)
        var info = DatasetInfo(name: name, city: city ?? name, language: language, radius: radius)

        let overlaps = try DistrictTopology.overlaps(districtList)
        let problems = overlaps.map { DistrictTopology.problem($0, districts: districtList, lines: lines, file: districts) }
        if !overlaps.isEmpty && !allowOverlaps {
            for (i, problem) in problems.enumerated() {
                Diagnostics.error(problem.description, hint: i == problems.count - 1
                    ? "correct the boundaries (QGIS: Vector › Geometry Tools › Topology Checker), or keep "
                        + "\(overlaps.count == 1 ? "the overlap" : "the overlaps") on purpose with --allow-overlaps "
                        + "(civic validate then notes \(overlaps.count == 1 ? "it" : "them"))"
                    : nil)
            }
            Diagnostics.error("\(districts): \(overlaps.count) overlap\(overlaps.count == 1 ? "" : "s") between "
                              + "districts; no dataset was created")
            throw ExitCode.failure
        }
        info.allowedOverlaps = overlaps.map { [$0.first, $0.second] }
        for problem in problems {
            Diagnostics.information(problem.description + "; kept on purpose (--allow-overlaps, remembered in dataset.json)")
        }
        for hole in try DistrictTopology.holes(districtList) {
            Diagnostics.information("\(districts): \(DistrictTopology.describe(hole))")
        }

        _ = try Dataset.create(at: directory, info: info, districts: districtList)
        Diagnostics.note("created \(directory) with \(districtList.count) districts")
        print(directory)
    }
}
