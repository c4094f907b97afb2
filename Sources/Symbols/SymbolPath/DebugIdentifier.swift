/// Module identifiers that name symbol files in symbol stores, computed exactly as Breakpad's
/// minidump processor does (`MinidumpModule::debug_identifier` / `code_identifier`).
public enum DebugIdentifier {
    /// The identifier of a module with a PDB 7.0 (`RSDS`) CodeView record: the GUID in
    /// Microsoft's field order (Data1, Data2, Data3 read little-endian; Data4 as bytes),
    /// upper-case hex without dashes, followed by the age in hex.
    ///
    /// - Parameters:
    ///   - guid: the 16 GUID bytes as stored in the CodeView record.
    ///   - age: the record's age field.
    /// - Returns: e.g. `5A9832E5287241C1838ED98914E9B7FF1`, or nil unless `guid` has 16 bytes.
    public static func codeView(guid: some Collection<UInt8>, age: UInt32) -> String? {
        let bytes = Array(guid)
        guard bytes.count == 16 else { return nil }
        return guidHex(bytes) + String(age, radix: 16)
    }

    /// The identifier of a module with a PDB 2.0 (`NB10`) CodeView record: the 32-bit
    /// signature as 8 upper-case hex digits followed by the age in hex.
    public static func pdb20(signature: UInt32, age: UInt32) -> String {
        hex(UInt64(signature), digits: 8) + String(age, radix: 16)
    }

    /// The identifier of an ELF module from its build id: the first 16 bytes (zero-padded
    /// when shorter) formatted as a GUID, i.e. with the first three fields byte-swapped,
    /// followed by `0` for the age. `68197D7B 0DFF AE47 ...` gives `7B7D1968FF0D47AE...0`.
    public static func elf(buildID: some Collection<UInt8>) -> String {
        var bytes = Array(buildID.prefix(16))
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 16 - bytes.count))
        return guidHex(bytes) + "0"
    }

    /// Breakpad's code identifier for an ELF module (`INFO CODE_ID`): the whole build id in
    /// upper-case hex, bytes in file order.
    public static func elfCodeIdentifier(buildID: some Collection<UInt8>) -> String {
        buildID.map { hex(UInt64($0), digits: 2) }.joined()
    }

    /// The code identifier of a PE image in symbol stores (how `kernel32.dll` itself is
    /// filed): `TimeDateStamp` as 8 upper-case hex digits, then `SizeOfImage` in lower-case
    /// hex, e.g. `44AB9A84f4000`.
    public static func peCodeIdentifier(timeDateStamp: UInt32, sizeOfImage: UInt32) -> String {
        hex(UInt64(timeDateStamp), digits: 8) + String(sizeOfImage, radix: 16)
    }

    /// The 16 bytes of a GUID as Data1 (LE u32), Data2 (LE u16), Data3 (LE u16), Data4.
    private static func guidHex(_ bytes: [UInt8]) -> String {
        let data1 =
            UInt64(bytes[0]) | UInt64(bytes[1]) << 8 | UInt64(bytes[2]) << 16
            | UInt64(bytes[3]) << 24
        let data2 = UInt64(bytes[4]) | UInt64(bytes[5]) << 8
        let data3 = UInt64(bytes[6]) | UInt64(bytes[7]) << 8
        return hex(data1, digits: 8) + hex(data2, digits: 4) + hex(data3, digits: 4)
            + bytes[8..<16].map { hex(UInt64($0), digits: 2) }.joined()
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
