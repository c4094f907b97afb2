/// How many bytes of strings and records one stream may make the reader decode. A damaged list
/// can point thousands of entries at the same long string; the budget keeps the work and the
/// memory proportional to what a real dump needs (see `Minidump.maximumDecodedBytesPerStream`).
struct DecodeBudget {
    var remaining = Minidump.maximumDecodedBytesPerStream
    let stream: String

    mutating func spend(_ bytes: Int, at offset: Int) throws(MinidumpError) {
        guard bytes <= remaining else {
            remaining = 0
            throw .malformed(
                "\(stream): more than \(Minidump.maximumDecodedBytesPerStream >> 20) MiB of names and "
                    + "records; the rest are not read", at: offset)
        }
        remaining -= bytes
    }
}

extension Minidump {
    /// `string(at:what:)` charged to a stream's budget.
    func string(at rva: RVA, what: @autoclosure () -> String, budget: inout DecodeBudget)
        throws(MinidumpError) -> String
    {
        // Only a length the string reader accepts costs anything; others fail there.
        let length = min(Int(bytes.load(UInt32.self, at: Int(rva)) ?? 0), Self.maximumStringBytes)
        try budget.spend(length + 4, at: Int(rva))
        return try string(at: rva, what: what())
    }

    /// `utf8String(at:what:)` charged to a stream's budget.
    func utf8String(at rva: RVA, what: @autoclosure () -> String, budget: inout DecodeBudget)
        throws(MinidumpError) -> String
    {
        // Only a length the string reader accepts costs anything; others fail there.
        let length = min(Int(bytes.load(UInt32.self, at: Int(rva)) ?? 0), Self.maximumStringBytes)
        try budget.spend(length + 4, at: Int(rva))
        return try utf8String(at: rva, what: what())
    }

    /// Most bytes of names and records (module names, CodeView records, handle names,
    /// annotations, …) decoded for one stream: 4 MiB, a hundred times what large real dumps
    /// use. A damaged list pointing every entry at one long string stops there with a warning.
    public static let maximumDecodedBytesPerStream = 4 << 20

    /// Longest string read, in bytes: 32 K UTF-16 units, the longest NT path. Longer lengths are
    /// treated as damage, so no string costs more than this however the file is corrupted.
    public static let maximumStringBytes = 65_536

    /// The `MINIDUMP_STRING` at `rva`: a 32-bit byte length then UTF-16LE text.
    public func string(at rva: RVA, what: @autoclosure () -> String = "string")
        throws(MinidumpError)
        -> String
    {
        guard let length = bytes.load(UInt32.self, at: Int(rva)) else {
            throw .malformed(
                "\(what()) at \(hex(rva)): the length field is past the end of the file "
                    + "(\(bytes.count) bytes)", at: Int(rva))
        }
        guard length <= Self.maximumStringBytes else {
            throw .malformed(
                "\(what()) at \(hex(rva)): length \(length) is over the "
                    + "\(Self.maximumStringBytes)-byte limit for a string", at: Int(rva))
        }
        guard length % 2 == 0 else {
            throw .malformed(
                "\(what()) at \(hex(rva)): odd byte length \(length) for UTF-16 text", at: Int(rva))
        }
        guard bytes.contains(offset: Int(rva) + 4, length: Int(length)) else {
            throw .malformed(
                "\(what()) at \(hex(rva)): \(length) bytes of text extend past the end of the "
                    + "file (\(bytes.count) bytes)", at: Int(rva))
        }
        return bytes.withBytes(offset: Int(rva) + 4, length: Int(length)) { decodeUTF16LE($0) }
            ?? ""
    }

    /// A Crashpad `MinidumpUTF8String` at `rva`: a 32-bit byte length then UTF-8 text and a NUL.
    func utf8String(at rva: RVA, what: @autoclosure () -> String) throws(MinidumpError) -> String {
        guard let length = bytes.load(UInt32.self, at: Int(rva)) else {
            throw .malformed("\(what()) at \(hex(rva)): past the end of the file", at: Int(rva))
        }
        guard length <= Self.maximumStringBytes,
            let text = bytes.copy(offset: Int(rva) + 4, length: Int(length))
        else {
            throw .malformed(
                "\(what()) at \(hex(rva)): \(length) bytes of text do not fit in the file",
                at: Int(rva))
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Decodes little-endian UTF-16 to a String by transcoding to UTF-8 by hand: fast for the common
/// ASCII paths, with unpaired surrogates replaced by U+FFFD as `String(decoding:as:)` would.
func decodeUTF16LE(_ raw: UnsafeRawBufferPointer) -> String {
    let count = raw.count / 2
    var utf8: [UInt8] = []
    utf8.reserveCapacity(count)
    @inline(__always) func unit(_ index: Int) -> UInt32 {
        UInt32(raw[index * 2]) | UInt32(raw[index * 2 + 1]) << 8
    }
    var index = 0
    while index < count {
        var scalar = unit(index)
        index += 1
        if scalar >= 0xd800 && scalar < 0xdc00, index < count {
            let low = unit(index)
            if low >= 0xdc00 && low < 0xe000 {
                scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                index += 1
            } else {
                scalar = 0xfffd
            }
        } else if scalar >= 0xd800 && scalar < 0xe000 {
            scalar = 0xfffd
        }
        switch scalar {
        case 0..<0x80:
            utf8.append(UInt8(scalar))
        case 0x80..<0x800:
            utf8.append(UInt8(0xc0 | scalar >> 6))
            utf8.append(UInt8(0x80 | scalar & 0x3f))
        case 0x800..<0x10000:
            utf8.append(UInt8(0xe0 | scalar >> 12))
            utf8.append(UInt8(0x80 | (scalar >> 6) & 0x3f))
            utf8.append(UInt8(0x80 | scalar & 0x3f))
        default:
            utf8.append(UInt8(0xf0 | scalar >> 18))
            utf8.append(UInt8(0x80 | (scalar >> 12) & 0x3f))
            utf8.append(UInt8(0x80 | (scalar >> 6) & 0x3f))
            utf8.append(UInt8(0x80 | scalar & 0x3f))
        }
    }
    return String(decoding: utf8, as: UTF8.self)
}
