import CivicCore
import CivicRules
import Foundation
import GeoValues

/// Every problem of a dataset folder, file by file, without stopping at the first one and without
/// changing anything (`civic validate`).
public enum DatasetValidator {
    /// The problems found, in file order; empty when the dataset is clean.
    public static func problems(in folder: String) -> [CivicError] {
        var problems: [CivicError] = []
        func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func read(_ name: String, required: Bool = true) -> [UInt8]? {
            guard let data = FileManager.default.contents(atPath: file(name)) else {
                if required { problems.append(.io(path: file(name), reason: "missing")) }
                return nil
            }
            return Array(data)
        }

        var info = DatasetInfo(name: "", city: "")
        if let bytes = read(DatasetLayout.info) {
            do {
                info = try DatasetInfo(json: try JSON.parse(bytes, file: file(DatasetLayout.info)), file: file(DatasetLayout.info))
            } catch { problems.append(CivicError.wrapping(error, file: file(DatasetLayout.info))) }
        }

        var districts: [District] = []
        if let bytes = read(DatasetLayout.districts) {
            let name = file(DatasetLayout.districts)
            do {
                let features = try GeoJSONReader.features(in: bytes, file: name)
                var seen: [String: Int] = [:]
                for (index, feature) in features.enumerated() {
                    do {
                        let district = try District(feature: feature, index: index, file: name)
                        let place = "features[\(index)] (id \(district.id))"
                        if let first = seen[district.id] {
                            problems.append(.invalid(file: name, line: feature.line, place: place, field: "id",
                                                     reason: "duplicate id: features[\(first)] has it too"))
                        }
                        seen[district.id] = index
                        if let problem = try GeometryCheck.problem(in: district.geometry) {
                            problems.append(.invalid(file: name, line: feature.line, place: place, field: "geometry",
                                                     reason: GeometryCheck.describe(problem)))
                        }
                        districts.append(district)
                    } catch { problems.append(CivicError.wrapping(error, file: name)) }
                }
            } catch { problems.append(CivicError.wrapping(error, file: name)) }
        }

        var entities: [(entity: Entity, line: Int)] = []
        if let bytes = read(DatasetLayout.entities) {
            let name = file(DatasetLayout.entities)
            do {
                let features = try GeoJSONReader.features(in: bytes, file: name)
                var found: [(line: Int, problem: CivicError)] = []
                for (index, feature) in features.enumerated() {
                    do {
                        entities.append((try Entity(feature: feature, index: index, file: name), feature.line))
                    } catch { found.append((feature.line, CivicError.wrapping(error, file: name))) }
                }
                for problem in entityProblems(entities, file: name, info: info, districts: districts) {
                    if case .invalid(_, let line, _, _, _, _) = problem { found.append((line ?? 0, problem)) }
                }
                // In the order of the file, as an editor would walk through them.
                problems += found.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
                    .map(\.element.problem)
            } catch { problems.append(CivicError.wrapping(error, file: name)) }
        }

        if let bytes = read(DatasetLayout.contacts, required: false) {
            let name = file(DatasetLayout.contacts)
            do {
                guard case .object(let object) = try JSON.parse(bytes, file: name) else {
                    throw CivicError.invalid(file: name, place: "root", reason: "expected an object keyed by entity id")
                }
                for (key, value) in object {
                    let contact = try Contacts(json: value)
                    do {
                        if let email = contact.email { try EntityRules.checkEmail(email) }
                        if let phone = contact.phone { try EntityRules.checkPhone(phone) }
                    } catch {
                        problems.append(.invalid(file: name, place: "entity \(key)", reason: error.description))
                    }
                }
            } catch { problems.append(CivicError.wrapping(error, file: name)) }
        }

        if let bytes = read(DatasetLayout.history, required: false) {
            let name = file(DatasetLayout.history)
            var lineNumber = 0
            for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.isEmpty { continue }
                do {
                    guard case .object = try JSON.parse(Array(line), file: name) else {
                        throw CivicError.syntax(file: name, line: lineNumber, column: 1, reason: "a journal line must be a JSON object")
                    }
                } catch let CivicError.syntax(_, _, column, reason, hint) {
                    problems.append(.syntax(file: name, line: lineNumber, column: column, reason: reason, hint: hint))
                } catch { problems.append(CivicError.wrapping(error, file: name)) }
            }
        }
        return problems
    }

    static func entityProblems(_ entities: [(entity: Entity, line: Int)], file: String, info: DatasetInfo,
                               districts: [District]) -> [CivicError] {
        var problems: [CivicError] = []
        let rules = try? EntityRules(info: info, districts: districts)
        var firstIndex: [Int: Int] = [:]
        var previousID = 0
        for (index, (entity, line)) in entities.enumerated() {
            let place = "features[\(index)] (id \(entity.id))"
            func report(_ field: String?, _ reason: String, hint: String? = nil) {
                problems.append(.invalid(file: file, line: line, place: place, field: field, reason: reason, hint: hint))
            }
            if let first = firstIndex[entity.id] {
                report("id", "duplicate id: features[\(first)] has it too")
            }
            firstIndex[entity.id] = firstIndex[entity.id] ?? index
            if entity.id < previousID { report("id", "not sorted by id (after \(previousID))", hint: "any civic edit rewrites the file sorted") }
            previousID = max(previousID, entity.id)
            if info.vocabulary.kinds.first(where: { $0.id == entity.kind }) == nil {
                report("kind", "unknown kind '\(entity.kind)'", hint: "allowed: " + info.vocabulary.kinds.map(\.id).joined(separator: ", "))
            }
            for theme in entity.themes where info.vocabulary.themes.first(where: { $0.id == theme }) == nil {
                report("themes", "unknown theme '\(theme)'", hint: "allowed: " + info.vocabulary.themes.map(\.id).joined(separator: ", "))
            }
            do {
                if let problem = try GeometryCheck.problem(in: entity.geometry) {
                    report("geometry", GeometryCheck.describe(problem))
                }
            } catch {
                // GEOS failed while checking: reported in its own words, not as an invalid geometry.
                report("geometry", "\(error)")
            }
            if let rules {
                do {
                    try rules.checkLocation(entity.geometry, allowOutside: false)
                } catch let error as CivicError {
                    report("geometry", error.description, hint: error.hint)
                } catch {
                    report("geometry", "\(error)")
                }
            }
        }
        // Likely duplicates: same comparable name within 100 m; grouped by name first, so it stays
        // linear for a large city.
        var byName: [String: [Int]] = [:]
        for (index, item) in entities.enumerated() {
            byName[EntityRules.comparableName(item.entity.name), default: []].append(index)
        }
        // Within a name, sweep by latitude: only pairs less than 100 m apart north–south are measured.
        let latitudeWindow = EntityRules.duplicateDistanceMetres / 111_000
        var found: [(first: Int, second: Int)] = []
        for indices in byName.values where indices.count > 1 {
            let placed = indices.compactMap { i in entities[i].entity.geometry.anchor.map { (index: i, at: $0) } }
                .sorted { ($0.at.y, $0.index) < ($1.at.y, $1.index) }
            for (n, a) in placed.enumerated() {
                for b in placed[(n + 1)...] {
                    if b.at.y - a.at.y > latitudeWindow { break }
                    if Geodesy.distanceMetres(a.at, b.at) <= EntityRules.duplicateDistanceMetres {
                        found.append((min(a.index, b.index), max(a.index, b.index)))
                    }
                }
            }
        }
        for (i, j) in found.sorted(by: { ($0.second, $0.first) < ($1.second, $1.first) }) {
            let a = entities[i].entity, b = entities[j].entity
            problems.append(.invalid(file: file, line: entities[j].line, place: "features[\(j)] (id \(b.id))",
                                     reason: "likely duplicate of entity \(a.id) '\(a.name)' (same name within \(Int(EntityRules.duplicateDistanceMetres)) m)",
                                     hint: "merge them, or rename one"))
        }
        return problems
    }
}

extension CivicError {
    /// A CivicError as it is; anything else (a GEOS failure) as a problem of the file.
    static func wrapping(_ error: Error, file: String) -> CivicError {
        (error as? CivicError) ?? .io(path: file, reason: "\(error)")
    }
}
