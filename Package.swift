// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "civic",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "civic", targets: ["civic"]),
        .library(name: "CivicCore", targets: ["CivicCore"]),
        .library(name: "CivicStore", targets: ["CivicStore"]),
        .library(name: "GeoEngine", targets: ["GeoEngine"]),
        .library(name: "CivicAnalysis", targets: ["CivicAnalysis"]),
        .library(name: "CivicImport", targets: ["CivicImport"]),
        .library(name: "CivicRender", targets: ["CivicRender"]),
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
        .target(
            name: "GeoEngine",
            dependencies: ["CGEOS", "CPROJ"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(name: "CivicCore", dependencies: ["GeoEngine"]),
        .target(name: "CivicStore", dependencies: ["CivicCore"]),
        .target(name: "CivicImport", dependencies: ["CivicCore", "CivicStore"]),
        .target(name: "CivicAnalysis", dependencies: ["CivicCore", "GeoEngine"]),
        .target(name: "CivicRender", dependencies: ["CivicCore", "CivicAnalysis", "GeoEngine"]),
        .executableTarget(
            name: "civic",
            dependencies: [
                "CivicCore", "CivicStore", "CivicImport", "CivicAnalysis", "CivicRender", "GeoEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The library used directly, as a planner's script would; run by the CLI tests so it never rots.
        .executableTarget(
            name: "venues-by-theme",
            dependencies: ["CivicCore", "CivicStore"],
            path: "examples/VenuesByTheme"
        ),
        // Temporary folders, a seeded random source, running the built programs and reading the SVG and
        // HTML they write, for every test target.
        .target(name: "CivicTestSupport", path: "Tests/CivicTestSupport"),
        .testTarget(name: "GeoEngineTests", dependencies: ["GeoEngine"]),
        .testTarget(
            name: "CivicCoreTests",
            dependencies: ["CivicCore", "CivicTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CivicStoreTests", dependencies: ["CivicStore", "CivicTestSupport"]),
        .testTarget(name: "CivicImportTests", dependencies: ["CivicImport", "CivicTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CivicAnalysisTests", dependencies: ["CivicAnalysis", "CivicTestSupport"]),
        .testTarget(name: "CivicRenderTests", dependencies: ["CivicRender", "CivicTestSupport"]),
        // Every test that runs the built `civic` lives here; depending on it makes `swift test` build it.
        .testTarget(
            name: "CivicCLITests",
            dependencies: ["CivicCore", "CivicStore", "CivicAnalysis", "GeoEngine", "CivicTestSupport", "civic",
                           "venues-by-theme"],
            // The CLI tests hand these files to the built binary by path; they are not resources.
            exclude: ["Fixtures"]
        ),
    ]
)
