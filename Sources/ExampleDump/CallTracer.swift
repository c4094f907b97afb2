/// Follows calls and returns as the emulated program runs, so the generator knows the true call
/// chain at the crash: a shadow stack that the dump's stack walk can be checked against.
///
/// Only the instructions that move control between functions are decoded: `call rel32`,
/// `call r/m64` (FF /2), `ret` and `ret imm16`, after any legacy prefixes and a REX prefix.
/// A tail call (`jmp` to another function) replaces the caller's frame, exactly as the stack
/// holds it, so it needs no special case.
struct CallTracer {
    /// Calls in progress, outermost first.
    private(set) var active: [TracedCall] = []

    /// Deeper call chains mean runaway recursion, not the example.
    static let maximumDepth = 10_000

    enum Transfer: Equatable {
        case call
        case ret
        case other
    }

    /// What the instruction `bytes` does to the call chain.
    static func classify(_ bytes: [UInt8]) -> Transfer {
        var index = 0
        let prefixes: Set<UInt8> = [
            0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3,
        ]
        while index < bytes.count, prefixes.contains(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] & 0xF0 == 0x40 { index += 1 }
        guard index < bytes.count else { return .other }
        switch bytes[index] {
        case 0xE8: return .call
        case 0xC3, 0xC2: return .ret
        case 0xFF:
            guard index + 1 < bytes.count else { return .other }
            return (bytes[index + 1] >> 3) & 7 == 2 ? .call : .other
        default: return .other
        }
    }

    /// Records the instruction at `address` (of `bytes`) about to run with stack pointer `rsp`.
    mutating func observe(address: UInt64, bytes: [UInt8], rsp: UInt64) {
        switch Self.classify(bytes) {
        case .call:
            guard active.count < Self.maximumDepth else { return }
            active.append(
                TracedCall(
                    callSite: address, returnAddress: address &+ UInt64(bytes.count),
                    callerStackPointer: rsp))
        case .ret:
            // A return pops every call whose frame lies at or below the returning stack
            // pointer (normally exactly one).
            while let last = active.last, last.callerStackPointer <= rsp &+ 8 {
                active.removeLast()
            }
        case .other:
            break
        }
    }
}

/// One call in progress when the program crashed: a frame the stack walk must find.
public struct TracedCall: Sendable, Equatable {
    /// The address of the call instruction.
    public var callSite: UInt64
    /// Where execution continues when the callee returns (the caller frame's RetAddr).
    public var returnAddress: UInt64
    /// The caller's stack pointer as it made the call (the caller frame's Child-SP).
    public var callerStackPointer: UInt64
}
