import GeoEngine
import GeoValues
import Testing

@Suite("PROJ transforms")
struct TransformTests {
    @Test("Oskemen (82.6°E, 49.95°N) in EPSG:32644 matches cs2cs")
    func oskemenUTM() throws {
        let toUTM = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let result = try toUTM.forward([Position(lon: 82.6, lat: 49.95)])
        // Independently, with PROJ 9.1.1's command-line tool (lat/lon order for EPSG:4326):
        //   echo "49.95 82.6" | cs2cs -f "%.6f" EPSG:4326 EPSG:32644
        //   614783.649834	5534298.470979 0.000000
        let expected = Position(x: 614_783.649834, y: 5_534_298.470979)
        #expect(result.count == 1)
        #expect(abs(result[0].x - expected.x) < 1e-5 && abs(result[0].y - expected.y) < 1e-5,
                "\(result[0]) vs \(expected)")
    }

    @Test("a southern point (Santiago) in EPSG:32719 matches cs2cs")
    func southernUTM() throws {
        let toUTM = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32719")
        let result = try toUTM.forward([Position(lon: -70.65, lat: -33.45)])
        //   echo "-33.45 -70.65" | cs2cs -f "%.6f" EPSG:4326 EPSG:32719
        //   346642.694999	6297606.832481 0.000000
        #expect(abs(result[0].x - 346_642.694999) < 1e-5 && abs(result[0].y - 6_297_606.832481) < 1e-5,
                "\(result[0])")
    }

    @Test("forward then inverse returns the input to 1e-9 degrees")
    func roundTrip() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        var grid: [Position] = []
        for i in 0..<50 {
            for j in 0..<40 {
                grid.append(Position(lon: 82.3 + Double(i) * 0.012, lat: 49.8 + Double(j) * 0.009))
            }
        }
        let back = try transform.inverse(transform.forward(grid))
        #expect(back.count == grid.count)
        let worst = zip(grid, back).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
        #expect(worst < 1e-9, "worst difference \(worst)°")
        #expect(try transform.forward([Position]()) == [])
    }

    @Test("many geometries in one call come back each as it would alone, in order")
    func batchOfGeometries() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let square = Polygon(outerRing: [Position(x: 82.60, y: 49.94), Position(x: 82.61, y: 49.94),
                                         Position(x: 82.61, y: 49.95), Position(x: 82.60, y: 49.94)],
                             innerRings: [])
        let geometries: [Geometry] = [.point(Position(x: 82.6, y: 49.95)), .polygon(square),
                                      .multiPoint([Position(x: 82.7, y: 50.0), Position(x: 82.5, y: 49.9)])]
        let together = try transform.forward(geometries)
        let alone = try geometries.map { try transform.forward($0) }
        #expect(together == alone)
        #expect(try transform.inverse(together).count == 3)
        #expect(try transform.forward([Geometry]()) == [])
    }

    @Test("a geometry is transformed position by position, keeping its structure")
    func geometryTransform() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let district = Geometry.multiPolygon([
            Polygon(outerRing: squareRing(x: 82.60, y: 49.95, side: 0.01),
                    innerRings: [Array(squareRing(x: 82.603, y: 49.953, side: 0.002).reversed())]),
            Polygon(outerRing: squareRing(x: 82.62, y: 49.95, side: 0.01)),
        ])
        let projected = try transform.forward(district)
        #expect(projected.allPositions == (try transform.forward(district.allPositions)))
        #expect(projected.polygons.count == 2)
        #expect(projected.polygons[0].innerRings.count == 1)
        #expect(projected.polygons[0].outerRing.first == projected.polygons[0].outerRing.last)
        let back = try transform.inverse(projected)
        for (a, b) in zip(back.allPositions, district.allPositions) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }

        // 0.01° × 0.01° at 49.95°N: about 1113 m × 717 m on the sphere; the ellipsoid agrees to < 1 %.
        let area = try GeometryContext().make(.polygon(projected.polygons[1])).area
        let spherical = Geodesy.distanceMetres(Position(lon: 82.62, lat: 49.95), Position(lon: 82.62, lat: 49.96))
            * Geodesy.distanceMetres(Position(lon: 82.62, lat: 49.955), Position(lon: 82.63, lat: 49.955))
        #expect(isClose(area, spherical, relative: 0.01), "\(area) vs \(spherical)")
    }

    @Test("an unknown CRS throws an error that says so")
    func unknownCRS() throws {
        let error = #expect(throws: GeoEngineError.self) {
            try CoordinateTransform(from: "EPSG:4326", to: "EPSG:999999")
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("PROJ create transformation EPSG:4326 → EPSG:999999 failed: "), "\(text)")
        #expect(text.contains("crs not found"), "\(text)")
    }

    @Test("a position PROJ cannot transform is named in the error")
    func failedPosition() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let error = #expect(throws: GeoEngineError.self) {
            try transform.forward([Position(lon: 82.6, lat: 49.95), Position(lon: 82.6, lat: 95)])
        }
        #expect(error?.messages.last == "position 1 (82.6, 95.0) could not be transformed",
                "\(String(describing: error))")
        // The transform is still usable afterwards.
        #expect(try transform.forward([Position(lon: 82.6, lat: 49.95)]).count == 1)
    }

    @Test("tasks with their own context and transform agree with a serial run")
    func taskGroup() async throws {
        let centres = (0..<8).map { Position(lon: 82.55 + Double($0) * 0.01, lat: 49.94 + Double($0 % 3) * 0.005) }

        /// Everything GEOS and PROJ is created inside: only Sendable values cross the task boundary.
        @Sendable func coveredArea(_ centre: Position) throws -> Double {
            let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
            let context = try GeometryContext()
            let district = try context.make(transform.forward(square(x: centre.x - 0.01, y: centre.y - 0.01, side: 0.02)))
            var reaches: [GeometryHandle] = []
            for p in try transform.forward([centre, Position(lon: centre.x + 0.004, lat: centre.y)]) {
                reaches.append(try context.point(p).buffer(500))
            }
            return try district.intersection(context.union(reaches)).area
        }

        let serial = try centres.map(coveredArea)
        let parallel = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for (i, centre) in centres.enumerated() {
                group.addTask { (i, try coveredArea(centre)) }
            }
            var results = [Double](repeating: 0, count: centres.count)
            for try await (i, area) in group { results[i] = area }
            return results
        }
        #expect(parallel == serial)
        // Two overlapping reaches well inside the district: more than one 64-gon, less than two.
        let a64 = regularPolygonArea(sides: 64, radius: 500)
        #expect(serial.allSatisfy { $0 > a64 && $0 < 2 * a64 }, "\(serial)")
    }
}
