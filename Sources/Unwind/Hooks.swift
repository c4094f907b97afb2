import PEFormat

/// What a call-frame-information provider is asked about one frame.
public struct CallFrameQuery: Sendable {
    /// The frame's registers (at least instruction and stack pointer).
    public var registers: RegisterContext
    /// The address to look rules up with: the instruction pointer for frame 0 and trap frames,
    /// the return address minus one otherwise.
    public var lookupAddress: UInt64
    /// 0 for the innermost frame.
    public var frameIndex: Int
    /// The module holding `lookupAddress`, if any.
    public var module: UnwindModule?
}

/// External unwind rules, such as Breakpad `STACK CFI` / `STACK WIN` records from `.sym` files.
///
/// Given a frame's registers and the memory, return the caller's registers (at least the
/// instruction and stack pointer), or nil when there are no rules for this address. Callee-saved
/// registers the result leaves unknown are carried over from the callee when the callee knew
/// them (a rule that does not mention a register means "unchanged").
public protocol CallFrameInfoProvider: Sendable {
    func callerRegisters(for query: CallFrameQuery, memory: any ByteSource) -> RegisterContext?
}

/// Bounds that keep every walk finite on hostile or corrupt stacks.
public struct StackWalkLimits: Sendable, Equatable {
    /// Frames returned at most (CDB's default `k` shows far fewer).
    public var maximumFrames: Int
    /// Stack slots examined when scanning from a frame found by a reliable method.
    public var scanWordsAfterReliableFrame: Int
    /// Stack slots examined when scanning from a frame that was itself guessed.
    public var scanWords: Int
    /// Nesting of chained x64 unwind info followed before giving up.
    public var maximumChainDepth: Int

    public init(
        maximumFrames: Int = 1024, scanWordsAfterReliableFrame: Int = 160, scanWords: Int = 40,
        maximumChainDepth: Int = 32
    ) {
        self.maximumFrames = maximumFrames
        self.scanWordsAfterReliableFrame = scanWordsAfterReliableFrame
        self.scanWords = scanWords
        self.maximumChainDepth = maximumChainDepth
    }
}
