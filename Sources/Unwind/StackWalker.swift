import PEFormat

/// Walks a thread's stack from a register context.
///
/// Per frame the methods are tried best first, and the first that yields a plausible caller
/// wins:
/// * x64: `.pdata`/UNWIND_INFO of the module (a module with a function table but no entry for
///   the address means a leaf: return address at [RSP]); then call-frame info; then the RBP
///   chain; then a scan.
/// * x86: call-frame info (STACK WIN / STACK CFI); then the EBP chain; then a scan.
/// * x86/x64 frame 0 executing outside every module (a call through a bad pointer) first tries
///   the return address at [SP], keeping callee-saved registers.
/// * ARM64 / ARM: call-frame info; for frame 0 the link register when the function is a leaf;
///   then the frame-record chain (x29/x30, r11 or r7 with lr); then a scan.
///
/// A caller must have a larger stack pointer than its callee (equal is allowed once, for an ARM
/// leaf, and any value after a machine frame, which may switch stacks), and no (instruction
/// pointer, stack pointer) pair may repeat, so every walk ends: at a zero return address, when
/// nothing finds a caller, or at `limits.maximumFrames`.
public struct StackWalker: Sendable {
    public var architecture: CPUArchitecture
    /// The target's memory by virtual address (stack, and code when modules lack image bytes).
    public var memory: any ByteSource
    public var modules: any UnwindModuleLookup
    /// External unwind rules (Breakpad STACK CFI / STACK WIN), consulted after x64 unwind info
    /// and before the heuristics.
    public var callFrameInfo: (any CallFrameInfoProvider)?
    /// Replaces the built-in "looks like a return address" test used by the scan and to
    /// validate frame-pointer results (the built-in: inside a module's executable section and,
    /// for x86/x64/ARM64/ARM, just after a call instruction when the code can be read).
    public var isLikelyReturnAddress: (@Sendable (UInt64) -> Bool)?
    public var limits: StackWalkLimits
    /// The ARM (32-bit) frame pointer: r11 (Windows) or r7 (Thumb code elsewhere).
    public var armFramePointer: ARMRegister

    public init(
        architecture: CPUArchitecture, memory: any ByteSource, modules: any UnwindModuleLookup,
        callFrameInfo: (any CallFrameInfoProvider)? = nil,
        isLikelyReturnAddress: (@Sendable (UInt64) -> Bool)? = nil,
        limits: StackWalkLimits = StackWalkLimits(),
        armFramePointer: ARMRegister = .r11
    ) {
        self.architecture = architecture
        self.memory = memory
        self.modules = modules
        self.callFrameInfo = callFrameInfo
        self.isLikelyReturnAddress = isLikelyReturnAddress
        self.limits = limits
        self.armFramePointer = armFramePointer
    }

    /// Walks the stack whose innermost frame has `context` (at least instruction and stack
    /// pointer; the more registers, the better).
    public func walk(from context: RegisterContext) -> StackWalk {
        guard context.architecture == architecture, let ip = context.instructionPointer,
            let sp = context.stackPointer
        else { return StackWalk(frames: [], stopReason: .incompleteContext) }
        var frames = [
            StackFrame(
                index: 0, instructionPointer: ip, stackPointer: sp,
                framePointer: framePointer(of: context),
                returnAddress: nil, argumentsAddress: nil, trust: .context, registers: context,
                isContextFrame: true)
        ]
        var seen: Set<FrameKey> = [FrameKey(ip: ip, sp: sp)]
        while frames.count < max(1, limits.maximumFrames) {
            let callee = frames[frames.count - 1]
            switch step(from: callee) {
            case .stop(let reason):
                if reason == .endOfStack { frames[frames.count - 1].returnAddress = 0 }
                return StackWalk(frames: frames, stopReason: reason)
            case .caller(let caller):
                guard
                    seen.insert(FrameKey(ip: caller.instructionPointer, sp: caller.stackPointer))
                        .inserted
                else {
                    return StackWalk(frames: frames, stopReason: .loop)
                }
                frames[frames.count - 1].returnAddress = caller.instructionPointer
                frames[frames.count - 1].argumentsAddress = caller.stackPointer
                frames.append(caller)
            }
        }
        return StackWalk(frames: frames, stopReason: .frameLimit)
    }

    /// The caller of one frame, or nil when none can be found (for `gu`-like uses).
    public func caller(of frame: StackFrame) -> StackFrame? {
        if case .caller(let caller) = step(from: frame) { return caller }
        return nil
    }

    // MARK: One step

    private struct FrameKey: Hashable {
        let ip: UInt64
        let sp: UInt64
    }

    private enum Step {
        case caller(StackFrame)
        case stop(StackWalkStopReason)
    }

    private func framePointer(of registers: RegisterContext) -> UInt64? {
        architecture == .arm ? registers[armFramePointer] : registers.framePointer
    }

    private var returnAddressTest: @Sendable (UInt64) -> Bool {
        if let isLikelyReturnAddress { return isLikelyReturnAddress }
        let check = ReturnAddressCheck(architecture: architecture, modules: modules, memory: memory)
        return { check.isLikelyReturnAddress($0) }
    }

    private func step(from callee: StackFrame) -> Step {
        let access = MemoryAccess(memory: memory, pointerSize: architecture.pointerSize)
        let heuristics = Heuristics(
            architecture: architecture, access: access, modules: modules,
            isLikelyReturnAddress: returnAddressTest,
            limits: limits, armFramePointer: armFramePointer)
        let module = modules.module(containing: callee.lookupAddress)
        var sawBackwardStack = false

        func accept(_ registers: RegisterContext?, trust: FrameTrust, machineFrame: Bool = false)
            -> Step?
        {
            guard let registers, let ip = registers.instructionPointer,
                let sp = registers.stackPointer
            else {
                return nil
            }
            if ip < 0x1000 {
                return trust == .scan ? nil : .stop(.endOfStack)
            }
            let allowEqual = callee.index == 0 && (architecture == .arm || architecture == .arm64)
            if !machineFrame, sp < callee.stackPointer || (sp == callee.stackPointer && !allowEqual)
            {
                sawBackwardStack = true
                return nil
            }
            return .caller(
                StackFrame(
                    index: callee.index + 1, instructionPointer: ip, stackPointer: sp,
                    framePointer: framePointer(of: registers), returnAddress: nil,
                    argumentsAddress: nil,
                    trust: trust, registers: registers, isContextFrame: machineFrame))
        }

        // 1. x64 unwind data.
        if architecture == .amd64, let module {
            let unwinder = X64VirtualUnwinder(memory: memory, limits: limits)
            if case .unwound(let registers, let machineFrame) = unwinder.unwind(
                callee.registers, module: module, isContextFrame: callee.isContextFrame),
                let result = accept(registers, trust: .unwindInfo, machineFrame: machineFrame)
            {
                return result
            }
        }

        // 2. Call-frame information from outside.
        if let callFrameInfo {
            let query = CallFrameQuery(
                registers: callee.registers, lookupAddress: callee.lookupAddress,
                frameIndex: callee.index,
                module: module)
            if var registers = callFrameInfo.callerRegisters(for: query, memory: memory) {
                // Rules that leave a callee-saved register out mean "unchanged".
                for index in callee.registers.nonvolatileIndices
                where registers.value(at: index) == nil {
                    registers.setValue(callee.registers.value(at: index), at: index)
                }
                if let result = accept(registers, trust: .callFrameInfo) { return result }
            }
        }

        // 3. ARM leaf: the return address is still in the link register.
        if architecture == .arm || architecture == .arm64, callee.index == 0 {
            var knownLeaf = false
            var inSameFunction = false
            if let module, let table = module.armFunctionTable,
                let pcRVA = module.rva(of: callee.instructionPointer)
            {
                if let function = table.lookup(rva: pcRVA) {
                    let lrIndex =
                        architecture == .arm64 ? ARM64Register.lr.rawValue : ARMRegister.lr.rawValue
                    if let lr = callee.registers.value(at: lrIndex),
                        let lrRVA = module.rva(of: lr & ~1)
                    {
                        inSameFunction = function.contains(rva: lrRVA)
                    }
                } else {
                    knownLeaf = true
                }
            }
            if let result = accept(
                heuristics.callerByLinkRegister(
                    callee, knownLeaf: knownLeaf, inSameFunction: inSameFunction),
                trust: knownLeaf ? .unwindInfo : .framePointer)
            {
                return result
            }
        }

        // 4. Code outside every module with the return address at [sp]; 5. frame pointer
        // chain; 6. scan.
        if let result = accept(heuristics.callerOfUnknownCode(callee), trust: .scan) {
            return result
        }
        if let result = accept(heuristics.callerByFramePointer(callee), trust: .framePointer) {
            return result
        }
        if let result = accept(heuristics.callerByScan(callee), trust: .scan) { return result }
        return .stop(sawBackwardStack ? .stackPointerNotIncreasing : .noCaller)
    }
}
