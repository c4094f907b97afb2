import PEFormat

/// The fallbacks used when no unwind data or call-frame information covers a frame: the
/// frame-pointer chain, the link register of a leaf (ARM), and the stack scan. They follow the
/// rules of Breakpad and rust-minidump (see `minidump-unwind/src/x86.rs`), which real crash
/// dumps have shaped.
struct Heuristics {
    let architecture: CPUArchitecture
    let access: MemoryAccess
    let modules: any UnwindModuleLookup
    let isLikelyReturnAddress: (UInt64) -> Bool
    let limits: StackWalkLimits
    /// r11 (Windows, GCC ARM mode) or r7 (Thumb on Apple and others).
    let armFramePointer: ARMRegister

    private var pointerSize: UInt64 { UInt64(architecture.pointerSize) }

    private func framePointerIndex() -> Int {
        architecture == .arm
            ? armFramePointer.rawValue
            : RegisterContext(architecture: architecture).framePointerIndex
    }

    /// A stack address a frame pointer may hold: aligned, readable.
    private func isPlausibleStackAddress(_ address: UInt64) -> Bool {
        address != 0 && address % pointerSize == 0 && access.pointer(at: address) != nil
    }

    /// True when the address is at least inside some module's code.
    private func isCode(_ address: UInt64) -> Bool {
        let instruction = architecture == .arm ? address & ~1 : address
        return modules.module(containing: instruction)?.isCode(instruction) ?? false
    }

    /// The standard frame record: [fp] = caller's fp, [fp + ptr] = return address, caller's sp =
    /// fp + 2 * ptr. Accepted when fp is a plausible stack address at or above sp and the return
    /// address is code (or zero: the end of the chain).
    func callerByFramePointer(_ frame: StackFrame) -> RegisterContext? {
        let registers = frame.registers
        guard let fp = registers.value(at: framePointerIndex()), let sp = registers.stackPointer,
            fp >= sp, isPlausibleStackAddress(fp),
            let callerFP = access.pointer(at: fp),
            let returnAddress = access.pointer(at: fp, plus: pointerSize),
            let callerSP = fp.adding(2 * pointerSize), callerSP <= architecture.maximumAddress
        else { return nil }
        let callerPC = architecture == .arm ? returnAddress & ~1 : returnAddress
        guard callerPC == 0 || isCode(returnAddress) || isLikelyReturnAddress(returnAddress) else {
            return nil
        }
        var caller = RegisterContext(architecture: architecture)
        caller.instructionPointer = callerPC
        caller.stackPointer = callerSP
        caller.setValue(callerFP, at: framePointerIndex())
        if architecture == .arm64, callerFP != 0, let lr = access.pointer(at: callerFP, plus: 8) {
            caller[ARM64Register.lr] = lr
        }
        return caller
    }

    /// Frame 0 on ARM/ARM64 when the function is a leaf that has not saved the link register:
    /// the caller resumes at lr with the same sp and fp. Chosen when lr looks like a return
    /// address and the frame record at fp does not already name it (a non-leaf that pushed its
    /// record would have [fp + ptr] == lr). `knownLeaf` says the function table proves it.
    func callerByLinkRegister(_ frame: StackFrame, knownLeaf: Bool, inSameFunction: Bool)
        -> RegisterContext?
    {
        guard frame.index == 0, architecture == .arm || architecture == .arm64 else { return nil }
        let registers = frame.registers
        let lrIndex = architecture == .arm64 ? ARM64Register.lr.rawValue : ARMRegister.lr.rawValue
        guard let lr = registers.value(at: lrIndex), let sp = registers.stackPointer,
            !inSameFunction
        else {
            return nil
        }
        if !knownLeaf {
            guard isLikelyReturnAddress(lr) else { return nil }
            if let fp = registers.value(at: framePointerIndex()), fp != 0,
                access.pointer(at: fp, plus: pointerSize) == lr
            {
                return nil
            }
        }
        var caller = registers.preservedAcrossCall()
        caller.instructionPointer = architecture == .arm ? lr & ~1 : lr
        caller.stackPointer = sp
        caller.setValue(registers.value(at: framePointerIndex()), at: framePointerIndex())
        return caller
    }

    /// x86/x64 frame 0 (or a trap frame) executing outside every module, typically after a call
    /// through a bad pointer: if [sp] is a return address, nothing has been pushed yet, so the
    /// caller is there with its callee-saved registers intact. Tried before the frame pointer,
    /// which would skip the caller.
    func callerOfUnknownCode(_ frame: StackFrame) -> RegisterContext? {
        guard architecture == .x86 || architecture == .amd64, frame.isContextFrame,
            modules.module(containing: frame.instructionPointer) == nil,
            let returnAddress = access.pointer(at: frame.stackPointer),
            isLikelyReturnAddress(returnAddress),
            let callerSP = frame.stackPointer.adding(pointerSize)
        else { return nil }
        var caller = frame.registers.preservedAcrossCall()
        caller.instructionPointer = returnAddress
        caller.stackPointer = callerSP
        return caller
    }

    /// Walks up from sp looking for a value that is likely a return address; the caller's sp is
    /// just above that slot. On x86/x64 the caller's frame pointer is recovered when the slot
    /// below holds a pushed one, or kept when the callee seems not to have changed it.
    func callerByScan(_ frame: StackFrame) -> RegisterContext? {
        let registers = frame.registers
        guard let sp = registers.stackPointer else { return nil }
        let reliable = [.context, .callFrameInfo, .unwindInfo].contains(frame.trust)
        let words = reliable ? limits.scanWordsAfterReliableFrame : limits.scanWords
        let lastFP = registers.value(at: framePointerIndex())
        for index in 0..<UInt64(max(0, words)) {
            guard let slot = sp.adding(index * pointerSize), let value = access.pointer(at: slot)
            else {
                return nil
            }
            guard isLikelyReturnAddress(value), let callerSP = slot.adding(pointerSize),
                callerSP <= architecture.maximumAddress
            else { continue }
            // A return address right at sp of an interrupted frame (a call through a bad
            // pointer, a crash before any push) means nothing was saved: callee-saved registers
            // still hold the caller's values.
            let nothingPushed =
                index == 0 && frame.isContextFrame
                && (architecture == .x86 || architecture == .amd64)
            var caller =
                nothingPushed
                ? registers.preservedAcrossCall() : RegisterContext(architecture: architecture)
            caller.instructionPointer = architecture == .arm ? value & ~1 : value
            caller.stackPointer = callerSP
            if nothingPushed { return caller }
            let maximumFrameGap: UInt64 = 128 * 1024
            if index > 0, let below = slot.subtracting(pointerSize),
                let saved = access.pointer(at: below)
            {
                if architecture == .x86 || architecture == .amd64 {
                    if saved > slot, saved - below <= maximumFrameGap,
                        access.pointer(at: saved) != nil,
                        architecture == .x86 || lastFP == below
                    {
                        caller.setValue(saved, at: framePointerIndex())
                    } else if let lastFP, lastFP >= callerSP, access.pointer(at: lastFP) != nil {
                        caller.setValue(lastFP, at: framePointerIndex())
                    }
                } else if saved > slot, saved - below <= maximumFrameGap,
                    access.pointer(at: saved) != nil
                {
                    // ARM frame record [fp, lr]: the slot below the return address is the fp.
                    caller.setValue(saved, at: framePointerIndex())
                }
            }
            return caller
        }
        return nil
    }
}
