import Disassembly

/// Whether the debugger runs as CDB (user mode) or KD (kernel mode). It decides the prompt and
/// the default extension behaviour; the target decides what commands can do.
public enum DebuggerMode: Sendable, Equatable {
    case user
    case kernel
}

/// Everything the session knows besides its output: the target, the radix, user
/// pseudo-registers, paths, the open log, and where `d*`/`u` continue. Only ever touched on the
/// session's command queue.
public final class DebuggerState {
    public let mode: DebuggerMode
    /// The program name shown in messages (`xcdb`, `xkd`).
    public let programName: String

    /// The target as opened, in its native mode.
    public private(set) var nativeTarget: (any Target)?
    /// Commands see a WOW64 target's 32-bit view (`.effmach x86`, `!wow64exts.sw`). Only ever
    /// true while the target has one.
    public private(set) var inGuestMode = false

    /// The current target as commands see it: the WOW64 guest view in guest mode, else the
    /// target as opened. Setting it opens a new target in its native mode.
    public var target: (any Target)? {
        get {
            if inGuestMode, let guest = guestMode { return guest.view }
            return nativeTarget
        }
        set {
            nativeTarget = newValue
            inGuestMode = false
            guestModeMade = false
            madeGuestMode = nil
        }
    }

    /// The target's WOW64 guest view, made on first use (nil for every other target).
    public var guestMode: GuestMode? {
        if !guestModeMade {
            guestModeMade = true
            madeGuestMode = nativeTarget?.makeGuestMode()
        }
        return madeGuestMode
    }
    private var guestModeMade = false
    private var madeGuestMode: GuestMode?

    /// Runs `body` with the target shown in the mode its last event ran in (a WOW64 exception
    /// in 32-bit code is analysed as x86), then puts back the mode and what switching reset.
    public func inEventMode<T>(_ body: () throws -> T) rethrows -> T {
        guard let guest = guestMode, guest.lastEventInGuest != inGuestMode else {
            return try body()
        }
        let saved = (inGuestMode, contextOverride, currentFrame, nextDisassemblyAddress)
        setGuestMode(guest.lastEventInGuest)
        defer {
            inGuestMode = saved.0
            contextOverride = saved.1
            currentFrame = saved.2
            nextDisassemblyAddress = saved.3
        }
        return try body()
    }

    /// Switches between the native and the WOW64 guest view (a no-op without a guest view).
    /// What was derived from the other mode's registers (a chosen context or frame, where `u`
    /// continues) no longer applies.
    public func setGuestMode(_ guest: Bool) {
        let wanted = guest && guestMode != nil
        guard wanted != inGuestMode else { return }
        inGuestMode = wanted
        contextOverride = nil
        currentFrame = 0
        nextDisassemblyAddress = nil
    }

    /// Ways of opening targets from files (`.opendump`), in the order they are tried.
    public var openers: [any TargetOpener]

    /// Default input radix for MASM numbers: 8, 10 or 16.
    public var radix: Int = 16
    /// `$t0`..`$t19`.
    public var userPseudoRegisters = [UInt64](repeating: 0, count: 20)

    /// The debugger's own command line, for `version`.
    public var commandLine: String = ""

    /// Symbols for the target's modules.
    public var symbols = SymbolManager()
    /// PE images of the target's modules (exports, unwind tables, version resources).
    public var images = ModuleImages()
    /// See `moduleMap`.
    var cachedModuleMap: ModuleMap?
    /// Disassemblers by machine, created on first use (nil: Capstone could not make one). A
    /// list rather than a dictionary: a dictionary keyed by a new type costs the runtime a
    /// scan of every protocol conformance at start-up.
    var disassemblers: [(machine: Machine, disassembler: Disassembler?)] = []

    /// `.sympath` / `-y`.
    public var symbolPath: String = ""
    /// `-i`.
    public var imagePath: String = ""
    /// `-lines` / `.lines`.
    public var sourceLines = false
    /// `-v`.
    public var verbose = false

    /// The network sharing machinery (`.remote`, `.server`), injected by the Frontend; nil when
    /// the program has none.
    public var sharing: (any SessionSharing)?

    /// The open log file and its place in the output hub, if any (`.logopen`).
    public var log: (file: LogFile, sink: OutputHub.SinkID)?

    /// How many frames `k` shows (and words `kd` shows) by default (`.kframes`).
    public var defaultFrameCount = StackService.defaultFrameCount
    /// `as`/`aS` aliases and `$u0`...`$u9`.
    public var aliases = AliasTable()
    /// The path of the last dump opened (the `$CurrentDumpFile` alias).
    public var dumpFilePath: String?
    /// What the dump's opener warned about (damaged or truncated streams), for `!analyze -json`.
    public var loadWarnings: [String] = []

    /// What an empty line re-runs.
    public var repeatLine: String?
    /// `.opendump` loaded a dump and `g` has not finished loading it yet.
    public var bannerPending = false
    /// Set by `q`; the session stops after the current command.
    public var quitRequested = false

    /// Where a `d*` command without an address continues, and with which command.
    public var nextDisplayAddress: UInt64?
    public var lastDisplayCommand: String?
    /// How many bytes the last `d*` showed (a continuation shows as many).
    public var lastDisplayByteCount: UInt64 = 0
    /// Where `u` without an address continues.
    public var nextDisassemblyAddress: UInt64?

    /// Index of the current thread in the target's thread list (`~Ns`).
    public var currentThread = 0 {
        didSet {
            contextOverride = nil
            currentFrame = 0
        }
    }
    /// The frame `.frame` selected (0 = innermost).
    public var currentFrame = 0
    /// A register context chosen with `.ecxr` / `.cxr`, used instead of the current thread's
    /// own until the thread changes or the context is reset.
    public var contextOverride: RegisterSet?

    /// The registers commands use: the chosen context, else the current thread's.
    public var currentRegisters: RegisterSet? {
        contextOverride ?? target?.registers(ofThread: currentThread)
    }
    /// Breakpoints, event filters and the last event of a live target.
    public var live = LiveState()

    /// The thread a `~N` prefix names while its command runs (`~1 bp` is thread-specific).
    public var threadPrefix: Int?

    /// Index of the current processor (kernel targets).
    public var currentProcessor = 0

    public init(mode: DebuggerMode, programName: String, openers: [any TargetOpener] = []) {
        self.mode = mode
        self.programName = programName
        self.openers = openers
    }

    /// The prompt, followed by one space: `0:000> ` for a user-mode target, `kd> ` in kernel
    /// mode, and the program's name when nothing is open yet.
    public var prompt: String {
        switch mode {
        case .kernel:
            return "kd> "
        case .user:
            guard target != nil else { return "\(programName)> " }
            // A WOW64 process shown in x86 mode: `0:000:x86> ` (x--examine-symbols-.md).
            let mode = inGuestMode ? ":" + EffectiveMachineText.name(target?.machine ?? .x86) : ""
            return "0:" + String(currentThread).leftPadded(to: 3, with: "0") + mode + "> "
        }
    }

    /// Pointer size in bytes: the target's, or 8 with no target.
    public var pointerSize: Int { target?.machine.pointerSize ?? 8 }
}

extension String {
    /// The string padded on the left to `width` characters.
    public func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    /// The string padded on the right to `width` characters.
    public func rightPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : self + String(repeating: pad, count: width - count)
    }
}
