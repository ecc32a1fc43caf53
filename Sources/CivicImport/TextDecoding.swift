import CivicCore

/// The text encodings a spreadsheet export comes in (DESIGN §9): UTF-8, with or without a byte
/// order mark, or Windows-1251, the usual export of Russian-language Excel.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8
    case cp1251

    /// The encoding for a name as people write it: `utf8`, `UTF-8`, `cp1251`, `windows-1251`, `1251`.
    public init?(name: String) {
        let folded = String(name.lowercased().filter { $0.isLetter || $0.isNumber })
        switch folded {
        case "utf8": self = .utf8
        case "cp1251", "windows1251", "win1251", "1251": self = .cp1251
        default: return nil
        }
    }
}

/// Turns the bytes of a text file into a `String`, refusing what is not in the expected encoding
/// instead of guessing, and saying where the first bad byte is.
public enum TextDecoding {
    /// Decodes `bytes`; a UTF-8 byte order mark is dropped.
    ///
    /// Invalid UTF-8 is refused with the line and column of the first bad byte; when the bytes read
    /// as Russian text in Windows-1251, the hint says to pass `--encoding cp1251`. A UTF-16 file
    /// (Excel's "Unicode text") is refused with a hint to save it as UTF-8.
    public static func decode(_ bytes: [UInt8], as encoding: TextEncoding, file: String) throws(CivicError) -> String {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw CivicError.syntax(file: file, line: 1, column: 1, reason: "the file is UTF-16 text, not UTF-8",
                                    hint: "save it as \"CSV UTF-8\" (Excel) or \"Text CSV\" with UTF-8 (LibreOffice)")
        }
        switch encoding {
        case .utf8:
            var body = bytes[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes.dropFirst(3) }
            if let bad = firstInvalidUTF8(body) {
                let (line, column) = position(of: bad, in: bytes)
                let hint = looksLikeCP1251(body)
                    ? "the file looks like Windows-1251 (the usual export of Russian-language Excel): pass --encoding cp1251"
                    : "save the file as UTF-8, or name its encoding with --encoding"
                throw CivicError.syntax(
                    file: file, line: line, column: column,
                    reason: "the file is not valid UTF-8 (byte 0x\(hex(bytes[bad])) on line \(line))", hint: hint)
            }
            return String(decoding: body, as: UTF8.self)
        case .cp1251:
            // Windows-1251 Russian text is practically never valid UTF-8; a file that is (with a BOM,
            // or with Cyrillic in two-byte sequences) would come out as «РЎРѕРІРµС‚».
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || (bytes.contains { $0 >= 0x80 } && firstInvalidUTF8(bytes[...]) == nil) {
                throw CivicError.refused(reason: "\(file) is UTF-8, not Windows-1251",
                                         hint: "drop --encoding cp1251: UTF-8 is the default")
            }
            var scalars = String.UnicodeScalarView()
            scalars.reserveCapacity(bytes.count)
            for (offset, byte) in bytes.enumerated() {
                guard let scalar = cp1251Scalar(byte) else {
                    let (line, column) = position(of: offset, in: bytes)
                    throw CivicError.syntax(file: file, line: line, column: column,
                                            reason: "byte 0x\(hex(byte)) is not a Windows-1251 character",
                                            hint: "check the encoding of the file; UTF-8 is read without --encoding")
                }
                scalars.append(scalar)
            }
            return String(scalars)
        }
    }

    /// The scalar for one Windows-1251 byte; nil for 0x98, the one byte the code page leaves undefined.
    static func cp1251Scalar(_ byte: UInt8) -> Unicode.Scalar? {
        let value: UInt32
        switch byte {
        case 0x00..<0x80: value = UInt32(byte)
        case 0xC0...0xFF: value = 0x0410 + UInt32(byte - 0xC0)  // А…я in alphabetical order
        default: value = UInt32(cp1251High[Int(byte - 0x80)])
        }
        return value == 0xFFFD ? nil : Unicode.Scalar(value)
    }

    /// Windows-1251 bytes 0x80–0xBF (Ђ … ї, the typographic marks, Ё ё № and the Ukrainian and
    /// Belarusian letters); 0xFFFD marks the undefined 0x98. From the Unicode mapping table CP1251.TXT.
    private static let cp1251High: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]

    /// The offset of the first byte that breaks UTF-8 (overlong forms, surrogates and values
    /// beyond U+10FFFF included), or nil when all of it is valid.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= end else { return i }
            guard (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return nil
    }

    /// Whether bytes that are not UTF-8 read as Russian text in Windows-1251: a few letters at
    /// least, and most high bytes Cyrillic letters (0xC0–0xFF, Ё, ё, №).
    static func looksLikeCP1251(_ bytes: ArraySlice<UInt8>) -> Bool {
        var high = 0, letters = 0
        for b in bytes where b >= 0x80 {
            high += 1
            if b >= 0xC0 || b == 0xA8 || b == 0xB8 || b == 0xB9 { letters += 1 }
        }
        return letters >= 3 && letters * 10 >= high * 8
    }

    /// 1-based line and column (in bytes) of `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
