import Unwind

/// What `!analyze` works out about the recorded exception, shared by its text and JSON forms:
/// the fault's class, the faulting thread's stack from the exception context, the frame blamed
/// and the failure bucket.
struct CrashFacts {
    var event: TargetEvent
    var faultClass: CrashAnalysis.FaultClass
    /// The address the faulting access tried to reach, for access violations.
    var accessAddress: UInt64?
    /// The exception context, else the faulting thread's registers.
    var registers: RegisterSet?
    var frames: [StackFrame]
    var stopReason: StackWalkStopReason?
    /// Index into `frames` of the frame blamed: the first in a module outside the OS and C
    /// runtime, else frame 0.
    var blamedFrame: Int?
    /// The blamed frame's module index in the target's module list.
    var blamedModule: Int?
    /// The blamed frame's symbol without offset, when the module's symbols have one.
    var blamedSymbol: String?
    /// `SYMBOL_NAME`: `module!symbol+0x12`, or `module+0x1234` without symbols.
    var symbolText: String?
    /// `FAILURE_BUCKET_ID`.
    var bucket: String

    /// How many frames `!analyze` walks.
    static let frameLimit = 64

    /// The facts of the target's last event, or nil when nothing is recorded.
    static func gather(state: DebuggerState, target: any Target) -> CrashFacts? {
        guard let event = target.lastEvent else { return nil }
        let platform = target.system?.platform
        let (faultClass, accessAddress) = CrashAnalysis.classify(
            event, platform: platform, pointerSize: target.machine.pointerSize, state: state)
        let registers =
            event.context ?? event.threadIndex.flatMap { target.registers(ofThread: $0) }
        var frames: [StackFrame] = []
        var stopReason: StackWalkStopReason?
        if let registers,
            let walk = StackService.walk(
                state: state, registers: registers, maximumFrames: frameLimit)
        {
            frames = walk.frames
            stopReason = walk.stopReason
        }
        let names = state.moduleMap.names
        let blamed =
            frames.firstIndex { frame in
                guard let index = state.moduleMap.index(containing: frame.lookupAddress) else {
                    return false
                }
                return !CrashAnalysis.isSystemModule(names[index])
            } ?? (frames.isEmpty ? nil : 0)
        var facts = CrashFacts(
            event: event, faultClass: faultClass, accessAddress: accessAddress,
            registers: registers, frames: frames, stopReason: stopReason, blamedFrame: blamed,
            bucket: "")
        var symbolName = "Unknown"
        var imageName = "Unknown"
        if let blamed, let index = state.moduleMap.index(containing: frames[blamed].lookupAddress) {
            let module = target.modules[index]
            let moduleName = names[index]
            facts.blamedModule = index
            imageName = module.imageName
            if let source = state.symbols.source(for: module, in: state),
                let match = source.nearestSymbol(
                    atOrBelow: frames[blamed].lookupAddress - module.base)
            {
                symbolName = match.symbol.name
                facts.blamedSymbol = match.symbol.name
                let offset = frames[blamed].instructionPointer &- module.base &- match.symbol.rva
                facts.symbolText = SymbolText.format(
                    "\(moduleName)!\(match.symbol.name)", offset: offset)
            } else {
                facts.symbolText =
                    "\(moduleName)+\(Hex.prefixed(frames[blamed].instructionPointer &- module.base))"
            }
        }
        let code = event.exception.code
        let codeSuffix =
            platform?.isPosix == true ? "" : "_" + Hex.digits(UInt64(code), width: 8)
        facts.bucket = "\(faultClass.bucketPrefix)\(codeSuffix)_\(imageName)!\(symbolName)"
        return facts
    }
}
