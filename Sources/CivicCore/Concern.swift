import GeoValues

/// One resident's appeal, survey answer or hotline call (DESIGN §2, §10): the public fields that
/// `concerns.geojson` holds. Its text and the reporter's name and contacts are private
/// (``ConcernPrivate``, in `private/concerns.json`).
///
/// ```swift
/// let concern = Concern(id: 7, theme: "lighting", source: "appeal", status: .open,
///                       received: "2026-03-05", point: Position(lon: 82.61, lat: 49.95))
/// ```
public struct Concern: Hashable, Sendable {
    /// Stable, assigned by civic, never reused.
    public var id: Int
    /// A theme id of the dataset's vocabulary.
    public var theme: String
    /// Where it came from: `appeal`, `survey`, `hotline`, … (free text).
    public var source: String
    public var status: ConcernStatus
    /// The day it was received, `YYYY-MM-DD`.
    public var received: String
    /// The day it was resolved, `YYYY-MM-DD`, when it was.
    public var resolved: String?
    /// The district id it belongs to: the one whose polygon holds the point, or the one named when
    /// there is no point.
    public var district: String?
    /// Where, when known; nil for a concern known only by its district.
    public var point: Position?

    public init(id: Int, theme: String, source: String, status: ConcernStatus, received: String,
                resolved: String? = nil, district: String? = nil, point: Position? = nil) {
        self.id = id
        self.theme = theme
        self.source = source
        self.status = status
        self.received = received
        self.resolved = resolved
        self.district = district
        self.point = point
    }

    /// The properties of a `concerns.geojson` feature, in the order they are written.
    public static let propertyOrder = ["theme", "source", "status", "received", "resolved", "district"]

    /// What `private/concerns.json` holds and `concerns.geojson` must never hold.
    public static let privateFields = ["text", "reporter", "phone", "email", "ref"]

    /// A concern from a feature of `concerns.geojson`; `index` is its place in the `features` array.
    /// Errors name the feature, its line and the field: `id` a positive integer, `theme`, `source`,
    /// `received` non-blank strings, `status` `open` or `resolved`, dates `YYYY-MM-DD` (a resolved
    /// date not before the received one), `district` a string, geometry a Point or null. A private
    /// field in the public file is an error.
    public init(feature: Feature, index: Int, file: String) throws(CivicError) {
        let fields = FeatureFields(feature: feature, index: index, file: file)
        guard case .number(let literal)? = feature.id, let id = Int(literal), id > 0 else {
            throw fields.fail("id", feature.id.map { "must be a positive integer, found \(FeatureFields.describe($0))" }
                ?? "missing: a concern needs a positive integer id")
        }
        for key in feature.properties.keys where Self.privateFields.contains(key) {
            throw fields.fail(key, "a private field in the public file",
                              hint: "a concern's text, reporter and contacts belong in private/concerns.json")
        }
        let statusText = try fields.requiredText("status")
        guard let status = ConcernStatus(rawValue: statusText) else {
            throw fields.fail("status", "must be open or resolved, found \"\(CivicError.excerpt(statusText))\"")
        }
        let received = try fields.requiredText("received")
        // The file holds the one form civic writes; 05.03.2026 is for spreadsheets and the command line.
        guard CivilDate(received)?.description == received else {
            throw fields.fail("received", "must be a date such as 2026-03-05, found \"\(CivicError.excerpt(received))\"")
        }
        let resolved = try fields.optionalText("resolved")
        if let resolved {
            guard let day = CivilDate(resolved), day.description == resolved else {
                throw fields.fail("resolved", "must be a date such as 2026-03-05, found \"\(CivicError.excerpt(resolved))\"")
            }
            if let start = CivilDate(received), day < start {
                throw fields.fail("resolved", "\(resolved) is before the day it was received (\(received))")
            }
        }
        var point: Position?
        switch feature.geometry {
        case nil: point = nil
        case .point(let p)?: point = p
        case let geometry?:
            throw fields.fail("geometry", "is a \(geometry.typeName); a concern is a Point, or null when only its district is known")
        }
        let district = try fields.optionalText("district")
        if point == nil && district == nil {
            throw fields.fail("geometry", "a concern without a point needs a district")
        }
        self.init(id: id, theme: try fields.requiredText("theme"), source: try fields.requiredText("source"),
                  status: status, received: received, resolved: resolved, district: district, point: point)
    }

    /// The feature as `concerns.geojson` holds it: a number id, properties in ``propertyOrder``
    /// (nil ones left out), a Point or a null geometry.
    public var feature: Feature {
        var properties = JSONObject()
        properties["theme"] = .string(theme)
        properties["source"] = .string(source)
        properties["status"] = .string(status.rawValue)
        properties["received"] = .string(received)
        if let resolved { properties["resolved"] = .string(resolved) }
        if let district { properties["district"] = .string(district) }
        return Feature(id: .number(id), properties: properties, geometry: point.map(Geometry.point))
    }
}

/// Whether anything has been done about a concern.
public enum ConcernStatus: String, Hashable, Sendable, CaseIterable {
    case open, resolved
}

/// A concern's private fields (DESIGN §10), by concern id in `private/concerns.json`: what the
/// resident wrote, who they are and how to reach them, and the row id of the register it came from
/// (`ref`, the «номер» of a reception office's export), which re-imports match on. A register's
/// number leads back to the person in the office's own files, so it is private too.
public struct ConcernPrivate: Hashable, Sendable {
    public var text: String?
    public var reporter: String?
    public var phone: String?
    public var email: String?
    /// The source row id, as `<file name>#<row id>`.
    public var ref: String?

    /// Empty strings count as absent.
    public init(text: String? = nil, reporter: String? = nil, phone: String? = nil, email: String? = nil,
                ref: String? = nil) {
        func given(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        self.text = given(text)
        self.reporter = given(reporter)
        self.phone = given(phone)
        self.email = given(email)
        self.ref = given(ref)
    }

    public var isEmpty: Bool { text == nil && reporter == nil && phone == nil && email == nil && ref == nil }

    /// One concern's entry of `private/concerns.json`: an object of string fields (or null).
    public init(json: JSONValue, file: String, place: String) throws(CivicError) {
        guard case .object(let object) = json else {
            throw CivicError.invalid(file: file, place: place, reason: "must be an object of private fields, found \(json.inMessage)")
        }
        func text(_ key: String) throws(CivicError) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s.isEmpty ? nil : s
            case .number(let n)?: return n
            case let value?:
                throw CivicError.invalid(file: file, place: place, field: key, reason: "must be a string, found \(value.inMessage)")
            }
        }
        self.init(text: try text("text"), reporter: try text("reporter"), phone: try text("phone"),
                  email: try text("email"), ref: try text("ref"))
    }

    /// The entry as `private/concerns.json` holds it: the fields that are set, in a fixed order.
    public var json: JSONValue {
        var object = JSONObject()
        let fields = [("ref", ref), ("text", text), ("reporter", reporter), ("phone", phone), ("email", email)]
        for case let (key, value?) in fields { object[key] = .string(value) }
        return .object(object)
    }
}

/// A calendar day, as spreadsheets write it: `2026-03-05` or `05.03.2026` (day first), compared and
/// subtracted as a count of days.
public struct CivilDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// `YYYY-MM-DD`, or `DD.MM.YYYY` (also `D.M.YYYY`, and `/` for `.`), spaces around allowed, a
    /// time of day after a space or `T` ignored; nil for anything else or a day the calendar does
    /// not have (2026-02-30).
    public init?(_ text: String) {
        // Bytes, not Characters: an import of 100,000 concerns reads 200,000 dates.
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        // A register's date-time cell (`05.03.2026 14:30`, `2026-03-05T14:30:00`): the day as written.
        if let gap = bytes.firstIndex(where: { $0 == 0x20 || $0 == 0x54 }) {
            guard Self.isTimeOfDay(bytes[bytes.index(after: gap)...].drop { $0 == 0x20 }) else { return nil }
            bytes = bytes[..<gap]
        }
        var parts: [(value: Int, digits: Int)] = [(0, 0)]
        var separator: UInt8?
        for b in bytes {
            if (0x30...0x39).contains(b) {
                parts[parts.count - 1].value = parts[parts.count - 1].value * 10 + Int(b - 0x30)
                parts[parts.count - 1].digits += 1
                guard parts[parts.count - 1].digits <= 4 else { return nil }
            } else if b == 0x2D || b == 0x2E || b == 0x2F {
                // One kind of separator: `-` for the ISO form; `.` or `/` for day first.
                guard separator == nil || separator == b || (separator != 0x2D && b != 0x2D), parts.count < 3 else { return nil }
                separator = b
                parts.append((0, 0))
            } else {
                return nil
            }
        }
        guard parts.count == 3, let separator else { return nil }
        let y: Int, m: Int, d: Int
        if separator == 0x2D {
            guard parts[0].digits == 4, parts[1].digits == 2, parts[2].digits == 2 else { return nil }
            (y, m, d) = (parts[0].value, parts[1].value, parts[2].value)
        } else {
            guard parts[2].digits == 4, (1...2).contains(parts[0].digits), (1...2).contains(parts[1].digits) else { return nil }
            (y, m, d) = (parts[2].value, parts[1].value, parts[0].value)
        }
        guard (1900...2999).contains(y), (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y) else { return nil }
        year = y
        month = m
        day = d
    }

    /// `H:MM` or `HH:MM:SS`, a time of day (0:00 to 23:59:59).
    private static func isTimeOfDay(_ bytes: ArraySlice<UInt8>) -> Bool {
        let fields = bytes.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count),
              fields.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy { (0x30...0x39).contains($0) } }) else { return false }
        let values = fields.map { $0.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        return values[0] <= 23 && fields.dropFirst().allSatisfy { $0.count == 2 } && values.dropFirst().allSatisfy { $0 <= 59 }
    }

    private init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2026-03-05`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        // Civil date from a day number (H. Hinnant's civil_from_days), the inverse of dayNumber.
        let z = dayNumber + days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return CivilDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Whole days from `self` to `other`.
    public func days(to other: CivilDate) -> Int { other.dayNumber - dayNumber }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Concern {
    /// `concerns.geojson` as bytes: the FeatureCollection ``GeoJSONWriter`` writes for the
    /// concerns' ``feature``s, one per line, byte for byte, without building a `Feature` per concern
    /// (an import of 100,000 concerns writes them all).
    public static func collectionBytes(_ concerns: [Concern]) -> [UInt8] {
        var writer = JSONTextWriter(reservingCapacity: 64 + concerns.count * 190)
        writer.raw("{\"type\":\"FeatureCollection\",\"features\":[")
        for (i, concern) in concerns.enumerated() {
            if i > 0 { writer.byte(JSONByte.comma) }
            writer.byte(JSONByte.newline)
            writer.raw("{\"type\":\"Feature\",\"id\":")
            writer.raw(String(concern.id))
            writer.raw(",\"properties\":{\"theme\":")
            writer.string(concern.theme)
            writer.raw(",\"source\":")
            writer.string(concern.source)
            writer.raw(",\"status\":")
            writer.string(concern.status.rawValue)
            writer.raw(",\"received\":")
            writer.string(concern.received)
            if let resolved = concern.resolved {
                writer.raw(",\"resolved\":")
                writer.string(resolved)
            }
            if let district = concern.district {
                writer.raw(",\"district\":")
                writer.string(district)
            }
            writer.raw("},\"geometry\":")
            if let point = concern.point {
                GeoJSONWriter.write(.point(point), to: &writer)
            } else {
                writer.raw("null")
            }
            writer.byte(JSONByte.closeBrace)
        }
        writer.byte(JSONByte.newline)
        writer.raw("]}\n")
        return writer.bytes
    }
}

extension ConcernPrivate {
    /// `private/concerns.json` as bytes: what ``JSON/serialize(_:pretty:)`` writes for an object
    /// keyed by id (in id order) of each non-empty entry's ``json``, byte for byte, followed by a
    /// newline, without building the 100,000-member object.
    public static func fileBytes(_ entries: [Int: ConcernPrivate]) -> [UInt8] {
        var writer = JSONTextWriter(reservingCapacity: 16 + entries.count * 64)
        var first = true
        for id in entries.keys.sorted() {
            guard let entry = entries[id], !entry.isEmpty else { continue }
            writer.raw(first ? "{\n  " : ",\n  ")
            first = false
            writer.string(String(id))
            writer.raw(": ")
            writer.write(entry.json, pretty: true, indent: 2)
        }
        writer.raw(first ? "{}\n" : "\n}\n")
        return writer.bytes
    }
}
