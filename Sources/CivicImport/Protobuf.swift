/// Why a protobuf message does not read: it runs past its end, a number is too long, a wire type
/// is unknown. The PBF reader adds the file, block and offset.
struct ProtobufError: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// A protobuf message's bytes, read field by field: the small part of the wire format that OSM PBF
/// uses (varints, zigzag, length-delimited fields, packed repeated varints; fixed32/64 skipped).
///
/// It reads from memory another owner keeps alive (a decoded block), so it is only valid inside
/// that owner's `withUnsafeBufferPointer`. Every read checks the message's end: a hostile or
/// truncated block throws ``ProtobufError``, never reads past it, and every loop advances.
struct ProtobufReader {
    private let base: UnsafePointer<UInt8>
    private(set) var position: Int
    private let end: Int

    /// The whole of `buffer`.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no base address; any valid pointer with end 0 reads nothing.
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        position = 0
        end = buffer.count
    }

    private init(base: UnsafePointer<UInt8>, position: Int, end: Int) {
        self.base = base
        self.position = position
        self.end = end
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { position >= end }

    /// The next varint.
    mutating func varint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtobufError("a number runs past the end of its message") }
            let byte = base[position]
            position += 1
            if shift == 63 && byte > 1 { throw ProtobufError("a number is longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// The next varint as a zigzag-coded signed number (`sint32`, `sint64`).
    mutating func signed() throws(ProtobufError) -> Int64 {
        Self.zigzag(try varint())
    }

    /// The next field's number and wire type; nil at the end of the message.
    mutating func field() throws(ProtobufError) -> (number: Int, wire: Int)? {
        guard !isAtEnd else { return nil }
        let key = try varint()
        let number = key >> 3
        guard number > 0, number < 1 << 29 else { throw ProtobufError("field number \(number) is out of range") }
        return (Int(number), Int(key & 7))
    }

    /// The next length-delimited field's bytes, as a reader of their own.
    mutating func message() throws(ProtobufError) -> ProtobufReader {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw ProtobufError("a field of \(length) bytes runs past the end of its message (\(end - position) left)")
        }
        let sub = ProtobufReader(base: base, position: position, end: position + Int(length))
        position += Int(length)
        return sub
    }

    /// The next length-delimited field as text (invalid UTF-8 is replaced, as a tag editor would show it).
    mutating func string() throws(ProtobufError) -> String {
        let sub = try message()
        return String(decoding: UnsafeBufferPointer(start: base + sub.position, count: sub.end - sub.position), as: UTF8.self)
    }

    /// The next length-delimited field's bytes, copied.
    mutating func bytes() throws(ProtobufError) -> [UInt8] {
        let sub = try message()
        return Array(UnsafeBufferPointer(start: base + sub.position, count: sub.end - sub.position))
    }

    /// Skips a field of wire type `wire`.
    mutating func skip(wire: Int) throws(ProtobufError) {
        switch wire {
        case 0: _ = try varint()
        case 1: try advance(8)
        case 2: _ = try message()
        case 5: try advance(4)
        default: throw ProtobufError("wire type \(wire) is not one protobuf writes (groups are not used by OSM PBF)")
        }
    }

    private mutating func advance(_ count: Int) throws(ProtobufError) {
        guard end - position >= count else { throw ProtobufError("a field runs past the end of its message") }
        position += count
    }

    /// A repeated varint field, packed (wire type 2) or one value (wire type 0), appended to `values`.
    mutating func varints(wire: Int, into values: inout [UInt64]) throws(ProtobufError) {
        switch wire {
        case 0:
            values.append(try varint())
        case 2:
            var packed = try message()
            while !packed.isAtEnd { values.append(try packed.varint()) }
        default:
            throw ProtobufError("a list of numbers has wire type \(wire)")
        }
    }

    /// A repeated `sint64` field coded as deltas (DenseNodes, way refs, member ids), summed, appended.
    mutating func deltas(wire: Int, into values: inout [Int64]) throws(ProtobufError) {
        var running = values.last ?? 0
        func add(_ delta: Int64) throws(ProtobufError) {
            let (sum, overflow) = running.addingReportingOverflow(delta)
            guard !overflow else { throw ProtobufError("a delta-coded list overflows 64 bits") }
            running = sum
            values.append(sum)
        }
        switch wire {
        case 0:
            try add(try signed())
        case 2:
            var packed = try message()
            while !packed.isAtEnd { try add(try packed.signed()) }
        default:
            throw ProtobufError("a list of numbers has wire type \(wire)")
        }
    }

    static func zigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}
