import PEFormat

/// Virtual unwinding of one x64 frame with `.pdata`/UNWIND_INFO, following the rules of
/// Windows' RtlVirtualUnwind: establisher frame from the frame register once SET_FPREG has run,
/// unwind codes skipped while their prolog instruction has not executed yet, chained info
/// processed with the same frame base, machine frames restoring RIP and RSP from the trap
/// frame, and epilog detection from the instruction bytes at RIP for frames that were
/// interrupted (frame 0, trap frames) rather than calling out.
struct X64VirtualUnwinder {
    let memory: any ByteSource
    let limits: StackWalkLimits

    enum Outcome {
        /// The module has no function table: other methods must decide.
        case notApplicable
        /// Unwind data exists but could not be applied (unreadable memory, bad data).
        case failed(String)
        /// The caller's registers, and whether they came from a machine frame.
        case unwound(RegisterContext, machineFrame: Bool)
    }

    private var access: MemoryAccess { MemoryAccess(memory: memory, pointerSize: 8) }

    func unwind(_ context: RegisterContext, module: UnwindModule, isContextFrame: Bool) -> Outcome {
        guard let table = module.x64FunctionTable else { return .notApplicable }
        guard let rip = context[AMD64Register.rip], let rsp = context[AMD64Register.rsp] else {
            return .failed("no rip/rsp")
        }
        let lookup = isContextFrame ? rip : rip &- 1
        guard let lookupRVA = module.rva(of: lookup),
            let ripRVA = module.rva(of: rip) ?? module.rva(of: lookup)
        else { return .notApplicable }
        let bytes = ModuleBytes(module: module, memory: memory)

        guard let found = table.lookup(rva: lookupRVA) else {
            // No entry: a leaf function, which touches neither RSP nor non-volatile registers.
            guard let returnAddress = access.pointer(at: rsp), let callerRSP = rsp.adding(8) else {
                return .failed("leaf return address unreadable")
            }
            var caller = context.preservedAcrossCall()
            caller[AMD64Register.rip] = returnAddress
            caller[AMD64Register.rsp] = callerRSP
            return .unwound(caller, machineFrame: false)
        }
        guard let function = resolveIndirect(found, bytes: bytes) else {
            return .failed("indirect RUNTIME_FUNCTION unreadable")
        }
        let info: X64UnwindInfo
        do {
            info = try X64UnwindInfo.read(from: bytes, rva: function.unwindInfoAddress)
        } catch {
            return .failed(error.description)
        }

        // The establisher frame: where SAVE_* offsets are measured from.
        let prologOffset = ripRVA &- function.beginAddress
        var frameBase = rsp
        if info.frameRegister != 0 {
            let useFrameRegister: Bool
            if prologOffset >= UInt32(info.sizeOfProlog) || info.isChained {
                useFrameRegister = true
            } else if let setFP = info.codes.first(where: { $0.operation == .setFramePointer }) {
                useFrameRegister = prologOffset >= UInt32(setFP.codeOffset)
            } else {
                useFrameRegister = false
            }
            if useFrameRegister {
                guard let frameRegister = context.value(at: Int(info.frameRegister)),
                    let base = frameRegister.subtracting(UInt64(info.frameOffset) * 16)
                else { return .failed("frame register unknown") }
                frameBase = base
            }
        }

        if isContextFrame,
            let caller = X64Epilog.unwindIfInEpilog(
                context: context, module: module, function: function, info: info, table: table,
                bytes: bytes, memory: access, limits: limits)
        {
            return .unwound(caller, machineFrame: false)
        }

        var working = context
        var machineFrame = false
        var currentFunction = function
        var currentInfo = info
        var depth = 0
        while true {
            let offset = ripRVA &- currentFunction.beginAddress
            for code in currentInfo.codes where offset >= UInt32(code.codeOffset) {
                if let failure = apply(
                    code, info: currentInfo, frameBase: frameBase, to: &working,
                    machineFrame: &machineFrame)
                {
                    return .failed(failure)
                }
            }
            guard let chained = currentInfo.chainedFunction else { break }
            depth += 1
            guard depth <= limits.maximumChainDepth,
                let next = resolveIndirect(chained, bytes: bytes),
                let nextInfo = try? X64UnwindInfo.read(from: bytes, rva: next.unwindInfoAddress)
            else { return .failed("chained unwind info unreadable or too deep") }
            currentFunction = next
            currentInfo = nextInfo
        }

        var caller = working.preservedAcrossCall()
        guard let finalRSP = working[AMD64Register.rsp] else { return .failed("rsp lost") }
        if machineFrame {
            caller[AMD64Register.rip] = working[AMD64Register.rip]
            caller[AMD64Register.rsp] = finalRSP
            caller[AMD64Register.eflags] = working[AMD64Register.eflags]
        } else {
            guard let returnAddress = access.pointer(at: finalRSP),
                let callerRSP = finalRSP.adding(8)
            else {
                return .failed("return address unreadable")
            }
            caller[AMD64Register.rip] = returnAddress
            caller[AMD64Register.rsp] = callerRSP
        }
        return .unwound(caller, machineFrame: machineFrame)
    }

    /// Applies one unwind code in reverse. Returns a failure message, or nil.
    private func apply(
        _ code: X64UnwindCode, info: X64UnwindInfo, frameBase: UInt64,
        to context: inout RegisterContext,
        machineFrame: inout Bool
    ) -> String? {
        guard let rsp = context[AMD64Register.rsp] else { return "rsp unknown" }
        switch code.operation {
        case .pushNonvolatile(let register):
            guard let value = access.pointer(at: rsp), let next = rsp.adding(8) else {
                return "pushed register unreadable at 0x\(String(rsp, radix: 16))"
            }
            context.setValue(value, at: Int(register))
            if register != UInt8(AMD64Register.rsp.rawValue) { context[AMD64Register.rsp] = next }
        case .allocate(let size, _):
            guard let next = rsp.adding(UInt64(size)) else { return "stack allocation overflows" }
            context[AMD64Register.rsp] = next
        case .setFramePointer:
            guard let frameRegister = context.value(at: Int(info.frameRegister)),
                let base = frameRegister.subtracting(UInt64(info.frameOffset) * 16)
            else { return "frame register unknown" }
            context[AMD64Register.rsp] = base
        case .saveNonvolatile(let register, let offset, _):
            guard let value = access.pointer(at: frameBase, plus: UInt64(offset)) else {
                return "saved register unreadable"
            }
            context.setValue(value, at: Int(register))
        case .saveXMM128(let register, let offset, _):
            guard let address = frameBase.adding(UInt64(offset)),
                let bytes = memory.read(at: address, count: 16)
            else { return "saved XMM register unreadable" }
            var value: UInt128 = 0
            for (index, byte) in bytes.enumerated() { value |= UInt128(byte) << (8 * index) }
            context.xmm[Int(register)] = value
        case .pushMachineFrame(let hasErrorCode):
            let frame = hasErrorCode ? rsp.adding(8) : rsp
            guard let frame, let rip = access.pointer(at: frame),
                let flags = access.pointer(at: frame, plus: 16),
                let oldRSP = access.pointer(at: frame, plus: 24)
            else { return "machine frame unreadable" }
            context[AMD64Register.rip] = rip
            context[AMD64Register.rsp] = oldRSP
            context[AMD64Register.eflags] = flags
            machineFrame = true
        case .epilog:
            break
        case .unknown(let op, _):
            return "unknown unwind operation \(op)"
        }
        return nil
    }

    /// Follows indirect RUNTIME_FUNCTION entries (UnwindData with bit 0 set).
    private func resolveIndirect(_ function: X64RuntimeFunction, bytes: ModuleBytes)
        -> X64RuntimeFunction?
    {
        var current = function
        for _ in 0..<4 {
            guard current.isIndirect else { return current }
            guard let raw = bytes.read(at: UInt64(current.unwindInfoAddress & ~1), count: 12),
                let next = X64RuntimeFunction(bytes: raw)
            else { return nil }
            current = next
        }
        return current.isIndirect ? nil : current
    }
}
