import CivicCore

extension OSMImport {
    /// Reads the OSM file at `path` (`-` for stdin) in any format civic reads, told by its first
    /// bytes rather than its name: OSM XML and Overpass JSON (``read(_:path:)``), and XML
    /// compressed with gzip or bzip2. `displayName` names the file in messages.
    public static func read(fileAt path: String, displayName: String) throws(CivicError) -> OSMExtract {
        try read(try InputFile.bytes(atPath: path), path: displayName)
    }
}
