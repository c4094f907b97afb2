import PEFormat
import Unwind

/// Walks the target's stacks with everything the session knows: module images and function
/// tables for x64 unwind info, Breakpad rules from symbol files, then frame pointers and scans.
enum StackService {
    /// CDB's default frame count (`.kframes`).
    static let defaultFrameCount = 0x100
    /// The most frames any walk returns (a `k` count or `.frame` number beyond it finds
    /// nothing more), so a hostile stack cannot make a walk unbounded.
    static let maximumFrameCount = 0x10000

    /// The frames of the stack starting at `registers`.
    static func walk(state: DebuggerState, registers: RegisterSet, maximumFrames: Int) -> StackWalk?
    {
        guard let target = state.target else { return nil }
        let architecture = RegisterConversion.architecture(registers.machine)
        let names = state.moduleMap.names
        let modules = target.modules.enumerated().map { index, module in
            unwindModule(module, name: names[index], state: state, target: target)
        }
        let check = ReturnAddressCheck(state: state, target: target)
        let walker = StackWalker(
            architecture: architecture, memory: TargetByteSource(target: target),
            modules: UnwindModuleList(modules),
            callFrameInfo: BreakpadFrameRules(state: state, target: target),
            isLikelyReturnAddress: { check.isLikely($0) },
            limits: StackWalkLimits(maximumFrames: min(max(1, maximumFrames), maximumFrameCount)))
        return walker.walk(from: RegisterConversion.context(from: registers))
    }

    /// What the unwinder should know about one module.
    static func unwindModule(
        _ module: TargetModule, name: String, state: DebuggerState, target: any Target
    )
        -> UnwindModule
    {
        if let image = state.images.image(for: module, in: state) {
            return UnwindModule(base: module.base, image: image, name: name)
        }
        var unwind = UnwindModule(base: module.base, size: module.size, name: name)
        if let table = target.functionTable(for: module) {
            unwind.x64FunctionTable = X64FunctionTable(bytes: table.entries)
        }
        return unwind
    }
}

/// Decides whether a stack value found by scanning looks like a return address: inside a
/// module, past its header page, and (when the code is in the dump) right after a call
/// instruction, checked with the disassembler.
///
/// `@unchecked Sendable`: used only during a walk inside one command on the session queue.
final class ReturnAddressCheck: @unchecked Sendable {
    private let state: DebuggerState
    private let target: any Target
    private let code: CodeView?

    init(state: DebuggerState, target: any Target) {
        self.state = state
        self.target = target
        self.code = CodeView(state: state)
    }

    func isLikely(_ address: UInt64) -> Bool {
        guard let module = state.moduleMap.module(containing: address) else {
            return false
        }
        // The first page of an image holds its headers, never code.
        guard address - module.base >= 0x1000 else { return false }
        guard let code else { return true }
        let before = code.read(address &- 8, 8)
        guard before.count == 8 else { return true }
        return code.disassembler.callInstruction(endingAt: address, read: code.read) != nil
    }
}
