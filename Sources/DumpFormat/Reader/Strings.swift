extension Minidump {
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
        var c = try Cursor(bytes, offset: Int(rva), length: 4, label: what())
        _ = try c.u32()
        guard bytes.contains(offset: Int(rva) + 4, length: Int(length)) else {
            throw .malformed(
                "\(what()) at \(hex(rva)): \(length) bytes of text extend past the end of the "
                    + "file (\(bytes.count) bytes)", at: Int(rva))
        }
        let units = bytes.withBytes(offset: Int(rva) + 4, length: Int(length)) { raw in
            let unitCount = raw.count / 2
            var units = [UInt16](unsafeUninitializedCapacity: unitCount) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[0..<(unitCount * 2)]))
                initialized = unitCount
            }
            #if _endian(big)
                units = units.map { UInt16(littleEndian: $0) }
            #endif
            return units
        }
        return String(decoding: units ?? [], as: UTF16.self)
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
