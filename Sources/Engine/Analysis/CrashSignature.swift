import Unwind

/// A crash signature: text that is the same for the same bug on different machines and runs,
/// so dumps can be grouped by cause.
///
/// The rule (documented in docs/json-analysis.md):
/// 1. Take the faulting thread's stack from the exception context, innermost first.
/// 2. Skip the leading frames in system and C runtime modules (`ntdll`, `kernelbase`,
///    `ucrtbase`, `libc`, ...): they say how the crash was reported, not where it happened.
///    When every frame is a system frame, keep them all.
/// 3. Keep the next `frameCount` frames and write each without addresses: `module!symbol`
///    when the module's symbols name it (no `+0x` offset), `module+0xRVA` when only the
///    module is known (an offset from the module's base, the same at any load address), and
///    `???` outside every module. Module names are lower-cased.
/// 4. Prefix the exception: the NTSTATUS in eight hex digits on Windows, the signal or Mach
///    exception name on Linux and macOS, followed by `!analyze`'s fault class when it says
///    more than the code (`NULL_POINTER_WRITE`, `FAIL_FAST_FATAL_APP_EXIT`).
///
/// Example: `c0000005 NULL_POINTER_WRITE | crashdemo!reserve_stock | crashdemo!apply_order`.
public struct CrashSignature: Sendable, Equatable {
    /// How many frames the signature keeps.
    public static let frameCount = 5

    /// The exception part (`c0000005`, `SIGSEGV`).
    public var exception: String
    /// The normalised frames.
    public var frames: [String]

    /// The whole signature.
    public var text: String {
        ([exception] + frames).joined(separator: " | ")
    }

    /// A short stable id of the text (FNV-1a, 64 bits, 16 hex digits), for file names and
    /// indexes.
    public var hash: String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func make(facts: CrashFacts, state: DebuggerState, target: any Target)
        -> CrashSignature
    {
        let platform = target.system?.platform
        let code = facts.event.exception.code
        var exception: String
        switch platform {
        case .macOS?, .iOS?:
            exception = ExceptionNames.symbol(of: code, platform: platform) ?? "EXC_\(code)"
        case .linux?, .android?:
            exception = ExceptionNames.symbol(of: code, platform: platform) ?? "SIGNAL_\(code)"
        default: exception = Hex.digits(UInt64(code), width: 8)
        }
        // The fault's class where it says more than the code (a NULL read against a write).
        let faultClass = facts.faultClass.bucketPrefix
        if faultClass != exception, faultClass != "APPLICATION_FAULT" {
            exception += " " + faultClass
        }
        let names = state.moduleMap.names
        let isSystem: (StackFrame) -> Bool = { frame in
            guard let index = state.moduleMap.index(containing: frame.lookupAddress) else {
                return false
            }
            return CrashAnalysis.isSystemModule(names[index])
        }
        let firstOwn = facts.frames.firstIndex { !isSystem($0) } ?? 0
        let frames = facts.frames.dropFirst(firstOwn).prefix(frameCount).map {
            normalisedFrame($0, state: state, target: target)
        }
        return CrashSignature(exception: exception, frames: Array(frames))
    }

    /// One frame without addresses.
    static func normalisedFrame(_ frame: StackFrame, state: DebuggerState, target: any Target)
        -> String
    {
        let address = frame.lookupAddress
        guard let index = state.moduleMap.index(containing: address) else { return "???" }
        let module = target.modules[index]
        let name = state.moduleMap.names[index].lowercased()
        if let source = state.symbols.source(for: module, in: state),
            let match = source.nearestSymbol(atOrBelow: address - module.base)
        {
            return "\(name)!\(match.symbol.name)"
        }
        return "\(name)+\(Hex.prefixed(address - module.base))"
    }
}
