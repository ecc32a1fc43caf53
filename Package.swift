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
        .executableTarget(
            name: "civic",
            dependencies: [
                "CivicCore", "CivicStore", "GeoEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GeoEngineTests", dependencies: ["GeoEngine"]),
        .testTarget(
            name: "CivicCoreTests",
            dependencies: ["CivicCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CivicStoreTests", dependencies: ["CivicStore"]),
        .testTarget(
            name: "CivicCLITests",
            dependencies: ["CivicCore", "CivicStore"]
        ),
    ]
)
