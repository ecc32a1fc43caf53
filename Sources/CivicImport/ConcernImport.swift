import CivicCore
import CivicRules
import CivicStore
import GeoValues

/// A concern as a person or a register row states it: theme, district and dates as typed, not yet
/// checked. ``ConcernAdmission`` turns it into a ``Concern``.
public struct ConcernDraft: Sendable {
    /// A theme id or a label in ru/kk/en («освещение», «жарықтандыру», "street lighting").
    public var theme: String
    public var point: Position?
    /// A district id or name; with a point, the point decides and this must agree.
    public var district: String?
    /// `2026-03-05` or `05.03.2026`.
    public var received: String
    /// open/resolved, открыто/решено, ашық/шешілді; nil: resolved when ``resolved`` is set.
    public var status: String?
    public var resolved: String?
    public var source: String
    public var privateFields = ConcernPrivate()

    public init(theme: String, point: Position? = nil, district: String? = nil, received: String,
                status: String? = nil, resolved: String? = nil, source: String) {
        self.theme = theme
        self.point = point
        self.district = district
        self.received = received
        self.status = status
        self.resolved = resolved
        self.source = source
    }
}

/// The rules a new or re-imported concern must pass against a dataset: a theme of the
/// vocabulary, a point inside a district (boundary included) or a district that exists, dates that
/// are days of the calendar in order, a well-formed e-mail and phone.
///
/// Holds GEOS handles (``DistrictLocator``): not thread-safe.
public final class ConcernAdmission {
    private let info: DatasetInfo
    private let districts: [District]
    private let locator: DistrictLocator
    private let rules: EntityRules
    private var named: [String: DistrictLookup.Outcome] = [:]
    /// A register repeats a dozen themes and statuses 100,000 times: each is folded once.
    private var themes: [String: String?] = [:]
    private var statuses: [String: ConcernStatus?] = [:]

    /// The last day a concern may be dated: tomorrow (UTC), since a register kept at UTC+5 or +6
    /// is a day ahead of UTC for hours. A later day is a typo (2099 for 2026), and would count
    /// negative days to resolve or hide the concern from every `--since`.
    private let latest: CivilDate?

    /// Rules for the dataset in `state`; `today` (UTC, from the clock when nil) bounds the dates.
    public init(state: DatasetState, today: CivilDate? = nil) throws {
        latest = (today ?? CivilDate(String(Timestamp.now().prefix(10)))).map { $0.adding(days: 1) }
        info = state.info
        districts = state.districts
        locator = try DistrictLocator(districts: state.districts)
        rules = try EntityRules(info: state.info, districts: state.districts)
    }

    /// The concern `draft` describes, with `id`; throws the first rule it breaks.
    public func concern(_ draft: ConcernDraft, id: Int) throws -> Concern {
        if themes[draft.theme] == nil { themes[draft.theme] = .some(info.vocabulary.themeID(for: draft.theme)) }
        guard let theme = themes[draft.theme] ?? nil else {
            throw CivicError.refused(
                reason: "unknown theme '\(CivicError.excerpt(draft.theme))'",
                hint: "allowed themes: " + info.vocabulary.themes.map { "\($0.id) (\($0.label(info.language)))" }.joined(separator: ", "))
        }
        guard let received = CivilDate(draft.received) else {
            throw CivicError.refused(reason: "received date '\(CivicError.excerpt(draft.received))' is not a date",
                                     hint: "write it as 2026-03-05 or 05.03.2026 (day first)")
        }
        var resolved: CivilDate?
        if let text = draft.resolved {
            guard let day = CivilDate(text) else {
                throw CivicError.refused(reason: "resolved date '\(CivicError.excerpt(text))' is not a date",
                                         hint: "write it as 2026-03-05 or 05.03.2026 (day first)")
            }
            guard day >= received else {
                throw CivicError.refused(reason: "resolved date \(day) is before the received date \(received)")
            }
            resolved = day
        }
        for (name, day) in [("received", received), ("resolved", resolved)] {
            guard let day, let latest, day > latest else { continue }
            throw CivicError.refused(reason: "\(name) date \(day) is in the future (today is \(latest.adding(days: -1)), UTC)",
                                     hint: "a typo in the year? write the day the concern was \(name)")
        }
        var status: ConcernStatus = resolved == nil ? .open : .resolved
        if let text = draft.status {
            if statuses[text] == nil { statuses[text] = .some(Self.status(text)) }
            guard let parsed = statuses[text] ?? nil else {
                throw CivicError.refused(reason: "status '\(CivicError.excerpt(text))' is neither open nor resolved",
                                         hint: "open/resolved, открыто/решено, ашық/шешілді")
            }
            status = parsed
        }
        if status == .open, resolved != nil {
            throw CivicError.refused(reason: "the status is open but a resolved date is given",
                                     hint: "set the status to resolved, or leave the resolved date empty")
        }
        var district: String?
        if let text = draft.district {
            switch named[text] ?? DistrictLookup.find(text, in: districts) {
            case .found(let found):
                named[text] = .found(found)
                district = found.id
            case .ambiguous(let candidates):
                throw CivicError.refused(reason: "district '\(CivicError.excerpt(text))' names several districts",
                                         hint: "give its id: " + candidates.map(DistrictLookup.label).joined(separator: ", "))
            case .unknown:
                throw CivicError.refused(reason: "no district has the id or name '\(CivicError.excerpt(text))'",
                                         hint: "districts: " + districts.prefix(12).map(DistrictLookup.label).joined(separator: ", "))
            }
        }
        if let point = draft.point {
            try EntityRules.checkRange(lat: point.y, lon: point.x)
            let inside = try locator.districtIDs(of: .point(point))
            guard let first = inside.first else {
                let place = "lat \(JSONNumber.format(point.y)), lon \(JSONNumber.format(point.x))"
                if let placement = try rules.placement(of: point), placement.looksSwapped {
                    throw CivicError.refused(reason: "\(place) lies outside every district; latitude and longitude look swapped",
                                             hint: "swap the two values")
                }
                let far = try rules.placement(of: point).map { " (\(Int($0.distance.rounded())) m away)" } ?? ""
                throw CivicError.refused(reason: "\(place) lies outside every district\(far)",
                                         hint: "check the coordinates, or give only the district")
            }
            if let district, !inside.contains(district) {
                throw CivicError.refused(reason: "the point lies in district \(first), not in \(district)",
                                         hint: "check the coordinates, or leave the district out: the point decides it")
            }
            district = district ?? first
        }
        guard district != nil else {
            throw CivicError.refused(reason: "a concern needs a point (latitude and longitude) or a district")
        }
        if let email = draft.privateFields.email { try EntityRules.checkEmail(email) }
        if let phone = draft.privateFields.phone { try EntityRules.checkPhone(phone) }
        let source = draft.source.trimmingSpaces
        return Concern(id: id, theme: theme, source: source.isEmpty ? "appeal" : source, status: status,
                       received: received.description, resolved: resolved?.description, district: district,
                       point: draft.point)
    }

    /// A status as registers write it, in en/ru/kk; nil for anything else.
    public static func status(_ text: String) -> ConcernStatus? {
        switch SpreadsheetImport.fold(text) {
        case "open", "opened", "new", "pending", "inprogress", "открыто", "открыт", "открыта", "новое", "новая",
             "вработе", "нарассмотрении", "нерешено", "ашық", "қаралуда", "жаңа":
            return .open
        case "resolved", "closed", "done", "решено", "решен", "решена", "закрыто", "закрыт", "исполнено", "выполнено",
             "шешілді", "шешілген", "жабық", "орындалды":
            return .resolved
        default:
            return nil
        }
    }
}

/// One row of a register, ready to be admitted: where it is in the file, its register row id, and
/// the draft.
public struct ConcernRow: Sendable {
    /// `line 12`.
    public var line: Int
    /// The register's row id («номер»), or `<file>#<line>` without that column: re-imports match on it.
    public var ref: String
    public var draft: ConcernDraft
}

/// The rows of a register export, and the rows already known to be bad.
public struct ConcernBatch: Sendable {
    public var path: String
    public var rows: [ConcernRow] = []
    public var problems: [ImportProblem] = []
    public var warnings: [String] = []
}

/// What an import of concerns did (or, in a dry run, would do).
public struct ConcernImportReport: Sendable {
    /// One row's fate: `add`, `update` or `unchanged`, with the concern's id.
    public struct Step: Sendable {
        public var line: Int
        public var action: String
        public var id: Int
        public var theme: String
        public var district: String?
    }

    public var steps: [Step] = []
    public var problems: [ImportProblem] = []
    public var added: Int { steps.count { $0.action == "add" } }
    public var updated: Int { steps.count { $0.action == "update" } }
    public var unchanged: Int { steps.count { $0.action == "unchanged" } }
    /// True when rows were refused, so nothing was written.
    public var refused: Bool { !problems.isEmpty }

    /// `12 added, 3 updated, 25 unchanged`.
    public var summary: String { "\(added) added, \(updated) updated, \(unchanged) unchanged" }
}

/// `civic import concerns FILE.csv`: a register of appeals, a survey's answers or a hotline's log,
/// as Excel and LibreOffice export them (DESIGN §9, §10): UTF-8 or Windows-1251, `,` `;` or tab,
/// decimal commas, CRLF, blank lines and trailing empty columns, a header in Russian, Kazakh or
/// English:
///
/// | field | headers |
/// |---|---|
/// | ref (row id) | номер, №, id, number, нөмір |
/// | theme | тема, theme, тақырып |
/// | latitude, longitude | широта/lat/latitude/ендік, долгота/lon/longitude/бойлық |
/// | district | район, district, аудан |
/// | received | дата обращения, received, date, дата, дата поступления, өтініш күні, түскен күні |
/// | status | статус, status, күйі |
/// | resolved | дата решения, resolved, шешілген күні |
/// | source | источник, source, канал, көзі |
/// | private | текст/text/мәтін, ФИО/заявитель/reporter/аты-жөні, телефон/phone, e-mail/email/почта |
///
/// All or nothing: every bad row is named by its line and nothing is written. A row whose
/// register id is already in the dataset updates that concern (keeping its id), so importing the
/// same register again changes nothing.
public enum ConcernImport {
    enum Field: String {
        case ref, theme, latitude, longitude, district, received, status, resolved, source, text, reporter, phone, email
    }

    static let headers: [String: Field] = {
        let table: [(Field, [String])] = [
            (.ref, ["номер", "№", "n", "no", "id", "number", "row", "нөмір", "нөмірі", "рег. номер", "регистрационный номер"]),
            (.theme, ["тема", "theme", "тақырып", "тақырыбы", "themes", "темы"]),
            (.latitude, ["широта", "lat", "latitude", "ендік"]),
            (.longitude, ["долгота", "lon", "lng", "long", "longitude", "бойлық"]),
            (.district, ["район", "district", "аудан", "ауданы"]),
            (.received, ["дата обращения", "received", "date", "дата", "дата поступления", "өтініш күні", "түскен күні",
                         "received date", "date received"]),
            (.status, ["статус", "status", "күйі", "мәртебесі"]),
            (.resolved, ["дата решения", "resolved", "resolved date", "date resolved", "шешілген күні", "дата исполнения"]),
            (.source, ["источник", "source", "канал", "көзі", "дереккөз"]),
            (.text, ["текст", "text", "содержание", "суть обращения", "мәтін", "мәтіні"]),
            (.reporter, ["фио", "заявитель", "reporter", "name", "аты-жөні", "аты жөні", "өтініш беруші"]),
            (.phone, ["телефон", "phone", "тел", "tel"]),
            (.email, ["e-mail", "email", "почта", "эл. почта", "электронная почта", "электрондық пошта"]),
        ]
        var headers: [String: Field] = [:]
        for (field, names) in table {
            for name in names { headers[SpreadsheetImport.fold(name)] = field }
        }
        return headers
    }()

    /// Reads the rows of a register export; file-level faults throw, bad rows become problems
    /// with their line.
    public static func batch(_ bytes: [UInt8], path: String, encoding: TextEncoding = .utf8,
                             delimiter: Character? = nil) throws(CivicError) -> ConcernBatch {
        var batch = ConcernBatch(path: path)
        let fileName = SpreadsheetImport.lastPathComponent(path)
        let text = try TextDecoding.decode(bytes, as: encoding, file: path)
        let delimiter = delimiter ?? CSVReader.detectDelimiter(text)
        let records = try CSVReader.records(text, delimiter: delimiter, file: path)
        guard let headerIndex = records.firstIndex(where: { !$0.isBlank }) else {
            throw CivicError.invalid(file: path, place: "header", reason: "the file has no header row and no rows",
                                     hint: "the first row names the columns: номер, тема, широта, долгота, район, дата обращения, …")
        }
        let header = records[headerIndex]
        var columns: [Field: Int] = [:]
        var unknown: [String] = []
        for (k, raw) in header.fields.enumerated() {
            let title = raw.trimmingSpaces
            if title.isEmpty { continue }
            guard let field = headers[SpreadsheetImport.fold(title)] else {
                unknown.append("«\(title)»")
                continue
            }
            if let first = columns[field] {
                throw CivicError.invalid(file: path, line: header.line, place: "header", field: title,
                                         reason: "columns \(first + 1) and \(k + 1) are both the \(field.rawValue)",
                                         hint: "rename or remove one of them")
            }
            columns[field] = k
        }
        if !unknown.isEmpty {
            batch.warnings.append("\(path): column\(unknown.count == 1 ? "" : "s") not imported: " + unknown.joined(separator: ", "))
        }
        let found = header.fields.map { "«\($0.trimmingSpaces)»" }.joined(separator: ", ")
        for (field, title) in [(Field.theme, "theme (тема)"), (.received, "received date (дата обращения)")]
        where columns[field] == nil {
            throw CivicError.invalid(file: path, line: header.line, place: "header",
                                     reason: "no \(title) column; the header has \(found)",
                                     hint: header.fields.count == 1 ? "is the delimiter right? pass --delimiter ';'"
                                                                    : "name the columns in Russian, Kazakh or English")
        }
        if (columns[.latitude] == nil) != (columns[.longitude] == nil) {
            throw CivicError.invalid(file: path, line: header.line, place: "header",
                                     reason: "a latitude column needs a longitude column, and the other way round")
        }
        if columns[.latitude] == nil, columns[.district] == nil {
            throw CivicError.invalid(file: path, line: header.line, place: "header",
                                     reason: "no place: neither latitude and longitude (широта, долгота) nor district (район) columns")
        }
        if columns[.ref] == nil {
            batch.warnings.append("\(path): no row id column (номер): rows are matched by line, so a re-import of an edited file may add them again")
        }
        var seenRefs: [String: Int] = [:]
        for record in records[(headerIndex + 1)...] where !record.isBlank {
            func problem(_ reason: String, hint: String? = nil) {
                batch.problems.append(ImportProblem(file: path, place: "line \(record.line)", line: record.line,
                                                    reason: reason, hint: hint))
            }
            if record.fields.dropFirst(header.fields.count).contains(where: { !$0.trimmingSpaces.isEmpty }) {
                problem("\(record.fields.count) cells, but the header has \(header.fields.count)",
                        hint: "a cell with the delimiter in it must be in double quotes")
                continue
            }
            func cell(_ field: Field) -> String? {
                guard let k = columns[field], k < record.fields.count else { return nil }
                return SpreadsheetImport.unescapeFormula(record.fields[k].trimmingSpaces).nilIfEmpty
            }
            let ref = cell(.ref) ?? "\(fileName)#\(record.line)"
            if let first = seenRefs[ref] {
                problem("row id «\(CivicError.excerpt(ref))» is on line \(first) too", hint: "each row of a register has its own number")
                continue
            }
            seenRefs[ref] = record.line
            guard let theme = cell(.theme) else { problem("the theme is empty"); continue }
            guard let received = cell(.received) else { problem("the received date is empty"); continue }
            var point: Position?
            if cell(.latitude) != nil || cell(.longitude) != nil {
                do throws(SpreadsheetImport.RowFault) {
                    let lat = try SpreadsheetImport.number(cell(.latitude), what: "latitude", delimiter: delimiter)
                    let lon = try SpreadsheetImport.number(cell(.longitude), what: "longitude", delimiter: delimiter)
                    point = Position(lon: lon, lat: lat)
                } catch {
                    problem(error.reason, hint: error.hint)
                    continue
                }
            }
            var draft = ConcernDraft(theme: theme, point: point, district: cell(.district), received: received,
                                     status: cell(.status), resolved: cell(.resolved), source: cell(.source) ?? "appeal")
            draft.privateFields = ConcernPrivate(text: cell(.text), reporter: cell(.reporter), phone: cell(.phone),
                                                 email: cell(.email), ref: ref)
            batch.rows.append(ConcernRow(line: record.line, ref: ref, draft: draft))
        }
        return batch
    }

    /// Admits every row in one change of `dataset`: all or nothing. With `dryRun`, checks and
    /// reports the same way and writes nothing.
    public static func run(_ batch: ConcernBatch, into dataset: Dataset, dryRun: Bool) throws -> ConcernImportReport {
        var report = ConcernImportReport()
        report.problems = batch.problems
        struct DryRun: Error {}
        do {
            try dataset.update { state, journal in
                let admission = try ConcernAdmission(state: state)
                var byRef: [String: Int] = [:]
                for (id, entry) in state.concernPrivate { if let ref = entry.ref { byRef[ref] = id } }
                var positions: [Int: Int] = [:]
                for (k, concern) in state.concerns.enumerated() { positions[concern.id] = k }
                var added: [Int] = []
                var nextID = try dataset.nextConcernID(in: state)
                for row in batch.rows {
                    let existing = byRef[row.ref]
                    let concern: Concern
                    do {
                        concern = try admission.concern(row.draft, id: existing ?? nextID)
                    } catch let error as CivicError {
                        report.problems.append(ImportProblem(file: batch.path, place: "line \(row.line)", line: row.line,
                                                             reason: error.description, hint: error.hint))
                        continue
                    }
                    let step = { (action: String) in
                        report.steps.append(.init(line: row.line, action: action, id: concern.id, theme: concern.theme,
                                                  district: concern.district))
                    }
                    if let existing, let k = positions[existing] {
                        let changed = state.concerns[k] != concern || state.concernPrivate[existing] != row.draft.privateFields
                        if changed {
                            state.concerns[k] = concern
                            state.concernPrivate[existing] = row.draft.privateFields
                        }
                        step(changed ? "update" : "unchanged")
                    } else {
                        state.concerns.append(concern)
                        state.concernPrivate[concern.id] = row.draft.privateFields
                        added.append(concern.id)
                        nextID += 1
                        step("add")
                    }
                }
                report.problems.sort { ($0.line ?? 0) < ($1.line ?? 0) }
                if report.refused || dryRun { throw DryRun() }
                if !added.isEmpty || report.updated > 0 {
                    journal.append(ConcernJournal.entry(action: ConcernJournal.importAction, added: added,
                                                        updated: report.updated, name: SpreadsheetImport.lastPathComponent(batch.path),
                                                        time: Timestamp.now()))
                }
            }
        } catch is DryRun {
            return report
        }
        return report
    }
}
