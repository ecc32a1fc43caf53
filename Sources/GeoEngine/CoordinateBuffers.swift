import GeoValues

// Moving coordinates between Swift arrays and the C libraries without per-coordinate calls.

extension Position {
    /// True when `[Position]` is laid out as interleaved x, y doubles, so that an array can be handed
    /// to GEOS (`GEOSCoordSeq_copyFromBuffer_r`) as is. Swift does not promise struct layout, so this
    /// is checked rather than assumed; the fallback copies into a flat `[Double]`.
    static let isPackedXY: Bool =
        MemoryLayout<Position>.stride == 2 * MemoryLayout<Double>.stride
        && MemoryLayout<Position>.offset(of: \.x) == 0
        && MemoryLayout<Position>.offset(of: \.y) == MemoryLayout<Double>.stride
}

/// Calls `body` with the positions as interleaved x, y doubles (`2 * positions.count` of them).
func withInterleavedXY<R>(
    _ positions: [Position], _ body: (UnsafePointer<Double>?) throws -> R
) rethrows -> R {
    if Position.isPackedXY {
        return try positions.withUnsafeBufferPointer { typed in
            try typed.withMemoryRebound(to: Double.self) { doubles in
                // An empty array may have no base address; the C side reads nothing when size is 0.
                try body(doubles.baseAddress)
            }
        }
    }
    var flat: [Double] = []
    flat.reserveCapacity(positions.count * 2)
    for p in positions {
        flat.append(p.x)
        flat.append(p.y)
    }
    return try flat.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// Builds `count` positions by letting `fill` write interleaved x, y doubles.
func makePositions(
    count: Int, _ fill: (UnsafeMutablePointer<Double>) throws -> Void
) rethrows -> [Position] {
    guard count > 0 else { return [] }
    if Position.isPackedXY {
        return try [Position](unsafeUninitializedCapacity: count) { typed, initialized in
            try typed.withMemoryRebound(to: Double.self) { doubles in
                doubles.initialize(repeating: 0)
                try fill(doubles.baseAddress!)
            }
            initialized = count
        }
    }
    var flat = [Double](repeating: 0, count: count * 2)
    try flat.withUnsafeMutableBufferPointer { try fill($0.baseAddress!) }
    return (0..<count).map { Position(x: flat[2 * $0], y: flat[2 * $0 + 1]) }
}

extension Geometry {
    /// The same geometry with its positions replaced, in the order of `allPositions`.
    ///
    /// `positions` must hold exactly `allPositions.count` elements; this is how a whole geometry is
    /// transformed with one call over all its coordinates.
    func replacingPositions(with positions: ArraySlice<Position>) -> Geometry {
        var index = positions.startIndex
        func take(_ n: Int) -> [Position] {
            defer { index += n }
            return Array(positions[index..<index + n])
        }
        func rebuild(_ g: Geometry) -> Geometry {
            switch g {
            case .point:
                return .point(take(1)[0])
            case .multiPoint(let ps):
                return .multiPoint(take(ps.count))
            case .lineString(let ps):
                return .lineString(take(ps.count))
            case .multiLineString(let lines):
                return .multiLineString(lines.map { take($0.count) })
            case .polygon(let polygon):
                return .polygon(rebuild(polygon))
            case .multiPolygon(let polygons):
                return .multiPolygon(polygons.map(rebuild))
            case .geometryCollection(let parts):
                return .geometryCollection(parts.map(rebuild))
            }
        }
        func rebuild(_ polygon: Polygon) -> Polygon {
            let outer = take(polygon.outerRing.count)
            return Polygon(outerRing: outer, innerRings: polygon.innerRings.map { take($0.count) })
        }
        let result = rebuild(self)
        precondition(index == positions.endIndex, "replacingPositions: position count mismatch")
        return result
    }
}
