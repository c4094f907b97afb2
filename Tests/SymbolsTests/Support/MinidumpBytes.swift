import Foundation

/// Just enough minidump reading for these tests (module CodeView records and memory ranges),
/// written from the format's documentation so the Symbols tests depend on no other module.
struct MinidumpBytes {
    struct Module {
        var name: String
        var base: UInt64
        var size: UInt32
        var codeView: [UInt8]
    }

    struct MemoryRange {
        var start: UInt64
        var bytes: [UInt8]
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    let bytes: [UInt8]

    init(path: String) throws {
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count >= 32, u32(0) == 0x504D_444D else {
            throw FormatError(description: "\(path) is not a minidump")
        }
    }

    func u16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    func u64(_ offset: Int) -> UInt64? {
        guard let low = u32(offset), let high = u32(offset + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    func slice(_ offset: Int, _ count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset + count <= bytes.count else { return nil }
        return Array(bytes[offset..<(offset + count)])
    }

    /// (offset, size) of the first stream of `type`.
    func stream(_ type: UInt32) -> (offset: Int, size: Int)? {
        guard let count = u32(8), let directory = u32(12) else { return nil }
        for index in 0..<Int(count) {
            let entry = Int(directory) + index * 12
            if u32(entry) == type, let size = u32(entry + 4), let rva = u32(entry + 8) {
                return (Int(rva), Int(size))
            }
        }
        return nil
    }

    /// The ModuleList stream (type 4).
    func modules() throws -> [Module] {
        guard let (offset, size) = stream(4), let count = u32(offset) else {
            throw FormatError(description: "no module list")
        }
        // Some writers pad the count to 8 bytes.
        let first = size == 8 + Int(count) * 108 ? offset + 8 : offset + 4
        return try (0..<Int(count)).map { index in
            let record = first + index * 108
            guard let base = u64(record), let imageSize = u32(record + 8),
                let nameRVA = u32(record + 20), let cvSize = u32(record + 76),
                let cvRVA = u32(record + 80), let nameLength = u32(Int(nameRVA)),
                let nameBytes = slice(Int(nameRVA) + 4, Int(nameLength)),
                let codeView = slice(Int(cvRVA), Int(cvSize))
            else { throw FormatError(description: "module \(index) is truncated") }
            let units = stride(from: 0, to: nameBytes.count - 1, by: 2).map {
                UInt16(nameBytes[$0]) | UInt16(nameBytes[$0 + 1]) << 8
            }
            return Module(
                name: String(decoding: units, as: UTF16.self), base: base, size: imageSize,
                codeView: codeView)
        }
    }

    /// The MemoryList stream (type 5).
    func memoryRanges() throws -> [MemoryRange] {
        guard let (offset, size) = stream(5), let count = u32(offset) else {
            throw FormatError(description: "no memory list")
        }
        let first = size == 8 + Int(count) * 16 ? offset + 8 : offset + 4
        return try (0..<Int(count)).map { index in
            let record = first + index * 16
            guard let start = u64(record), let dataSize = u32(record + 8),
                let rva = u32(record + 12), let data = slice(Int(rva), Int(dataSize))
            else { throw FormatError(description: "memory range \(index) is truncated") }
            return MemoryRange(start: start, bytes: data)
        }
    }
}

/// Little-endian reads over a set of memory ranges, for unwind tests.
struct TestMemory: Sendable {
    var ranges: [(start: UInt64, bytes: [UInt8])]

    init(_ ranges: [(start: UInt64, bytes: [UInt8])]) {
        self.ranges = ranges
    }

    /// Words laid out from `start`, each `wordSize` bytes.
    init(start: UInt64, words: [UInt64], wordSize: Int) {
        var bytes: [UInt8] = []
        for word in words {
            for index in 0..<wordSize {
                bytes.append(UInt8(truncatingIfNeeded: word >> (8 * index)))
            }
        }
        self.ranges = [(start, bytes)]
    }

    func read(_ address: UInt64, _ count: Int) -> UInt64? {
        for range in ranges where address >= range.start {
            let offset = address - range.start
            guard offset <= UInt64(range.bytes.count),
                UInt64(count) <= UInt64(range.bytes.count) - offset
            else { continue }
            let start = Int(offset)
            return (0..<count).reduce(UInt64(0)) {
                $0 | UInt64(range.bytes[start + $1]) << (8 * $1)
            }
        }
        return nil
    }
}
