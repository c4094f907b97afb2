import DumpFormat
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Deterministic mutation testing: every corpus minidump (and a builder dump) is damaged a few
/// hundred ways — bytes flipped, inserted, overwritten with boundary values, the file cut — and
/// each result is opened and read completely. Nothing may crash, hang or allocate without bound.
@Suite("Mutated dumps", .requires(.corpus))
struct MutationTests {
    /// SplitMix64: small, fast and the same on every machine.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    }

    static let seeds: [(name: String, bytes: [UInt8])] = {
        var result: [(String, [UInt8])] = Corpus.allDumps().compactMap { name in
            guard let data = FileManager.default.contents(atPath: Corpus.dump(name)),
                data.starts(with: Array("MDMP".utf8))
            else { return nil }
            return (name, Array(data))
        }
        result.append(("builder-amd64", Fixtures.amd64().build()))
        return result
    }()

    static let interesting: [UInt32] = [
        0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff,
    ]

    /// Places likely to matter: the header, the directory, and the first bytes of each stream.
    static func hotSpots(_ bytes: [UInt8]) -> [Int] {
        var spots = Array(0..<min(32, bytes.count))
        guard let dump = try? Minidump(bytes: bytes) else { return spots }
        for (index, entry) in dump.directory.enumerated() {
            spots.append(32 + index * 12 + 4)
            spots.append(32 + index * 12 + 8)
            let rva = Int(entry.location.rva)
            for offset in stride(from: 0, to: 48, by: 4) where rva + offset < bytes.count {
                spots.append(rva + offset)
            }
        }
        return spots.filter { $0 >= 0 && $0 < bytes.count }
    }

    static func mutate(_ original: [UInt8], spots: [Int], random: inout Random) -> [UInt8] {
        var bytes = original
        let mutations = 1 + random.below(4)
        for _ in 0..<mutations {
            guard !bytes.isEmpty else { break }
            let at =
                random.below(2) == 0 && !spots.isEmpty
                ? spots[random.below(spots.count)] % bytes.count : random.below(bytes.count)
            switch random.below(6) {
            case 0:
                bytes[at] ^= UInt8(1 << random.below(8))
            case 1:
                bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 2:
                let value = interesting[random.below(interesting.count)]
                for index in 0..<4 where at + index < bytes.count {
                    bytes[at + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))
                }
            case 3:
                let count = 1 + random.below(16)
                bytes.insert(
                    contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) },
                    at: at)
            case 4:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(64)))
            default:
                bytes.removeSubrange(at...)
            }
        }
        return bytes
    }

    /// The process's resident bytes now (`/proc/self/statm`). Compared around each open rather
    /// than as the process's peak, which the other suites running in parallel (the simulated
    /// machine's guest memory) also raise.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
            return 0
        }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test("hundreds of mutations of every corpus dump open and read without crashing")
    func mutations() throws {
        var largestGrowth = 0
        var random = Random(state: 0x00c0_ffee)
        var opened = 0
        var rejected = 0
        var total = 0
        for seed in Self.seeds {
            let spots = Self.hotSpots(seed.bytes)
            // Large seeds get fewer rounds so the whole test stays around a couple of seconds.
            let rounds = seed.bytes.count > 100_000 ? 40 : 150
            for _ in 0..<rounds {
                let bytes = Self.mutate(seed.bytes, spots: spots, random: &random)
                total += 1
                let before = Self.residentBytes()
                guard let dump = try? Minidump(bytes: bytes) else {
                    rejected += 1
                    continue
                }
                opened += 1
                let checked = dump.checkAllStreams()
                let warnings = dump.warnings
                // What the reader holds for one damaged file, with everything it read alive.
                withExtendedLifetime((dump, checked, warnings)) {
                    largestGrowth = max(largestGrowth, Self.residentBytes() - before)
                }
            }
        }
        #expect(total > 3000)
        #expect(opened > total / 2, "most mutations keep the signature and should open")
        #expect(rejected > 0)
        #expect(largestGrowth < 256 << 20, "one damaged dump held \(largestGrowth) bytes")
    }
}
