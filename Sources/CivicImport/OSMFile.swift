import CBzip2
import CivicCore
import CZlib

extension OSMImport {
    /// Reads the OSM file at `path` (`-` for stdin) in any format civic reads, told by its first
    /// bytes rather than its name: OSM PBF (``OSMPBFReader``, block by block), OSM XML and
    /// Overpass JSON (``read(_:path:)``), and either compressed with gzip (`.osm.gz`) or bzip2
    /// (`.osm.bz2`), decompressed as it is read. `displayName` names the file in messages.
    public static func read(fileAt path: String, displayName: String) throws(CivicError) -> OSMExtract {
        let stream = try InputStream(path: path)
        let prefix = try stream.peek(16)
        if OSMPBFReader.looksLikePBF(prefix) { return try OSMPBFReader.read(stream, file: displayName) }
        if prefix.starts(with: [0x1F, 0x8B]) {
            return try read(try Decompression.gunzip(stream, file: displayName), path: displayName)
        }
        if prefix.starts(with: Array("BZh".utf8)) {
            return try read(try Decompression.bunzip2(stream, file: displayName), path: displayName)
        }
        return try read(try stream.read(upTo: Int.max), path: displayName)
    }
}

/// gzip and bzip2 streams decompressed as they are read, for `.osm.gz` and `.osm.bz2`: the
/// compressed file is never held whole. Concatenated members (pigz, pbzip2) are read one after
/// the other, as `gzip -d` and `bzip2 -d` do.
enum Decompression {
    /// More than this decoded is refused: the XML must fit in memory, and a small hostile file
    /// could otherwise expand without end.
    static let maxOutput = 4 << 30
    static let chunk = 1 << 20

    static func tooLarge(_ file: String) -> CivicError {
        .invalid(file: file, place: "file", reason: "decompresses to more than 4 GiB",
                 hint: "convert it to PBF, which civic reads block by block: osmium cat \(file) -o city.osm.pbf")
    }

    static func gunzip(_ stream: InputStream, file: String) throws(CivicError) -> [UInt8] {
        var z = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer around the deflate data. Returns Z_OK or an error code.
        guard inflateInit2_(&z, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CivicError.io(path: file, reason: "zlib cannot start (out of memory?)")
        }
        defer { inflateEnd(&z) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        var input = try stream.read(upTo: chunk)
        var finishedMember = false
        while true {
            if z.avail_in == 0 && input.isEmpty {
                guard finishedMember else {
                    throw CivicError.invalid(file: file, place: "byte \(stream.offset)", reason: "the gzip data ends before its end mark",
                                             hint: "the file is cut short: download it again")
                }
                return output
            }
            var status: Int32 = Z_OK
            input.withUnsafeMutableBufferPointer { source in
                z.next_in = source.baseAddress
                z.avail_in = uInt(source.count)
                repeat {
                    buffer.withUnsafeMutableBufferPointer { target in
                        z.next_out = target.baseAddress
                        z.avail_out = uInt(target.count)
                        // Z_OK while going, Z_STREAM_END at a member's end, Z_BUF_ERROR when it needs more input.
                        status = inflate(&z, Z_NO_FLUSH)
                        output.append(contentsOf: target[0..<(target.count - Int(z.avail_out))])
                    }
                    if status == Z_STREAM_END {
                        finishedMember = true
                        // Another member may follow (pigz, `cat a.gz b.gz`).
                        if z.avail_in > 0 { inflateReset(&z); status = Z_OK }
                    } else if status == Z_OK {
                        finishedMember = false
                    }
                } while status == Z_OK && (z.avail_in > 0 || z.avail_out == 0) && output.count <= maxOutput
                z.next_in = nil
            }
            if output.count > maxOutput { throw tooLarge(file) }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw CivicError.invalid(file: file, place: "near byte \(stream.offset)",
                                         reason: "the gzip data is corrupt (zlib error \(status))",
                                         hint: "download the file again")
            }
            if status == Z_STREAM_END, z.avail_in == 0 {
                // The member ended with this input; a next member starts fresh.
                inflateReset(&z)
            }
            z.avail_in = 0
            input = try stream.read(upTo: chunk)
        }
    }

    static func bunzip2(_ stream: InputStream, file: String) throws(CivicError) -> [UInt8] {
        var bz = bz_stream()
        // Returns BZ_OK, or BZ_MEM_ERROR / BZ_CONFIG_ERROR.
        guard BZ2_bzDecompressInit(&bz, 0, 0) == BZ_OK else {
            throw CivicError.io(path: file, reason: "libbz2 cannot start (out of memory?)")
        }
        var open = true
        defer { if open { BZ2_bzDecompressEnd(&bz) } }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        // BZ_OK while going, BZ_STREAM_END at the end of a stream, a negative code on corrupt data.
        var status: Int32 = BZ_OK
        var failure: Int32?
        while true {
            var input = try stream.read(upTo: chunk)
            if input.isEmpty {
                guard status == BZ_STREAM_END else {
                    throw CivicError.invalid(file: file, place: "byte \(stream.offset)", reason: "the bzip2 data ends before its end mark",
                                             hint: "the file is cut short: download it again")
                }
                return output
            }
            input.withUnsafeMutableBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { source in
                    bz.next_in = source.baseAddress
                    bz.avail_in = UInt32(source.count)
                    repeat {
                        if status == BZ_STREAM_END {
                            // Another stream follows (pbzip2): a fresh decoder on the rest of the input.
                            let next = bz.next_in, left = bz.avail_in
                            BZ2_bzDecompressEnd(&bz)
                            bz = bz_stream()
                            guard BZ2_bzDecompressInit(&bz, 0, 0) == BZ_OK else {
                                open = false
                                failure = BZ_MEM_ERROR
                                return
                            }
                            bz.next_in = next
                            bz.avail_in = left
                        }
                        buffer.withUnsafeMutableBufferPointer { target in
                            target.withMemoryRebound(to: CChar.self) { target in
                                bz.next_out = target.baseAddress
                                bz.avail_out = UInt32(target.count)
                                status = BZ2_bzDecompress(&bz)
                            }
                            output.append(contentsOf: target[0..<(target.count - Int(bz.avail_out))])
                        }
                        if status != BZ_OK && status != BZ_STREAM_END {
                            failure = status
                            return
                        }
                    } while (bz.avail_in > 0 || (status == BZ_OK && bz.avail_out == 0)) && output.count <= maxOutput
                    bz.next_in = nil
                }
            }
            if let failure {
                throw CivicError.invalid(file: file, place: "near byte \(stream.offset)",
                                         reason: "the bzip2 data is corrupt (libbz2 error \(failure))", hint: "download the file again")
            }
            if output.count > maxOutput { throw tooLarge(file) }
        }
    }
}
