/// A position: `x` is longitude (or easting), `y` is latitude (or northing).
///
/// The order is always x then y, as in RFC 7946 and in PROJ's normalised axis order;
/// nothing in civic ever stores latitude first.
public struct Position: Hashable, Sendable {
    /// Longitude in degrees, or easting in metres.
    public var x: Double
    /// Latitude in degrees, or northing in metres.
    public var y: Double

    /// A position from x (longitude or easting) and y (latitude or northing).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// A WGS84 position from longitude and latitude, named so the order cannot be mistaken.
    public init(lon: Double, lat: Double) {
        self.init(x: lon, y: lat)
    }
}

/// A polygon as RFC 7946 has it: one outer ring and any number of inner rings (holes).
/// Rings are closed: the first and last positions are equal.
public struct Polygon: Hashable, Sendable {
    /// The exterior ring, closed.
    public var outerRing: [Position]
    /// The holes, each a closed ring.
    public var innerRings: [[Position]]

    /// A polygon from its closed rings.
    public init(outerRing: [Position], innerRings: [[Position]] = []) {
        self.outerRing = outerRing
        self.innerRings = innerRings
    }

    /// All rings, the outer one first.
    public var rings: [[Position]] { [outerRing] + innerRings }
}

/// A geometry as plain values, free of any C handle: the model's currency between modules.
public indirect enum Geometry: Hashable, Sendable {
    case point(Position)
    case multiPoint([Position])
    case lineString([Position])
    case multiLineString([[Position]])
    case polygon(Polygon)
    case multiPolygon([Polygon])
    case geometryCollection([Geometry])

    /// The RFC 7946 type name.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// Every position of the geometry, in order.
    public var allPositions: [Position] {
        switch self {
        case .point(let p): [p]
        case .multiPoint(let ps), .lineString(let ps): ps
        case .multiLineString(let lines): lines.flatMap { $0 }
        case .polygon(let polygon): polygon.rings.flatMap { $0 }
        case .multiPolygon(let polygons): polygons.flatMap { $0.rings.flatMap { $0 } }
        case .geometryCollection(let parts): parts.flatMap(\.allPositions)
        }
    }

    /// The polygons of a Polygon or MultiPolygon; empty for every other type.
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let polygon): [polygon]
        case .multiPolygon(let polygons): polygons
        default: []
        }
    }

    /// The bounding box, or nil for a geometry without positions.
    public var boundingBox: BoundingBox? { BoundingBox(allPositions) }

    /// A representative position: the point itself, or the centre of the bounding box.
    public var anchor: Position? {
        if case .point(let p) = self { return p }
        return boundingBox?.center
    }
}

/// An axis-aligned rectangle.
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    /// A box from its bounds; `min` should not exceed `max`.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The box around the positions, or nil when there are none.
    public init?<S: Sequence>(_ positions: S) where S.Element == Position {
        var iterator = positions.makeIterator()
        guard let first = iterator.next() else { return nil }
        var box = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = iterator.next() { box.expand(to: p) }
        self = box
    }

    /// Grows the box to include `p`.
    public mutating func expand(to p: Position) {
        minX = Swift.min(minX, p.x)
        minY = Swift.min(minY, p.y)
        maxX = Swift.max(maxX, p.x)
        maxY = Swift.max(maxY, p.y)
    }

    /// The smallest box holding both boxes.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
                    maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }

    /// True when the boxes overlap or touch.
    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// True when `p` lies inside the box or on its edge.
    public func contains(_ p: Position) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }

    /// The box grown by `margin` on every side (in the coordinates' unit).
    public func expanded(by margin: Double) -> BoundingBox {
        BoundingBox(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    /// The middle of the box.
    public var center: Position { Position(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }
    /// maxX − minX.
    public var width: Double { maxX - minX }
    /// maxY − minY.
    public var height: Double { maxY - minY }
}
