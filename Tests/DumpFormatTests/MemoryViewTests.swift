import DumpFormat
import Foundation
import TestSupport
import Testing

@Suite("Memory view")
struct MemoryViewTests {
    /// Three MemoryList ranges: two adjacent, one after a gap, one overlapping the first.
    static func dump() throws -> Minidump {
        var b = Fixtures.x86()
        b.threads = []
        b.memory = [
            (0x1000, Array(repeating: 0xaa, count: 0x10)),
            (0x1010, Array(repeating: 0xbb, count: 0x10)),
            (0x1040, Array(repeating: 0xcc, count: 0x10)),
            (0x1018, Array(repeating: 0xdd, count: 0x10)),  // overlaps: first-listed bytes win
        ]
        b.memory64 = [
            (
                0x10_0000,
                .generated(size: 0x3000) { address, count in
                    (0..<count).map { UInt8(truncatingIfNeeded: (address + UInt64($0)) >> 4) }
                }
            ),
            (0x10_3000, .bytes([1, 2, 3, 4])),
        ]
        return try Minidump(bytes: b.build())
    }

    @Test func rangesAreSortedAndTrimmed() throws {
        let view = try Self.dump().memory()
        #expect(view.ranges.map(\.start) == [0x1000, 0x1010, 0x1020, 0x1040, 0x10_0000, 0x10_3000])
        #expect(view.ranges.map(\.size) == [0x10, 0x10, 0x8, 0x10, 0x3000, 4])
        #expect(view.totalBytes == 0x10 + 0x10 + 0x8 + 0x10 + 0x3000 + 4)
        #expect(view.range(containing: 0x1017)?.start == 0x1010)
        #expect(view.range(containing: 0x1030) == nil)
    }

    @Test func readsCrossAdjacentRanges() throws {
        let view = try Self.dump().memory()
        #expect(view.read(at: 0x100e, count: 4) == [0xaa, 0xaa, 0xbb, 0xbb])
        #expect(view.read(at: 0x101e, count: 4) == [0xbb, 0xbb, 0xdd, 0xdd])
        #expect(view.read(at: 0x1026, count: 4) == nil, "0x1028 is not in the dump")
        #expect(view.read(at: 0x10_2ffe, count: 4) == [0xff, 0xff, 1, 2])
        #expect(view.isAvailable(at: 0x1000, count: 0x28))
        #expect(!view.isAvailable(at: 0x1000, count: 0x29))
        #expect(view.readInteger(UInt32.self, at: 0x10_3000) == 0x0403_0201)
        #expect(view.readPointer(at: 0x10_3000, size: 4) == 0x0403_0201)
        #expect(view.readPointer(at: 0x10_3000, size: 8) == nil)
    }

    @Test func unavailableBytesAreMarked() throws {
        let view = try Self.dump().memory()
        let bytes = view.readAvailable(at: 0x1024, count: 0x20)
        #expect(bytes.count == 0x20)
        #expect(bytes[0..<4].allSatisfy { $0 == 0xdd })
        #expect(bytes[4..<0x1c].allSatisfy { $0 == nil })
        #expect(bytes[0x1c..<0x20].allSatisfy { $0 == 0xcc })
        #expect(view.availableRanges(at: 0xff0, count: 0x60) == [0x1000..<0x1028, 0x1040..<0x1050])
        #expect(view.readAvailable(at: .max - 2, count: 8).allSatisfy { $0 == nil })
    }

    @Test func contiguousAccessDoesNotCopy() throws {
        let view = try Self.dump().memory()
        #expect(
            view.withContiguousBytes(at: 0x10_0010, count: 16) { Array($0) }
                == Array(repeating: 1, count: 16))
        #expect(
            view.withContiguousBytes(at: 0x100e, count: 4) { _ in true } == nil, "spans two ranges")
    }

    /// A sparse "full memory" dump: 512 Memory64List ranges of 1–4 pages over 8 GiB, contents
    /// generated while writing, read back by address through the binary search.
    @Test func sparseMemory64Dump() throws {
        var builder = Fixtures.amd64()
        let stride: UInt64 = (8 << 30) / 512
        for index in 0..<512 {
            let start = 0x1_0000_0000 + UInt64(index) * stride
            builder.memory64.append(
                (
                    start,
                    .generated(size: UInt64(1 + index % 4) * 4096) { address, count in
                        // Each range is filled with its index (generated in one piece per range).
                        Array(
                            repeating: UInt8(
                                truncatingIfNeeded: (address - 0x1_0000_0000) / stride),
                            count: count)
                    }
                ))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sparse-\(UUID()).dmp"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try builder.write(to: path)
        let dump = try Minidump(path: path)
        let view = dump.memory()
        #expect(try dump.memory64List().ranges.count == 512)
        #expect(
            view.ranges.count == 512 + 3, "plus the fixture's two stacks and one MemoryList range")
        for index in [0, 1, 255, 511] {
            let start = 0x1_0000_0000 + UInt64(index) * stride
            let size = (1 + index % 4) * 4096
            let last = start + UInt64(size) - 1
            #expect(view.read(at: start, count: 1) == [UInt8(truncatingIfNeeded: index)])
            #expect(view.read(at: last, count: 1) == [UInt8(truncatingIfNeeded: index)])
            #expect(view.read(at: last, count: 2) == nil)
            #expect(view.range(containing: start + 1)?.start == start)
        }
        #expect(dump.warnings.isEmpty)
    }

    @Test("memory reads return the bytes at the oracle's file offsets", arguments: Oracle.dumpNames)
    func corpusMemoryMatchesFileBytes(name: String) throws {
        guard let oracle = Oracle(dumpName: name), oracle.magic.hasPrefix("MDMP"),
            let memory = oracle.pythonDict("memory"),
            let first = (memory["memory_list_first"] ?? memory["memory64_list_first"])
                as? [[String: Any]],
            let file = FileManager.default.contents(atPath: Corpus.dump(name))
        else { return }
        let dump = try Minidump(path: Corpus.dump(name))
        let view = dump.memory()
        for range in first {
            guard let start = oracleNumber(range["start"]), let size = oracleNumber(range["size"]),
                let offset = oracleNumber(range["file_offset"]), size > 0,
                offset + size <= UInt64(file.count)
            else { continue }
            // The Python package misreads padded lists (see OracleTests); only compare ranges
            // the reader agrees exist.
            guard view.range(containing: start) != nil else { continue }
            let count = Int(min(size, 512))
            let expected = Array(file[Int(offset)..<(Int(offset) + count)])
            let overlapped = view.ranges.contains { $0.start > start && $0.start < start + size }
            if !overlapped {
                #expect(view.read(at: start, count: count) == expected, "\(name) at \(start)")
            }
        }
    }
}
