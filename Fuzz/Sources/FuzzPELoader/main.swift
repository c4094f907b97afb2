// libFuzzer harness for the simulated machine's PE loader: every input is loaded twice (once
// relocated) into a scratch address space, imports bound to stubs, TLS and exception tables
// read, then unloaded. A bad image must give an error, never a crash, hang or unbounded memory.

import Emulation

nonisolated(unsafe) private var probe: ImageProbe? = try? ImageProbe()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let probe else { return 0 }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    _ = try? probe.load(bytes)
    return 0
}
