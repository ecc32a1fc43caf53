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
        The districts file is GeoJSON in WGS84 (lon/lat): Polygon or MultiPolygon features with a \
        `name` and, optionally, `population`. Districts without an id get one. Every polygon is \
        checked: a self-intersecting ring is refused with the place where it crosses.

        EXAMPLES
          civic init oskemen --name "Өскемен" \\
              --districts districts.geojson --language ru --radius 500

        DIAGNOSTICS
          Exit 1 for a bad districts file, with one line naming the place:
            civic: error: FILE:LINE: features[N] (id X): FIELD: what is wrong
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
        let districtList = try DistrictFile.parse(readFile(districts), file: districts)
        let info = DatasetInfo(name: name, city: city ?? name, language: language, radius: radius)
        _ = try Dataset.create(at: directory, info: info, districts: districtList)
        Diagnostics.note("created \(directory) with \(districtList.count) districts")
        print(directory)
    }
}
