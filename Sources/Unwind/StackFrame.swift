/// How the unwinder found a frame, best first. CDB and Breakpad show the same idea as
/// "Found by".
public enum FrameTrust: String, Sendable, Equatable, CaseIterable {
    /// Frame 0: the thread's context (or a context the user set with `.cxr`).
    case context
    /// From x64 `.pdata`/UNWIND_INFO (RtlVirtualUnwind rules), or the absence of an entry in a
    /// module that has a function table (a leaf function).
    case unwindInfo
    /// From call-frame information supplied from outside (Breakpad STACK CFI / STACK WIN).
    case callFrameInfo
    /// From the frame-pointer chain (ebp/rbp/fp/r11), or the link register of a leaf.
    case framePointer
    /// From a stack slot that looked like a return address: a guess.
    case scan
}

/// One frame of a stack walk.
public struct StackFrame: Sendable, Equatable {
    /// 0 for the innermost frame.
    public var index: Int
    public var instructionPointer: UInt64
    /// The frame's stack pointer: CDB's Child-SP on x64.
    public var stackPointer: UInt64
    /// ebp/rbp/fp/r11 when known: CDB's ChildEBP on x86.
    public var framePointer: UInt64?
    /// The next (caller) frame's instruction pointer, CDB's RetAddr; 0 when the walk ended at a
    /// zero return address, nil when unknown.
    public var returnAddress: UInt64?
    /// Where the callee's stack arguments start: the caller's stack pointer (x86: the pushed
    /// arguments; x64: the four home slots `kb` prints). Nil for the last frame.
    public var argumentsAddress: UInt64?
    public var trust: FrameTrust
    /// Every register known for this frame.
    public var registers: RegisterContext
    /// True for frame 0 and for frames restored from a machine frame (trap/interrupt): their
    /// instruction pointer is where execution stopped, not a return address.
    public var isContextFrame: Bool

    /// The address to look symbols and unwind data up with: the instruction pointer for a
    /// context frame, one byte before it (inside the call) for a return address.
    public var lookupAddress: UInt64 {
        isContextFrame || instructionPointer == 0 ? instructionPointer : instructionPointer - 1
    }
}

/// Why a walk ended.
public enum StackWalkStopReason: Sendable, Equatable {
    /// The caller's instruction pointer was zero or below 0x1000: the normal end of a stack.
    case endOfStack
    /// No method could find a caller (unreadable memory, nothing that looked like a frame).
    case noCaller
    /// The caller's stack pointer did not move up.
    case stackPointerNotIncreasing
    /// A frame repeated an earlier (instruction pointer, stack pointer) pair.
    case loop
    /// `StackWalkLimits.maximumFrames` reached.
    case frameLimit
    /// The initial context lacks the instruction or stack pointer.
    case incompleteContext
}

/// The result of walking one stack.
public struct StackWalk: Sendable, Equatable {
    public var frames: [StackFrame]
    public var stopReason: StackWalkStopReason
}
