import DumpFormat

/// libFuzzer entry point: open the bytes as a minidump and read everything the reader offers.
/// Any crash, sanitizer report, timeout or runaway allocation is a bug in the reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMinidump(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let dump = try? Minidump(bytes: bytes) else { return 0 }
    _ = dump.checkAllStreams()
    _ = dump.warnings
    // Decode every context under every architecture guess, as a caller without SystemInfo would.
    if let threads = try? dump.threads() {
        for thread in threads.prefix(64) {
            guard let raw = try? dump.bytes(at: thread.threadContext, what: "context") else {
                continue
            }
            for arch in [ProcessorArchitecture.intel, .amd64, .arm, .arm64, .arm64Old] {
                if let context = try? CPUContext(decoding: raw, architecture: arch) {
                    _ = context.register(named: "eax")
                    _ = context.register(named: "w0")
                    _ = context.instructionPointer
                }
            }
        }
    }
    return 0
}
