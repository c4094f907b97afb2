/// The packed unwind fields of an ARM64 `.pdata` entry (Flag 1 or 2).
public struct ARM64PackedUnwind: Sendable, Equatable {
    /// 1: packed, one prolog and epilog; 2: packed fragment with no prolog (and no epilog).
    public var flag: UInt8
    /// Number of saved floating-point registers (d8...), as encoded (0 to 7).
    public var regF: UInt8
    /// Number of saved integer registers (x19...), 0 to 10.
    public var regI: UInt8
    /// Whether x0-x7 are homed.
    public var homesParameters: Bool
    /// CR: 0 unchained, 1 lr saved unchained, 2 chained with signed return address, 3 chained
    /// (fp/lr pair saved and fp set up).
    public var cr: UInt8
    /// Total stack frame size in bytes.
    public var frameSize: UInt32
}

/// The kind of unwind data an ARM64/ARM `.pdata` entry points to.
public enum ARMUnwindData: Sendable, Equatable {
    /// Full unwind data in `.xdata` at this RVA.
    case unpacked(xdataRVA: UInt32)
    /// ARM64 packed unwind data.
    case packedARM64(ARM64PackedUnwind)
    /// ARM (Thumb-2) packed unwind data, raw second word.
    case packedARM(rawValue: UInt32)
}

/// One ARM64 or ARM (Thumb-2) `.pdata` entry, decoded to a function range.
public struct ARMRuntimeFunction: Sendable, Equatable {
    /// RVA of the first instruction (Thumb bit cleared).
    public var beginAddress: UInt32
    /// Length in bytes, from the packed bits or the `.xdata` header; nil when the `.xdata`
    /// header could not be read.
    public var functionLength: UInt32?
    public var unwindData: ARMUnwindData

    /// True when `rva` is inside the function (false when the length is unknown).
    public func contains(rva: UInt32) -> Bool {
        guard let length = functionLength else { return false }
        return rva >= beginAddress && UInt64(rva) < UInt64(beginAddress) + UInt64(length)
    }
}

/// The exception directory of an ARM64 or ARM image: 8-byte entries sorted by begin address.
/// Lookups read O(log n) entries plus one `.xdata` header.
public struct ARMFunctionTable: Sendable {
    public let machine: PEMachine
    private let source: any ByteSource
    private let offset: UInt64
    /// RVA-addressed image bytes, for `.xdata` headers.
    private let image: any ByteSource
    public let count: Int

    /// A table of `count` 8-byte entries at `offset` in `source`; `.xdata` is read from `image`
    /// (RVA-addressed). `machine` is `.arm64` or `.armNT`.
    public init(
        machine: PEMachine, source: any ByteSource, offset: UInt64, count: Int,
        image: any ByteSource
    ) {
        self.machine = machine
        self.source = source
        self.offset = offset
        self.count = max(0, count)
        self.image = image
    }

    /// The entry at `index`, decoded.
    public func entry(at index: Int) -> ARMRuntimeFunction? {
        guard index >= 0, index < count,
            let bytes = source.read(at: offset + UInt64(index) * 8, count: 8)
        else { return nil }
        return decode(bytes, at: 0)
    }

    /// The 8-byte entry at `position` in `bytes`, decoded.
    private func decode(_ bytes: [UInt8], at position: Int) -> ARMRuntimeFunction? {
        guard let begin = ByteReader.uint32(bytes, position),
            let data = ByteReader.uint32(bytes, position + 4)
        else { return nil }
        let isARM64 = machine != .armNT
        let flag = data & 3
        let beginAddress = isARM64 ? begin : begin & ~1
        if flag == 0 {
            var length: UInt32?
            if let header = image.readUInt32(at: UInt64(data)) {
                length = (header & 0x3FFFF) * (isARM64 ? 4 : 2)
            }
            return ARMRuntimeFunction(
                beginAddress: beginAddress, functionLength: length,
                unwindData: .unpacked(xdataRVA: data))
        }
        if isARM64 {
            let packed = ARM64PackedUnwind(
                flag: UInt8(flag), regF: UInt8((data >> 13) & 7), regI: UInt8((data >> 16) & 0xF),
                homesParameters: (data >> 20) & 1 != 0, cr: UInt8((data >> 21) & 3),
                frameSize: ((data >> 23) & 0x1FF) * 16)
            return ARMRuntimeFunction(
                beginAddress: beginAddress, functionLength: ((data >> 2) & 0x7FF) * 4,
                unwindData: .packedARM64(packed))
        }
        return ARMRuntimeFunction(
            beginAddress: beginAddress, functionLength: ((data >> 2) & 0x7FF) * 2,
            unwindData: .packedARM(rawValue: data))
    }

    /// The function containing `rva`, or nil (a leaf function has no entry).
    public func lookup(rva: UInt32) -> ARMRuntimeFunction? {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            guard let entry = entry(at: middle) else { return nil }
            if entry.beginAddress <= rva {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0, let candidate = entry(at: low - 1), candidate.contains(rva: rva) else {
            return nil
        }
        return candidate
    }

    /// Every readable entry in table order. The table is read a few thousand entries at a time,
    /// as the x64 table is: entry by entry, a large table (up to 64 MB, 8 million entries) was
    /// as many small reads. Where part of a chunk is missing, its entries are read one by one.
    public func allEntries() -> [ARMRuntimeFunction] {
        var result: [ARMRuntimeFunction] = []
        let chunk = 4096
        var start = 0
        while start < count {
            let entries = min(chunk, count - start)
            if let bytes = source.read(at: offset + UInt64(start) * 8, count: entries * 8) {
                for index in 0..<entries {
                    if let entry = decode(bytes, at: index * 8) { result.append(entry) }
                }
            } else {
                // A missing page: one by one, so the rest of the chunk still reads.
                for index in start..<start + entries {
                    if let entry = entry(at: index) { result.append(entry) }
                }
            }
            start += entries
        }
        return result
    }
}

extension PEImage {
    /// The exception directory of an ARM64 or ARM image.
    public func armFunctionTable() throws(PEError) -> ARMFunctionTable {
        guard machine == .arm64 || machine == .armNT || machine == .arm64EC else {
            throw .wrongMachine(what: "ARM exception directory", machine: machine)
        }
        guard let directory = dataDirectory(.exception) else {
            throw .missing(what: "exception directory (.pdata)")
        }
        try checkFits(
            what: "exception directory", rva: directory.virtualAddress, size: UInt64(directory.size)
        )
        return ARMFunctionTable(
            machine: machine == .armNT ? .armNT : .arm64, source: rvaSource,
            offset: UInt64(directory.virtualAddress), count: Int(directory.size) / 8,
            image: rvaSource)
    }
}
