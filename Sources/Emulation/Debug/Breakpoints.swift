import CUnicorn

/// Code breakpoints (Unicorn code hooks bounded to one address, so code elsewhere runs at full
/// speed) and data breakpoints (memory hooks, at most four, like DR0-DR3). Neither changes guest
/// memory, so breakpoints never show in memory reads. Translated code at the address is dropped
/// when a breakpoint is set or cleared there (a cached block would not see the hook:
/// unicorn-engine/unicorn#2341).
final class Breakpoints {
    struct Code {
        let id: Int
        let address: UInt64
        let hook: Unicorn.Hook
    }

    struct Data {
        let id: Int
        let address: UInt64
        let size: UInt64
        let access: DataAccess
        let hook: Unicorn.Hook
    }

    private(set) var code: [Int: Code] = [:]
    private(set) var data: [Int: Data] = [:]
    /// A hook over all code, installed while read/write data breakpoints exist: a breakpoint's
    /// memory hook asks it to stop before the next instruction, once the one that touched the
    /// watched bytes is complete.
    private var everyInstruction: Unicorn.Hook?

    static let maximumDataBreakpoints = 4
}

extension Executive {
    /// The page of `address` is mapped for the CPU (so Unicorn can find its translations).
    private func isPresent(_ page: UInt64) -> Bool {
        guard let protect = space.protection(at: page) else { return false }
        return AddressSpace.present(protect)
    }

    private func dropTranslations(at address: UInt64) {
        cpu.dropTranslations(address..<address + 1) { [unowned self] page in isPresent(page) }
    }

    func addCodeBreakpoint(id: Int, address: UInt64) throws(EmulationError) {
        removeBreakpoint(id: id)
        let cpu = cpu
        let hook = try cpu.unicorn.onInstruction(in: address...address) { [unowned cpu] hit, _ in
            if cpu.skipBreakpoint == hit {
                cpu.skipBreakpoint = nil
                return
            }
            if cpu.pendingStop == nil { cpu.pendingStop = .codeBreakpoint(hit) }
            cpu.unicorn.stop()
        }
        breakpoints.storeCode(Breakpoints.Code(id: id, address: address, hook: hook))
        dropTranslations(at: address)
    }

    func addDataBreakpoint(id: Int, address: UInt64, size: UInt64, access: DataAccess)
        throws(EmulationError)
    {
        removeBreakpoint(id: id)
        guard [1, 2, 4, 8].contains(size) else {
            throw .invalidArgument("a data breakpoint covers 1, 2, 4 or 8 bytes")
        }
        guard address % size == 0 else {
            throw .invalidArgument("a data breakpoint's address must be aligned to its size")
        }
        guard breakpoints.data.count < Breakpoints.maximumDataBreakpoints else {
            throw .invalidArgument("at most 4 data breakpoints can be set (like DR0-DR3)")
        }
        let cpu = cpu
        let hook: Unicorn.Hook
        if access == .execute {
            hook = try cpu.unicorn.onInstruction(in: address...address) { [unowned cpu] hit, _ in
                if cpu.skipBreakpoint == hit {
                    cpu.skipBreakpoint = nil
                    return
                }
                if cpu.pendingStop == nil {
                    cpu.pendingStop = .dataBreakpoint(id: id, address: hit, access: .execute)
                }
                cpu.unicorn.stop()
            }
            dropTranslations(at: address)
        } else {
            let watched = address..<address + size
            // Unicorn matches a hook by the address an access starts at: start early enough to
            // see accesses that begin before the watched bytes and reach into them.
            let start = address >= 63 ? address - 63 : 0
            hook = try cpu.unicorn.onMemoryAccess(
                reads: access == .read, writes: true, in: start...(address + size - 1)
            ) { [unowned cpu] touch in
                guard touch.address < watched.upperBound,
                    touch.address &+ UInt64(touch.size) > watched.lowerBound
                else { return }
                // `ba r` fires on reads and writes, `ba w` on writes (as the hardware does).
                guard touch.isWrite || access == .read else { return }
                cpu.stopAfterAccess(
                    .dataBreakpoint(
                        id: id, address: address, access: touch.isWrite ? .write : .read))
            }
        }
        breakpoints.storeData(
            Breakpoints.Data(id: id, address: address, size: size, access: access, hook: hook))
        try updateInstructionHook()
    }

    /// Removes a breakpoint of either kind (nothing when there is none with that id).
    func removeBreakpoint(id: Int) {
        if let old = breakpoints.removeCode(id) {
            cpu.unicorn.removeHook(old.hook)
            dropTranslations(at: old.address)
        }
        if let old = breakpoints.removeData(id) {
            cpu.unicorn.removeHook(old.hook)
            if old.access == .execute { dropTranslations(at: old.address) }
            try? updateInstructionHook()
        }
    }

    private func updateInstructionHook() throws(EmulationError) {
        let needed = breakpoints.data.values.contains { $0.access != .execute }
        if needed, breakpoints.instructionHook == nil {
            let hook = try cpu.unicorn.addRawHook(
                type: UnicornConstant.Hook.code,
                callback: unsafeBitCast(
                    xcdb_clock_code_hook
                        as @convention(c) (
                            UnsafeMutableRawPointer?, UInt64, UInt32, UnsafeMutableRawPointer?
                        ) -> Void,
                    to: UnsafeRawPointer.self),
                userData: cpu.clockPointer)
            breakpoints.instructionHook = hook
            cpu.dropAllTranslations()
        } else if !needed, let hook = breakpoints.instructionHook {
            cpu.unicorn.removeHook(hook)
            breakpoints.instructionHook = nil
            cpu.dropAllTranslations()
        } else if needed {
            // Code translated before the memory hook existed does not call it.
            cpu.dropAllTranslations()
        }
    }

    func breakpointEvent(at address: UInt64, thread: GuestThread) -> DebugEvent {
        let id = breakpoints.code.values.filter { $0.address == address }.map(\.id).min() ?? 0
        return DebugEvent(
            kind: .breakpoint(id: id, address: address), threadID: thread.id, clock: clock)
    }
}

extension Breakpoints {
    func storeCode(_ breakpoint: Code) { code[breakpoint.id] = breakpoint }
    func storeData(_ breakpoint: Data) { data[breakpoint.id] = breakpoint }
    func removeCode(_ id: Int) -> Code? { code.removeValue(forKey: id) }
    func removeData(_ id: Int) -> Data? { data.removeValue(forKey: id) }

    var instructionHook: Unicorn.Hook? {
        get { everyInstruction }
        set { everyInstruction = newValue }
    }
}
