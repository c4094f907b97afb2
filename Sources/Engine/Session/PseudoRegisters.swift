import FoundationEssentials

/// Automatic pseudo-registers (`$ip`, `$teb`, `$tid`, ...) and the user ones (`$t0`..`$t19`),
/// resolved against the session state. Shared by `r` and the expression evaluator.
public enum PseudoRegisters {
    /// Why a pseudo-register has no value.
    public enum Failure: Error, Sendable, Equatable {
        /// Not a pseudo-register name at all.
        case unknown
        /// A known name with no value on this target (no target, minidump without a TEB, ...).
        case unavailable
    }

    /// The names `r` and completion offer.
    public static let automaticNames = [
        "$ip", "$eventip", "$retreg", "$retreg64", "$csp", "$ra", "$peb", "$teb", "$tid", "$tpid",
        "$ptrsize", "$pagesize", "$thread", "$proc", "$exentry", "$exr_code", "$exr_chance",
        "$exr_numparams", "$dbgtime",
    ]

    /// Index of `$tN`, if `name` is one.
    public static func userIndex(_ name: String) -> Int? {
        let lowered = name.lowercased()
        guard lowered.hasPrefix("$t"), let index = Int(lowered.dropFirst(2)),
            (0...19).contains(index),
            lowered.count <= 4
        else { return nil }
        return index
    }

    /// The value of a pseudo-register (name with its `$`, case-insensitive).
    public static func value(_ name: String, state: DebuggerState) -> Result<UInt64, Failure> {
        if let index = userIndex(name) { return .success(state.userPseudoRegisters[index]) }
        let lowered = name.lowercased()
        if lowered.hasPrefix("$exr_param"), let n = Int(lowered.dropFirst(10)), (0...14).contains(n)
        {
            guard let parameters = state.target?.lastEvent?.exception.parameters,
                n < parameters.count
            else { return .failure(.unavailable) }
            return .success(parameters[n])
        }
        guard let resolver = resolvers[lowered] else { return .failure(.unknown) }
        guard let value = resolver(state) else { return .failure(.unavailable) }
        return .success(value)
    }

    private static let resolvers: [String: @Sendable (DebuggerState) -> UInt64?] = [
        "$ip": { $0.currentRegisters?.instructionPointer },
        "$eventip": { $0.target?.lastEvent?.context?.instructionPointer },
        "$retreg": { $0.currentRegisters?.returnValue },
        "$retreg64": { $0.currentRegisters?.returnValue },
        "$csp": { $0.currentRegisters?.stackPointer },
        "$ra": returnAddress,
        "$ptrsize": { UInt64($0.pointerSize) },
        "$pagesize": { _ in 0x1000 },
        "$teb": teb,
        "$thread": teb,
        "$peb": peb,
        "$proc": peb,
        "$tid": { state in
            state.target?.threads.indices.contains(state.currentThread) == true
                ? state.target.map { UInt64($0.threads[state.currentThread].systemID) } : nil
        },
        "$tpid": { $0.target?.processID.map(UInt64.init) },
        "$exentry": { $0.target?.entryPoint },
        "$exr_code": { $0.target?.lastEvent.map { UInt64($0.exception.code) } },
        "$exr_chance": { state in
            state.target?.lastEvent?.firstChance.map { $0 ? 1 : 0 }
        },
        "$exr_numparams": { $0.target?.lastEvent.map { UInt64($0.exception.parameters.count) } },
        "$dbgtime": { _ in
            // FILETIME: 100 ns ticks since 1601.
            UInt64(max(0, (Date.now.timeIntervalSince1970 + 11_644_473_600) * 10_000_000))
        },
    ]

    private static func teb(_ state: DebuggerState) -> UInt64? {
        guard let target = state.target, target.threads.indices.contains(state.currentThread) else {
            return nil
        }
        let teb = target.threads[state.currentThread].teb
        return teb == 0 ? nil : teb
    }

    /// The PEB pointer stored in the TEB (`ProcessEnvironmentBlock`).
    static func peb(_ state: DebuggerState) -> UInt64? {
        guard let target = state.target, let teb = teb(state) else { return nil }
        let offset: UInt64 = target.machine.pointerSize == 8 ? 0x60 : 0x30
        guard let value = target.readPointer(at: teb &+ offset), value != 0 else { return nil }
        return value
    }

    /// The return address of the current frame as the stack walker finds it.
    private static func returnAddress(_ state: DebuggerState) -> UInt64? {
        guard let registers = state.currentRegisters,
            let walk = StackService.walk(state: state, registers: registers, maximumFrames: 2),
            let frame = walk.frames.first
        else { return nil }
        return frame.returnAddress
    }
}
