import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

enum Sample {
    static let info = DatasetInfo(name: "Өскемен азаматтық картасы", city: "Усть-Каменогорск", language: "kk")

    /// A counter-clockwise rectangle; corners given as literals so they survive the 7-decimal writer exactly.
    static func rectangle(west: Double, south: Double, east: Double, north: Double) -> Geometry {
        .polygon(Polygon(outerRing: [
            Position(lon: west, lat: south), Position(lon: east, lat: south),
            Position(lon: east, lat: north), Position(lon: west, lat: north),
            Position(lon: west, lat: south),
        ]))
    }

    static let districts = [
        District(id: "ulbinsky", name: "Ульбинский", names: ["kk": "Үлбі", "ru": "Ульбинский"],
                 population: 120_000, geometry: rectangle(west: 82.55, south: 49.93, east: 82.6, north: 49.98)),
        District(id: "zashchita", name: "Защита", names: ["kk": "Защита ауданы"],
                 geometry: rectangle(west: 82.6, south: 49.93, east: 82.65, north: 49.98)),
    ]

    static func entity(id: Int, name: String, lon: Double = 82.61, lat: Double = 49.95) -> Entity {
        Entity(id: id, kind: "community", name: name, names: ["kk": name + " (қаз.)"], themes: ["courtyards", "lighting"],
               address: "ул. Бажова 5", geometry: .point(Position(lon: lon, lat: lat)))
    }

    /// A dataset with the sample districts, created in `folder/name`.
    static func dataset(in folder: String, name: String = "oskemen") throws -> Dataset {
        try Dataset.create(at: folder + "/" + name, info: info, districts: districts)
    }
}

/// Adds one entity the way `civic add` does: the id from the store, under the lock, with a journal entry.
@discardableResult
func add(_ name: String, to dataset: Dataset, contacts: Contacts? = nil) throws -> Int {
    try dataset.update { state, journal in
        let id = try dataset.nextEntityID(in: state)
        let entity = Sample.entity(id: id, name: name)
        state.entities.append(entity)
        if let contacts { state.contacts[id] = contacts }
        journal.append(JournalEntry(action: "add", id: id, name: name, changes: entity.feature.properties))
        return id
    }
}

/// The inode of a file: a rename over it gives it a new one, so an unchanged inode means "not rewritten".
func inode(_ path: String) -> UInt64? {
    var info = stat()
    return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
}

/// The permission bits of a file or folder.
func permissions(_ path: String) -> Int? {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_mode & 0o777) : nil
}

func text(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

/// The files of a dataset, named as the tests compare them.
let datasetFiles = ["dataset.json", "districts.geojson", "entities.geojson", "private/contacts.json", "history.jsonl"]
