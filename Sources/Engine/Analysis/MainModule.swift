/// The process's own executable among the target's modules, as `|` and `!analyze`'s
/// `PROCESS_NAME` show it: the module at the PEB's `ImageBaseAddress`; without a readable PEB
/// (Breakpad dumps, PEB not captured), the first `.exe`, else the first module.
enum MainModule {
    static func of(_ state: DebuggerState) -> TargetModule? {
        guard let target = state.target else { return nil }
        let modules = target.modules
        if let peb = PseudoRegisters.peb(state) {
            // PEB.ImageBaseAddress: +0x10 on 64-bit, +0x8 on 32-bit.
            let offset: UInt64 = target.machine.pointerSize == 8 ? 0x10 : 0x8
            if let base = target.readPointer(at: peb &+ offset),
                let module = modules.first(where: { $0.base == base })
            {
                return module
            }
        }
        return modules.first { $0.path.lowercased().hasSuffix(".exe") } ?? modules.first
    }
}
