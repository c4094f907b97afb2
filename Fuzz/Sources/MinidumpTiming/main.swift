// Timing harness for DumpFormat.
//
//   MinidumpTiming generate PATH [RANGES] [SPAN_GIB]
//       Writes a sparse full-memory-style dump: RANGES Memory64List ranges of 1–4 pages spread
//       over SPAN_GIB GiB of address space (defaults 4096 and 8), plus threads and modules.
//   MinidumpTiming open PATH [ITERATIONS]
//       Only opens the dump (maps it, reads the header and the directory).
//   MinidumpTiming read PATH [ITERATIONS]
//       Opens the dump, lists modules, reads 16 bytes at the start of each of 8 ranges and at
//       a module base; prints the mean time per iteration (default 1: for hyperfine).
import DumpFormat

#if canImport(Glibc)
    import Glibc
#endif

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func format(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

func fail(_ message: String) -> Never {
    print("MinidumpTiming: \(message)")
    exit(2)
}

func generate(path: String, ranges: Int, spanGiB: UInt64) throws {
    var builder = MinidumpBuilder()
    var system = MINIDUMP_SYSTEM_INFO()
    system.processorArchitecture = .amd64
    system.platformId = .win32NT
    system.majorVersion = 10
    system.buildNumber = 19041
    system.numberOfProcessors = 8
    builder.systemInfo = system
    builder.flags = 0x2  // MiniDumpWithFullMemory
    let span = spanGiB << 30
    let stride = span / UInt64(ranges)
    var total: UInt64 = 0
    for index in 0..<ranges {
        let pages = UInt64(1 + index % 4)
        let start = 0x1_0000_0000 + UInt64(index) * stride
        builder.memory64.append(
            (
                start,
                .generated(size: pages * 4096) { address, count in
                    (0..<count).map { UInt8(truncatingIfNeeded: (address &+ UInt64($0)) >> 3) }
                }
            ))
        total += pages * 4096
    }
    for index in 0..<200 {
        var module = MinidumpBuilder.Module(
            name: "C:\\Windows\\System32\\module\(index).dll",
            baseOfImage: 0x7ff8_0000_0000 + UInt64(index) << 24, sizeOfImage: 0x10_0000)
        module.codeView = .pdb70(
            signature: GUID(data1: UInt32(index)), age: 1, pdbFileName: "module\(index).pdb")
        builder.modules.append(module)
    }
    for index in 0..<32 {
        builder.threads.append(
            MinidumpBuilder.Thread(
                threadId: UInt32(100 + index),
                context: CPUContext.encode(
                    architecture: .amd64,
                    registers: ["rip": 0x7ff8_0000_1000, "rsp": 0x1_0000_0000])))
    }
    let start = now()
    try builder.write(to: path)
    print(
        "wrote \(path): \(ranges) ranges, \(total) bytes of memory over \(spanGiB) GiB, in \(format(now() - start, digits: 2)) s"
    )
}

func read(path: String, iterations: Int) throws {
    var checksum = 0
    let start = now()
    for _ in 0..<iterations {
        let dump = try Minidump(path: path)
        let modules = try dump.modules()
        checksum &+= modules.count
        let memory = dump.memory()
        for range in memory.ranges.prefix(8) {
            checksum &+= Int(memory.read(at: range.start, count: 16)?.first ?? 0)
        }
        if let last = memory.ranges.last {
            checksum &+= Int(memory.read(at: last.start, count: 16)?.first ?? 0)
        }
        checksum &+= memory.readAvailable(at: modules.first?.baseAddress ?? 0, count: 16).count
    }
    let elapsed = (now() - start) / Double(iterations)
    print(
        "open + modules + memory reads: \(format(elapsed * 1e6, digits: 1)) µs per iteration "
            + "(\(iterations) iterations, checksum \(checksum))")
}

func openOnly(path: String, iterations: Int) throws {
    var streams = 0
    let start = now()
    for _ in 0..<iterations { streams &+= try Minidump(path: path).directory.count }
    let elapsed = (now() - start) / Double(iterations)
    print(
        "open (header + directory): \(format(elapsed * 1e6, digits: 1)) µs per iteration (\(streams / iterations) streams)"
    )
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: MinidumpTiming generate|read PATH [N] [SPAN_GIB]") }
do {
    switch arguments[1] {
    case "generate":
        try generate(
            path: arguments[2], ranges: arguments.count > 3 ? Int(arguments[3]) ?? 4096 : 4096,
            spanGiB: arguments.count > 4 ? UInt64(arguments[4]) ?? 8 : 8)
    case "open":
        try openOnly(
            path: arguments[2], iterations: arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1)
    case "read":
        try read(path: arguments[2], iterations: arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1)
    default:
        fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
