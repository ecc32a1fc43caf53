import CivicCore
import GeoValues
import Testing

@Suite("concerns: the model and its files")
struct ConcernModelTests {
    static let concerns = [
        Concern(id: 1, theme: "lighting", source: "Приёмная акима", status: .open, received: "2026-03-05",
                district: "center", point: Position(lon: 82.6101234, lat: 49.9512345)),
        Concern(id: 7, theme: "heating", source: "горячая линия \"109\"\n", status: .resolved, received: "2026-02-28",
                resolved: "2026-03-01", district: "ulbinsky"),
        Concern(id: 12, theme: "roads", source: "survey", status: .open, received: "2026-03-06",
                point: Position(lon: 82.6, lat: 49.95)),
    ]

    @Test func theFastWriterWritesWhatTheGeoJSONWriterWrites() {
        let generic = Array(GeoJSONWriter.featureCollection(Self.concerns.map(\.feature), onePerLine: true).utf8)
        #expect(Concern.collectionBytes(Self.concerns) == generic)
        #expect(Concern.collectionBytes([]) == Array(GeoJSONWriter.featureCollection([], onePerLine: true).utf8))
    }

    @Test func thePrivateFileIsThePrettyJSONOfItsEntries() {
        let entries: [Int: ConcernPrivate] = [
            12: ConcernPrivate(text: "Яма \"на\" дороге\nи лужа", reporter: "Ким О.", ref: "1028"),
            1: ConcernPrivate(phone: "+7 777 123 45 67", email: "a@b.kz"),
            5: ConcernPrivate(),
        ]
        var object = JSONObject()
        for id in [1, 12] { object[String(id)] = entries[id]?.json }
        #expect(ConcernPrivate.fileBytes(entries) == Array((JSON.serialize(.object(object), pretty: true) + "\n").utf8))
        #expect(ConcernPrivate.fileBytes([:]) == Array("{}\n".utf8))
    }

    @Test func aFeatureReadsBackAsTheSameConcern() throws {
        for (i, concern) in Self.concerns.enumerated() {
            #expect(try Concern(feature: concern.feature, index: i, file: "concerns.geojson") == concern)
        }
    }

    @Test func daysBetweenDates() throws {
        let a = try #require(CivilDate("28.02.2026")), b = try #require(CivilDate("2026-03-01"))
        #expect(a.days(to: b) == 1 && CivilDate("1970-01-01")?.dayNumber == 0)
        #expect(try #require(CivilDate("2024-02-28")).days(to: try #require(CivilDate("2024-03-01"))) == 2, "a leap year")
    }
}
