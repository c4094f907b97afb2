import Symbols

/// A value of a PDB type somewhere in the target: in memory, in bytes already read (a register,
/// a computed result), or nowhere (optimized away).
struct TypedValue {
    enum Storage {
        /// At this address in the target's memory.
        case memory(UInt64)
        /// These bytes (little-endian), e.g. a register's contents or a computed number.
        case bytes([UInt8])
        /// The debug information says the value is not available here.
        case unavailable
    }

    var type: TypeIndex
    var storage: Storage

    var address: UInt64? {
        if case .memory(let address) = storage { return address }
        return nil
    }
}

/// Reads typed values through a PDB's types and the target's memory.
struct ValueReader {
    let types: TypeCatalog
    let target: any Target
    let pointerSize: Int

    static let maximumStringLength = 256

    /// `count` bytes of the value, or nil when they cannot be read.
    func bytes(_ value: TypedValue, count: Int) -> [UInt8]? {
        switch value.storage {
        case .memory(let address):
            return target.readBytes(at: address, count: count)
        case .bytes(let bytes):
            guard bytes.count >= count else {
                return count <= 8 ? bytes + [UInt8](repeating: 0, count: count - bytes.count) : nil
            }
            return Array(bytes.prefix(count))
        case .unavailable:
            return nil
        }
    }

    /// The value as a little-endian integer of its own size (at most 8 bytes).
    func integer(_ value: TypedValue) -> UInt64? {
        let size = Int(types.size(of: value.type) ?? UInt64(pointerSize))
        guard (1...8).contains(size), let bytes = bytes(value, count: size) else { return nil }
        var result: UInt64 = 0
        for (index, byte) in bytes.enumerated() { result |= UInt64(byte) << UInt64(index * 8) }
        return result
    }

    /// The value sign-extended when its type is signed.
    func signedInteger(_ value: TypedValue) -> Int64? {
        guard let raw = integer(value) else { return nil }
        let size = Int(types.size(of: value.type) ?? 8)
        guard size < 8, size > 0 else { return Int64(bitPattern: raw) }
        let shift = UInt64(64 - size * 8)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    /// A member of a structure value.
    func member(_ value: TypedValue, _ member: TypeMember) -> TypedValue {
        switch value.storage {
        case .memory(let address):
            return TypedValue(type: member.type, storage: .memory(address &+ member.offset))
        case .bytes(let bytes):
            let start = Int(clamping: member.offset)
            let size = Int(types.size(of: member.type) ?? 0)
            guard start < bytes.count else {
                return TypedValue(type: member.type, storage: .unavailable)
            }
            return TypedValue(
                type: member.type,
                storage: .bytes(Array(bytes[start..<min(bytes.count, start + size)])))
        case .unavailable:
            return TypedValue(type: member.type, storage: .unavailable)
        }
    }

    /// Element `index` of an array value, or the value `index` elements past where a pointer
    /// points (`element` is the element type).
    func element(_ value: TypedValue, index: Int64, elementType: TypeIndex) -> TypedValue? {
        let size = Int64(types.size(of: elementType) ?? 0)
        switch value.storage {
        case .memory(let address):
            return TypedValue(
                type: elementType,
                storage: .memory(address &+ UInt64(bitPattern: index &* size)))
        case .bytes(let bytes):
            let start = Int(clamping: index &* size)
            guard start >= 0, start < bytes.count else { return nil }
            return TypedValue(
                type: elementType,
                storage: .bytes(Array(bytes[start..<min(bytes.count, start + Int(size))])))
        case .unavailable:
            return nil
        }
    }

    /// A zero-terminated string at `address` (8- or 16-bit units), at most 256 units.
    func string(at address: UInt64, wide: Bool) -> String? {
        let unit = wide ? 2 : 1
        var units: [UInt16] = []
        var bytes: [UInt8] = []
        var position = address
        while units.count + bytes.count < Self.maximumStringLength {
            guard let chunk = target.readBytes(at: position, count: unit) else {
                return units.isEmpty && bytes.isEmpty ? nil : finish(units, bytes, wide)
            }
            if wide {
                let value = UInt16(chunk[0]) | UInt16(chunk[1]) << 8
                if value == 0 { break }
                units.append(value)
            } else {
                if chunk[0] == 0 { break }
                bytes.append(chunk[0])
            }
            position &+= UInt64(unit)
        }
        return finish(units, bytes, wide)
    }

    private func finish(_ units: [UInt16], _ bytes: [UInt8], _ wide: Bool) -> String {
        wide ? String(decoding: units, as: UTF16.self) : String(decoding: bytes, as: UTF8.self)
    }
}
