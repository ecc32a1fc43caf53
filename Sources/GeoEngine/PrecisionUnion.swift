import CGEOS

// Added for CivicAnalysis (gaps): a union that snaps to a grid, so that pieces computed tile by tile,
// whose shared edges may differ in the last bit, merge into one polygon without hairline cracks.

extension GeometryHandle {
    /// The union of this geometry's parts (a collection or multi-geometry whose parts may overlap or
    /// share edges), computed with every coordinate rounded to a grid of `gridSize`
    /// (`GEOSUnaryUnionPrec_r`, OverlayNG with snap-rounding).
    ///
    /// ```swift
    /// // Two squares whose common edge differs by 1e-12 m become one square:
    /// let merged = try context.collection([left, right]).unaryUnion(gridSize: 1e-6)
    /// ```
    public func unaryUnion(gridSize: Double) throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try context.adopt(GEOSUnaryUnionPrec_r(context.handle, pointer, gridSize), "union on a grid")
    }
}
