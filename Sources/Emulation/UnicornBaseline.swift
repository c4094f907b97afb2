/// Machine code run on a bare Unicorn engine: flat memory, no paging, no hooks, no clock. It is
/// what a program embedding Unicorn directly gets, and the baseline the machine's own speed is
/// measured against (in the same process, on the same library).
public final class UnicornBaseline {
    private let unicorn: Unicorn
    private let codeAddress: UInt64 = 0x10_0000
    private let end: UInt64

    /// Maps `code` and a stack; running starts at the first byte and ends where the code ends.
    public init(code: [UInt8]) throws(EmulationError) {
        unicorn = try Unicorn()
        let size = (code.count + 0xFFF) & ~0xFFF
        try unicorn.map(codeAddress, size: max(size, 0x1000), protection: .all)
        try unicorn.write(codeAddress, code)
        try unicorn.map(0x20_0000, size: 0x1_0000, protection: [.read, .write])
        end = codeAddress + UInt64(code.count)
    }

    /// Runs the code with `rcx` set; returns `rax` at the end.
    public func run(rcx: UInt64) throws(EmulationError) -> UInt64 {
        unicorn[.rcx] = rcx
        unicorn[.rax] = 0
        unicorn[.rsp] = 0x20_F000
        try unicorn.check(
            unicorn.start(at: codeAddress, until: end, instructionLimit: 0), "running")
        return unicorn[.rax]
    }
}
