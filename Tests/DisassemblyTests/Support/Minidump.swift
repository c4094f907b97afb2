import Foundation

/// Just enough of the minidump format to read code bytes for the corpus tests: the processor
/// architecture (SystemInfo) and memory (MemoryList, Memory64List). Bounds-checked; a file
/// it cannot read gives nil.
struct MinidumpMemory {
    let data: Data
    /// `PROCESSOR_ARCHITECTURE_*`: 0 x86, 5 ARM, 9 AMD64, 12 ARM64.
    let processorArchitecture: UInt16
    /// Memory ranges: start address, file offset, size.
    let ranges: [(start: UInt64, offset: Int, size: Int)]

    init?(path: String) {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
            Self.u32(data, 0) == 0x504D_444D,
            let streamCount = Self.u32(data, 8), let directory = Self.u32(data, 12)
        else { return nil }
        self.data = data
        var architecture: UInt16 = 0xFFFF
        var ranges: [(start: UInt64, offset: Int, size: Int)] = []
        for index in 0..<Int(min(streamCount, 1000)) {
            let entry = Int(directory) + index * 12
            guard let type = Self.u32(data, entry), let rva = Self.u32(data, entry + 8) else {
                break
            }
            let at = Int(rva)
            switch type {
            case 7:  // SystemInfoStream
                if let value = Self.u16(data, at) { architecture = value }
            case 5:  // MemoryListStream
                guard let count = Self.u32(data, at) else { continue }
                for item in 0..<Int(min(count, 100_000)) {
                    let descriptor = at + 4 + item * 16
                    guard let start = Self.u64(data, descriptor),
                        let size = Self.u32(data, descriptor + 8),
                        let offset = Self.u32(data, descriptor + 12)
                    else { break }
                    ranges.append((start, Int(offset), Int(size)))
                }
            case 9:  // Memory64ListStream
                guard let count = Self.u64(data, at), var offset = Self.u64(data, at + 8) else {
                    continue
                }
                for item in 0..<Int(min(count, 1_000_000)) {
                    let descriptor = at + 16 + item * 16
                    guard let start = Self.u64(data, descriptor),
                        let size = Self.u64(data, descriptor + 8), size < 1 << 40
                    else { break }
                    guard offset < 1 << 48 else { break }
                    ranges.append((start, Int(offset), Int(size)))
                    offset &+= size
                }
            default:
                break
            }
        }
        processorArchitecture = architecture
        self.ranges = ranges
    }

    /// The readable prefix of `count` bytes at `address`.
    func read(_ address: UInt64, _ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var next = address
        while result.count < count {
            guard
                let range = ranges.first(where: {
                    next >= $0.start && next - $0.start < UInt64($0.size)
                })
            else { break }
            let skip = Int(next - range.start)
            let take = min(range.size - skip, count - result.count)
            let from = range.offset + skip
            guard from >= 0, take > 0, from + take <= data.count else { break }
            result += data[from..<(from + take)]
            let (advanced, wrapped) = next.addingReportingOverflow(UInt64(take))
            guard !wrapped else { break }
            next = advanced
        }
        return result
    }

    static func u16(_ data: Data, _ at: Int) -> UInt16? {
        guard at >= 0, at + 2 <= data.count else { return nil }
        return UInt16(data[at]) | UInt16(data[at + 1]) << 8
    }
    static func u32(_ data: Data, _ at: Int) -> UInt32? {
        guard at >= 0, at + 4 <= data.count else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[at + $1]) << (8 * UInt32($1)) }
    }
    static func u64(_ data: Data, _ at: Int) -> UInt64? {
        guard at >= 0, at + 8 <= data.count else { return nil }
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[at + $1]) << (8 * UInt64($1)) }
    }
}

/// The instructions lldb printed at the program counter in an oracle transcript
/// (`->  0x90a6cd: movl   (%eax), %eax` and the lines after it).
func lldbInstructions(_ transcript: String) -> [(address: UInt64, text: String)] {
    var result: [(address: UInt64, text: String)] = []
    var inside = false
    for line in transcript.split(separator: "\n") {
        if line.hasPrefix("->  0x") { inside = true }
        guard inside else { continue }
        if line.hasPrefix("(lldb)") || !(line.hasPrefix("->  0x") || line.hasPrefix("    0x")) {
            if !result.isEmpty { break }
            continue
        }
        let body = line.dropFirst(4)
        guard let colon = body.firstIndex(of: ":"),
            let address = UInt64(body[body.index(body.startIndex, offsetBy: 2)..<colon], radix: 16)
        else { continue }
        result.append(
            (address, String(body[body.index(after: colon)...]).trimmingCharacters(in: " ")))
    }
    return result
}
