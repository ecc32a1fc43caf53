import CivicCore
import CivicStore
import GeoValues

/// How to read a spreadsheet export.
public struct SpreadsheetOptions: Sendable {
    public var encoding: TextEncoding
    /// nil: detected from the header line.
    public var delimiter: Character?
    /// The kind of rows that have none (or of every row, when there is no kind column).
    public var defaultKind: String?
    /// The themes of rows that have none.
    public var defaultThemes: [String]

    public init(encoding: TextEncoding = .utf8, delimiter: Character? = nil, defaultKind: String? = nil,
                defaultThemes: [String] = []) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.defaultKind = defaultKind
        self.defaultThemes = defaultThemes
    }
}

/// Turns a CSV export of a volunteers' spreadsheet into import candidates, one per row.
///
/// The header row names the columns, in English, Russian or Kazakh, in any case:
///
/// | field | headers |
/// |---|---|
/// | name | name, название, наименование, атауы |
/// | kind | kind, type, тип, вид, түрі |
/// | latitude | latitude, lat, широта, ендік |
/// | longitude | longitude, lon, lng, long, долгота, бойлық |
/// | themes | themes, theme, темы, тема, тематика, тақырыптар |
/// | address, description, website | address/адрес/мекенжай, description/описание/сипаттама, website/site/url/сайт |
/// | names by language | name_ru, name_kk, name_en |
/// | status | status, статус (active/inactive, активна/неактивна) |
/// | private | phone/телефон, email/e-mail/почта, contact_person/контактное лицо |
///
/// | geometry | geometry_wkt, wkt (POINT, POLYGON or MULTIPOLYGON; instead of latitude and longitude) |
/// | where the row came from | source (`osm:node/9001`; when empty, `csv:<file>#<line>`) |
///
/// Kinds and themes are ids or labels («инициативная группа», «освещение»); several themes in a
/// cell are separated by `;` or `|`, or by `,` when the file is not comma-delimited.
///
/// **Civic's own export comes back whole** (``EntityListing/csv(_:contacts:)``). A file whose header
/// has the `id` and `geometry_type` columns only civic's export writes is taken as one: a polygon
/// comes back from `geometry_wkt`, the `source` cell is kept as it is (an empty one stays empty
/// instead of becoming `csv:<file>#<line>`), the choices of `allow_outside` and `allow_duplicate_of`
/// (ids of the same file) are kept, and every other column is a property the entities kept
/// (`addr:street`, `opening_hours`), imported under its header. `created`, `updated` and `id` are
/// the dataset's own and are not taken: the importing dataset stamps and numbers its entities. In
/// any other file an unknown column is named in a warning and not imported, since a volunteer's
/// sheet may hold a column of private notes.
///
/// ```swift
/// let batch = try SpreadsheetImport.batch(bytes, path: "volunteers.csv", options: SpreadsheetOptions(encoding: .cp1251))
/// ```
public enum SpreadsheetImport {
    /// The fields a column can fill.
    enum Field: String, CaseIterable {
        case name, nameRu = "name_ru", nameKk = "name_kk", nameEn = "name_en", kind, latitude, longitude, themes
        case status, address, description, website, phone, email, contactPerson = "contact_person"
        case geometryWKT = "geometry_wkt", source
        /// Civic's export: the entity's id in the exporting dataset, and the rules set aside for it.
        case exportID = "id", allowOutside = "allow_outside", allowDuplicateOf = "allow_duplicate_of"
        /// A column of civic's own export that an import does not read.
        case exportOnly
    }

    /// Folded header → field. Headers are folded to lower-case letters and digits (ё as е), so
    /// `E-mail`, `e_mail` and `EMAIL` are one header.
    static let headers: [String: Field] = {
        let table: [(Field, [String])] = [
            (.name, ["name", "название", "наименование", "атауы", "атау"]),
            (.nameRu, ["name_ru", "name:ru"]),
            (.nameKk, ["name_kk", "name:kk"]),
            (.nameEn, ["name_en", "name:en"]),
            (.kind, ["kind", "type", "тип", "вид", "түрі"]),
            (.latitude, ["latitude", "lat", "широта", "ендік"]),
            (.longitude, ["longitude", "lon", "lng", "long", "долгота", "бойлық"]),
            (.themes, ["themes", "theme", "темы", "тема", "тематика", "тақырыптар", "тақырып"]),
            (.status, ["status", "статус", "күйі"]),
            (.address, ["address", "адрес", "мекенжай"]),
            (.description, ["description", "описание", "сипаттама"]),
            (.website, ["website", "site", "url", "web", "сайт", "веб-сайт"]),
            (.phone, ["phone", "tel", "телефон", "тел"]),
            (.email, ["email", "e-mail", "почта", "эл. почта", "электронная почта", "пошта", "электрондық пошта"]),
            (.contactPerson, ["contact_person", "contact person", "контактное лицо", "байланыс тұлғасы"]),
            (.geometryWKT, ["geometry_wkt", "wkt"]),
            (.source, ["source"]),
            (.exportID, ["id"]),
            (.allowOutside, ["allow_outside"]),
            (.allowDuplicateOf, ["allow_duplicate_of"]),
            (.exportOnly, ["created", "updated", "geometry_type"]),
        ]
        var headers: [String: Field] = [:]
        for (field, names) in table {
            for name in names { headers[fold(name)] = field }
        }
        return headers
    }()

    /// Reads the rows of a CSV file. File-level faults (encoding, an unclosed quote, a duplicated
    /// or missing column) throw; a bad row becomes a problem of the batch with its line number.
    public static func batch(_ bytes: [UInt8], path: String, options: SpreadsheetOptions = SpreadsheetOptions()) throws(CivicError) -> ImportBatch {
        let fileName = lastPathComponent(path)
        var batch = ImportBatch(origin: .csv(fileName: fileName), path: path, skipsOutside: false)
        let text = try TextDecoding.decode(bytes, as: options.encoding, file: path)
        let delimiter = options.delimiter ?? CSVReader.detectDelimiter(text)
        let records = try CSVReader.records(text, delimiter: delimiter, file: path)
        guard let headerIndex = records.firstIndex(where: { !$0.isBlank }) else {
            throw CivicError.invalid(file: path, place: "header", reason: "the file has no header row and no rows",
                                     hint: "the first row names the columns: name, kind, latitude, longitude, themes, …")
        }
        let header = records[headerIndex]
        let isExport = isCivicExport(header)
        var keptColumns: [(key: String, index: Int)] = []
        let columns = try columnMap(header, delimiter: delimiter, file: path, options: options, keepUnknown: isExport,
                                    kept: &keptColumns, warnings: &batch.warnings)

        let rows = records[(headerIndex + 1)...].filter { !$0.isBlank }
        if options.encoding == .cp1251 {
            lettersLost(header: header, rows: rows, columns: columns, path: path, batch: &batch)
        }
        // A column without a header is fine when it is empty in every row (Excel's trailing columns).
        let headerCount = header.fields.count
        var unnamedWithData: [Int] = []
        for (k, title) in header.fields.enumerated() where title.trimmingSpaces.isEmpty {
            if rows.contains(where: { k < $0.fields.count && !$0.fields[k].trimmingSpaces.isEmpty }) {
                unnamedWithData.append(k + 1)
            }
        }
        if !unnamedWithData.isEmpty {
            batch.warnings.append("\(path): column\(unnamedWithData.count == 1 ? "" : "s") "
                                  + unnamedWithData.map(String.init).joined(separator: ", ")
                                  + " \(unnamedWithData.count == 1 ? "has" : "have") no header; not imported")
        }

        for record in rows {
            let place = "line \(record.line)"
            func problem(_ reason: String, hint: String? = nil) {
                batch.problems.append(ImportProblem(file: path, place: place, line: record.line, reason: reason, hint: hint))
            }
            let extra = record.fields.dropFirst(headerCount)
            if extra.contains(where: { !$0.trimmingSpaces.isEmpty }) {
                problem("\(record.fields.count) cells, but the header has \(headerCount)",
                        hint: delimiter == ","
                            ? "a cell with a comma in it must be in double quotes"
                            : "a cell with the delimiter in it must be in double quotes")
                continue
            }
            func cell(_ field: Field) -> String? {
                guard let k = columns[field], k < record.fields.count else { return nil }
                return unescapeFormula(record.fields[k].trimmingSpaces).nilIfEmpty
            }

            guard let name = cell(.name) else { problem("the name is empty"); continue }
            let geometry: Geometry
            do throws(RowFault) {
                geometry = try rowGeometry(wkt: cell(.geometryWKT), lat: cell(.latitude), lon: cell(.longitude),
                                           delimiter: delimiter)
            } catch {
                problem(error.reason, hint: error.hint)
                continue
            }
            guard let kind = cell(.kind) ?? options.defaultKind else {
                problem("the kind is empty", hint: "fill the kind cell, or pass --kind for rows without one")
                continue
            }
            var themes = options.defaultThemes
            if let themeCell = cell(.themes) {
                themes = splitThemes(themeCell, delimiter: delimiter)
                if delimiter == ",", let joined = themes.first(where: { $0.contains(",") }) {
                    problem("themes '\(joined)': in a comma-delimited file, separate themes with ; or |")
                    continue
                }
            }
            guard !themes.isEmpty else {
                problem("no themes", hint: "fill the themes cell, or pass --theme for rows without one")
                continue
            }
            var status: EntityStatus?
            if let statusCell = cell(.status) {
                guard let parsed = parseStatus(statusCell) else {
                    problem("status '\(statusCell)' is neither active nor inactive")
                    continue
                }
                status = parsed
            }

            var draft = EntityDraft(kind: kind, name: name, themes: themes, geometry: geometry)
            if let status { draft.status = status }
            draft.names["ru"] = cell(.nameRu)
            draft.names["kk"] = cell(.nameKk)
            draft.names["en"] = cell(.nameEn)
            draft.address = cell(.address)
            draft.description = cell(.description)
            draft.website = cell(.website)
            // Civic's export says where each entity came from, or that nobody recorded it.
            draft.source = isExport ? cell(.source) : cell(.source) ?? "csv:\(fileName)#\(record.line)"
            draft.contacts = Contacts(phone: cell(.phone), email: cell(.email), contactPerson: cell(.contactPerson))
            for (key, k) in keptColumns where k < record.fields.count {
                if let value = unescapeFormula(record.fields[k].trimmingSpaces).nilIfEmpty { draft.extra[key] = value }
            }
            var candidate = ImportCandidate(place: place, line: record.line, draft: draft,
                                            updatesKindAndThemes: true, updatesStatus: status != nil)
            candidate.statesSource = cell(.source) != nil
            candidate.exportID = cell(.exportID).flatMap { Int($0) }
            if let flag = cell(.allowOutside) {
                guard let allowed = parseFlag(flag) else {
                    problem("allow_outside '\(flag)' is neither true nor false")
                    continue
                }
                candidate.allowsOutside = allowed
            }
            if let ids = cell(.allowDuplicateOf) {
                let parsed = splitThemes(ids, delimiter: delimiter).map { Int($0) }
                guard !parsed.contains(nil) else {
                    problem("allow_duplicate_of '\(ids)' is not a list of entity ids",
                            hint: "ids of this file's id column, separated by ;")
                    continue
                }
                candidate.keptBesideExportIDs = parsed.compactMap { $0 }
            }
            batch.candidates.append(candidate)
        }
        return batch
    }

    /// Warns where a Windows-1251 file has `?` in place of letters. Windows-1251 has no Kazakh
    /// letters ә ғ қ ң ө ұ ү һ, and Excel, saving a sheet that has them as "CSV", writes `?`
    /// instead: «Қазақ тілі» arrives as «?аза? тілі». In ordinary writing a question mark is
    /// never followed directly by a letter, so a `?` followed by a Cyrillic letter, or between a
    /// Cyrillic letter and another letter, is taken for a lost one; a lost letter at the end of a
    /// word looks like a question mark and is not flagged. Header cells and every imported column
    /// are checked; the first ``lostLetterWarningLimit`` cells are named, then a count.
    static func lettersLost(header: CSVRecord, rows: some Collection<CSVRecord>, columns: [Field: Int], path: String,
                            batch: inout ImportBatch) {
        var found: [String] = []
        var total = 0
        func check(_ cell: String, line: Int, column: String) {
            guard cell.contains("?"), questionMarkForLetter(in: cell) else { return }
            total += 1
            if found.count < lostLetterWarningLimit {
                found.append("\(path):\(line): \(column): '?' stands where letters were: «\(CivicError.excerpt(cell))»")
            }
        }
        for (k, title) in header.fields.enumerated() {
            check(title.trimmingSpaces, line: header.line, column: "header of column \(k + 1)")
        }
        let imported = columns.filter { $0.key != .exportOnly }.values.sorted()
        for row in rows {
            for k in imported where k < row.fields.count {
                check(row.fields[k].trimmingSpaces, line: row.line, column: "column «\(header.fields[k].trimmingSpaces)»")
            }
        }
        guard total > 0 else { return }
        batch.warnings += found
        if total > found.count {
            batch.warnings.append("\(path): … and \(total - found.count) more cells with '?' where letters were")
        }
        batch.hints.append("Windows-1251 has no Kazakh letters (ә ғ қ ң ө ұ ү һ) and Excel writes '?' for them: "
                           + "save the sheet as \"CSV UTF-8\" (Excel) or Text CSV with UTF-8 (LibreOffice) "
                           + "and import it without --encoding")
    }

    /// How many cells with a lost letter are named one by one.
    static let lostLetterWarningLimit = 10

    /// Whether a `?` in the text stands where a letter was: followed by a Cyrillic letter
    /// (`?аза?`), or between a Cyrillic letter and another letter (`Ша?ар`).
    static func questionMarkForLetter(in text: String) -> Bool {
        let characters = Array(text)
        for (k, ch) in characters.enumerated() where ch == "?" {
            let next = k + 1 < characters.count ? characters[k + 1] : nil
            let previous = k > 0 ? characters[k - 1] : nil
            if let next, isCyrillicLetter(next) { return true }
            if let previous, let next, isCyrillicLetter(previous), next.isLetter { return true }
        }
        return false
    }

    static func isCyrillicLetter(_ ch: Character) -> Bool {
        guard ch.isLetter, let scalar = ch.unicodeScalars.first else { return false }
        return (0x0400...0x04FF).contains(scalar.value)
    }

    /// Whether the header is that of civic's own export: it has the `id` and `geometry_type` columns,
    /// which no volunteer's sheet needs and ``EntityListing/csv(_:contacts:)`` always writes.
    static func isCivicExport(_ header: CSVRecord) -> Bool {
        let folded = Set(header.fields.map { fold($0.trimmingSpaces) })
        return folded.contains(fold("id")) && folded.contains(fold("geometry_type"))
    }

    /// The geometry of a row: its WKT when the cell is filled, else the point at latitude and
    /// longitude. When both are given they must agree (the point, or the centre of the area's
    /// bounding box as civic's export writes it), so a point moved in one and not the other is
    /// refused rather than guessed.
    static func rowGeometry(wkt: String?, lat latCell: String?, lon lonCell: String?,
                            delimiter: Character) throws(RowFault) -> Geometry {
        if let wkt {
            let geometry: Geometry
            do {
                geometry = try WKT.geometry(wkt)
            } catch {
                throw RowFault(reason: "geometry_wkt: \(error)", hint: "POINT (lon lat), POLYGON ((lon lat, …)) or MULTIPOLYGON (((…)))")
            }
            if latCell != nil || lonCell != nil, let anchor = geometry.anchor {
                let lat = try number(latCell, what: "latitude", delimiter: delimiter)
                let lon = try number(lonCell, what: "longitude", delimiter: delimiter)
                // Both were written at 7 decimals; 1e-6° is about 10 cm.
                if abs(lat - anchor.y) > 1e-6 || abs(lon - anchor.x) > 1e-6 {
                    throw RowFault(reason: "lat/lon \(latCell ?? "") \(lonCell ?? "") is not where geometry_wkt puts the entity (\(JSONNumber.format(anchor.y, decimals: 7)) \(JSONNumber.format(anchor.x, decimals: 7)))",
                                   hint: "edit one of them: empty the geometry_wkt cell to place a point by lat/lon")
                }
            }
            return geometry
        }
        let lat = try number(latCell, what: "latitude", delimiter: delimiter)
        let lon = try number(lonCell, what: "longitude", delimiter: delimiter)
        if !(-90...90).contains(lat) || !(-180...180).contains(lon) {
            let swapped = (-90...90).contains(lon) && (-180...180).contains(lat)
            throw RowFault(reason: !(-90...90).contains(lat) ? "latitude \(latCell ?? "") is outside -90…90"
                                                             : "longitude \(lonCell ?? "") is outside -180…180",
                           hint: swapped ? "latitude and longitude look swapped: swap the two cells" : nil)
        }
        return .point(Position(lon: lon, lat: lat))
    }

    /// The column of each field; refuses a duplicated header and a missing name or coordinate column.
    /// With `keepUnknown` (civic's own export), unknown columns are the entities' kept properties,
    /// returned in `kept` by header; otherwise they are named in a warning.
    static func columnMap(_ header: CSVRecord, delimiter: Character, file: String, options: SpreadsheetOptions,
                          keepUnknown: Bool = false, kept: inout [(key: String, index: Int)],
                          warnings: inout [String]) throws(CivicError) -> [Field: Int] {
        var columns: [Field: Int] = [:]
        var seen: [String: Int] = [:]
        var unknown: [String] = []
        for (k, raw) in header.fields.enumerated() {
            let title = raw.trimmingSpaces
            if title.isEmpty { continue }
            let folded = fold(title)
            if let first = seen[folded] {
                throw CivicError.invalid(file: file, line: header.line, place: "header", field: title,
                                         reason: "columns \(first + 1) and \(k + 1) have the same header",
                                         hint: "rename or remove one of them")
            }
            seen[folded] = k
            guard let field = headers[folded] else {
                if keepUnknown { kept.append((title, k)) } else { unknown.append("«\(title)»") }
                continue
            }
            if field == .exportOnly { continue }
            if let first = columns[field] {
                throw CivicError.invalid(
                    file: file, line: header.line, place: "header", field: title,
                    reason: "columns \(first + 1) («\(header.fields[first].trimmingSpaces)») and \(k + 1) («\(title)») are both the \(field.rawValue)",
                    hint: "rename or remove one of them")
            }
            columns[field] = k
        }
        if !unknown.isEmpty {
            warnings.append("\(file): column\(unknown.count == 1 ? "" : "s") not imported: " + unknown.joined(separator: ", "))
        }
        let found = header.fields.map { "«\($0.trimmingSpaces)»" }.joined(separator: ", ")
        let delimiterName = delimiter == "\t" ? "tab" : "'\(delimiter)'"
        var required: [(Field, String)] = [(.name, "name (название)")]
        if columns[.geometryWKT] == nil {
            required += [(.latitude, "latitude (широта)"), (.longitude, "longitude (долгота)")]
        }
        for (field, title) in required where columns[field] == nil {
            throw CivicError.invalid(
                file: file, line: header.line, place: "header",
                reason: "no \(title) column; the header has \(found) (delimiter \(delimiterName))",
                hint: header.fields.count == 1 ? "is the delimiter right? pass --delimiter ';' or --delimiter tab"
                                               : "name the column in English or Russian, e.g. name, lat, lon")
        }
        if columns[.kind] == nil && options.defaultKind == nil {
            throw CivicError.invalid(file: file, line: header.line, place: "header",
                                     reason: "no kind (тип) column", hint: "add one, or give every row a kind with --kind")
        }
        if columns[.themes] == nil && options.defaultThemes.isEmpty {
            throw CivicError.invalid(file: file, line: header.line, place: "header",
                                     reason: "no themes (темы) column", hint: "add one, or give every row themes with --theme")
        }
        return columns
    }

    struct RowFault: Error {
        var reason: String
        var hint: String?
    }

    /// A coordinate cell: `49.9512`, or `49,9512` when the delimiter is not a comma; a trailing `°` is allowed.
    static func number(_ cell: String?, what: String, delimiter: Character) throws(RowFault) -> Double {
        guard let cell else { throw RowFault(reason: "the \(what) is empty") }
        // A plain number (digits, sign, point or comma) needs no walk over its Characters.
        let plain = cell.utf8.allSatisfy { (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2C || $0 == 0x2D || $0 == 0x2B }
        var text = plain ? cell : cell.filter { !$0.isWhitespace && $0 != "\u{00A0}" }
        if text.hasSuffix("°") { text.removeLast() }
        if delimiter != ",", !text.utf8.contains(0x2E), text.utf8.count(where: { $0 == 0x2C }) == 1 {
            text = text.replacingComma()
        }
        guard let value = Double(text), value.isFinite, text.utf8.allSatisfy({ $0 < 0x80 }) else {
            let hint = delimiter == "," && cell.contains(",")
                ? "in a comma-delimited file a coordinate uses a decimal point: 49.9512" : "expected a decimal number such as 49.9512"
            throw RowFault(reason: "\(what) '\(cell)' is not a number", hint: hint)
        }
        return value
    }

    static func splitThemes(_ cell: String, delimiter: Character) -> [String] {
        let separators: Set<Character> = delimiter == "," ? [";", "|"] : [";", "|", ","]
        return cell.split(whereSeparator: { separators.contains($0) || $0 == "\n" })
            .map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty }
    }

    /// `true`/`false` as civic's export writes them, and the yes/no words of ``parseStatus(_:)``.
    static func parseFlag(_ cell: String) -> Bool? {
        switch fold(cell) {
        case "true", "yes", "да", "иә", "1": true
        case "false", "no", "нет", "жоқ", "0": false
        default: nil
        }
    }

    static func parseStatus(_ cell: String) -> EntityStatus? {
        switch fold(cell) {
        case "active", "активна", "активно", "активный", "активная", "действует", "да", "yes", "белсенді":
            return .active
        case "inactive", "неактивна", "неактивно", "неактивный", "неактивная", "недействует", "закрыто", "закрыта",
             "нет", "no", "белсендіемес":
            return .inactive
        default:
            return nil
        }
    }

    /// Civic's CSV export (and many Excel users) put `'` before a cell starting with = + - @ so that
    /// it is not run as a formula; the import takes it off again: `'+7 777 …` is `+7 777 …`.
    static func unescapeFormula(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@".contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    /// Lower-case letters and digits only, `ё` as `е`.
    static func fold(_ text: String) -> String {
        String(text.lowercased().map { $0 == "ё" ? "е" : $0 }.filter { $0.isLetter || $0.isNumber })
    }

    /// The file name that sources are made of: `stdin` for `-` and `/dev/stdin`, `pipe` for a
    /// shell's `<(…)` (`/dev/fd/63`), whose number means nothing the next time.
    static func lastPathComponent(_ path: String) -> String {
        if path == "-" || path == "/dev/stdin" { return "stdin" }
        if path.hasPrefix("/dev/fd/") || path.hasPrefix("/proc/self/fd/") { return "pipe" }
        return path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }

    fileprivate func replacingComma() -> String { String(decoding: utf8.map { $0 == 0x2C ? 0x2E : $0 }, as: UTF8.self) }
}
