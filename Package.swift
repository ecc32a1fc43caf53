// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "civic",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "civic", targets: ["civic"]),
        .library(name: "CivicCore", targets: ["CivicCore"]),
        .library(name: "CivicStore", targets: ["CivicStore"]),
        .library(name: "GeoValues", targets: ["GeoValues"]),
        .library(name: "GeoEngine", targets: ["GeoEngine"]),
        .library(name: "CivicRules", targets: ["CivicRules"]),
        .library(name: "CivicAnalysis", targets: ["CivicAnalysis"]),
        .library(name: "CivicImport", targets: ["CivicImport"]),
        .library(name: "CivicRender", targets: ["CivicRender"]),
        .library(name: "CivicGeoPackage", targets: ["CivicGeoPackage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // C stays in these two system-library targets; only GeoEngine imports them.
        .systemLibrary(
            name: "CGEOS",
            pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"])]
        ),
        .systemLibrary(
            name: "CPROJ",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        // SQLite for GeoPackage output; only CivicGeoPackage imports it (why not GRDB: see GeoPackage.swift).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // zlib (OSM PBF blobs, .osm.gz) and libbz2 (.osm.bz2); only CivicImport imports them. Debian's
        // libbz2-dev ships no pkg-config file, so CBzip2 names its library in its module map.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CBzip2",
            providers: [.apt(["libbz2-dev"])]
        ),
        // Plain values and ring math: no C, so the model can be read without GEOS.
        .target(name: "GeoValues", linkerSettings: [.linkedLibrary("m")]),
        .target(
            name: "GeoEngine",
            dependencies: ["GeoValues", "CGEOS", "CPROJ"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(name: "CivicCore", dependencies: ["GeoValues"]),
        // The rules that need geometry: validity, district lookup, near-duplicates, swapped coordinates.
        .target(name: "CivicRules", dependencies: ["CivicCore", "GeoValues", "GeoEngine"]),
        .target(name: "CivicStore", dependencies: ["CivicCore", "CivicRules", "GeoValues"]),
        .target(name: "CivicImport", dependencies: ["CivicCore", "CivicRules", "CivicStore", "GeoValues", "CZlib", "CBzip2"]),
        // Builds its own request from a dataset (through CivicStore's one reader) or loose files.
        .target(name: "CivicAnalysis", dependencies: ["CivicCore", "CivicRules", "CivicStore", "GeoValues", "GeoEngine"]),
        .target(name: "CivicRender", dependencies: ["CivicCore", "CivicAnalysis", "GeoValues", "GeoEngine"]),
        // GeoPackage files for QGIS: layers, spatial indexes and default styles.
        .target(name: "CivicGeoPackage", dependencies: ["CivicCore", "GeoValues", "CSQLite"]),
        .executableTarget(
            name: "civic",
            dependencies: [
                "GeoValues", "GeoEngine", "CivicCore", "CivicRules", "CivicStore", "CivicImport", "CivicAnalysis",
                "CivicRender", "CivicGeoPackage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The library used directly, as a planner's script would; run by the CLI tests so it never rots.
        .executableTarget(
            name: "venues-by-theme",
            dependencies: ["CivicCore", "CivicStore", "GeoValues"],
            path: "examples/VenuesByTheme"
        ),
        // Temporary folders, a seeded random source, running the built programs and reading the SVG and
        // HTML they write, for every test target.
        .target(name: "CivicTestSupport", path: "Tests/CivicTestSupport"),
        .testTarget(name: "GeoValuesTests", dependencies: ["GeoValues"]),
        .testTarget(name: "GeoEngineTests", dependencies: ["GeoEngine", "GeoValues"]),
        .testTarget(
            name: "CivicCoreTests",
            dependencies: ["CivicCore", "GeoValues", "CivicTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CivicRulesTests",
            dependencies: ["CivicRules", "CivicCore", "GeoValues", "CivicTestSupport"]
        ),
        .testTarget(name: "CivicStoreTests", dependencies: ["CivicStore", "GeoValues", "CivicTestSupport"]),
        .testTarget(name: "CivicImportTests", dependencies: ["CivicImport", "CivicRules", "GeoValues", "CivicTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CivicAnalysisTests", dependencies: ["CivicAnalysis", "CivicStore", "GeoValues", "CivicTestSupport"]),
        .testTarget(name: "CivicGeoPackageTests", dependencies: ["CivicGeoPackage", "CivicCore", "GeoValues", "CivicTestSupport"]),
        .testTarget(name: "CivicRenderTests", dependencies: ["CivicRender", "GeoValues", "CivicTestSupport"]),
        // Every test that runs the built `civic` lives here; depending on it makes `swift test` build it.
        .testTarget(
            name: "CivicCLITests",
            dependencies: ["CivicCore", "CivicStore", "CivicAnalysis", "GeoValues", "CivicTestSupport", "civic",
                           "venues-by-theme"],
            // The CLI tests hand these files to the built binary by path; they are not resources.
            exclude: ["Fixtures"]
        ),
    ]
)
