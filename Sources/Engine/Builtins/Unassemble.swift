import Disassembly

extension Builtins {
    /// `u [Range]`.
    static let unassemble = Command(
        name: "u",
        summary: "disassemble code (8 instructions by default; continues where it stopped)",
        usage: "u [Range]",
        requirements: .target,
        repeatBehavior: .continuation,
        argument: .expression
    ) { invocation in
        try UnassembleCommand.forward(invocation)
    }

    /// `ub [Address]`.
    static let unassembleBackward = Command(
        name: "ub",
        summary: "disassemble the instructions before an address",
        usage: "ub [Address] [L Count]",
        requirements: .target,
        argument: .expression
    ) { invocation in
        try UnassembleCommand.backward(invocation)
    }

    /// `uf Address`.
    static let unassembleFunction = Command(
        name: "uf",
        summary: "disassemble a whole function",
        usage: "uf Address",
        requirements: .target,
        argument: .expression
    ) { invocation in
        try UnassembleCommand.function(invocation)
    }
}

enum UnassembleCommand {
    static func code(_ invocation: CommandInvocation) throws -> CodeView {
        _ = try invocation.requireTarget()
        guard let code = CodeView(state: invocation.state) else {
            throw CommandError.message("No disassembler for this target's processor.")
        }
        return code
    }

    static func forward(_ invocation: CommandInvocation) throws {
        let code = try code(invocation)
        let state = invocation.state
        let range = try AddressRangeArgument.parse(invocation.arguments, in: invocation)
        guard range.rest.isEmpty else { throw CommandError.syntax(at: range.rest.startIndex) }
        let start =
            range.start ?? state.nextDisassemblyAddress
            ?? state.currentRegisters?.instructionPointer
        guard let start else { throw CommandError.syntax() }
        let listing: Listing
        switch range.length {
        case .end(let end)?:
            guard end >= start, end - start <= AddressRangeArgument.sanityLimit else {
                throw CommandError(.inCommand(kind: "Range error"))
            }
            listing = code.disassembler.unassemble(
                from: start, to: end &+ 1, read: code.read, symbolizer: code.symbolizer)
        case .count(let count)?:
            listing = code.disassembler.unassemble(
                at: start, count: Int(clamping: count), read: code.read, symbolizer: code.symbolizer
            )
        case .countBackward?:
            throw CommandError.syntax()
        case nil:
            listing = code.disassembler.unassemble(
                at: start, count: 8, read: code.read, symbolizer: code.symbolizer)
        }
        invocation.out.lines(code.withSourceLines(listing).text)
        state.nextDisassemblyAddress = listing.nextAddress
    }

    static func backward(_ invocation: CommandInvocation) throws {
        let code = try code(invocation)
        let state = invocation.state
        let range = try AddressRangeArgument.parse(invocation.arguments, in: invocation)
        guard range.rest.isEmpty else { throw CommandError.syntax(at: range.rest.startIndex) }
        guard let address = range.start ?? state.currentRegisters?.instructionPointer else {
            throw CommandError.syntax()
        }
        var count = 8
        switch range.length {
        case .count(let value)?, .countBackward(let value)?: count = Int(clamping: value)
        case .end?: throw CommandError.syntax()
        case nil: break
        }
        let listing = code.disassembler.unassembleBackward(
            from: address, count: count, read: code.read, symbolizer: code.symbolizer,
            functionStart: functionStart(containing: address &- 1, state: state))
        guard !listing.lines.isEmpty else {
            throw CommandError.message(
                "No code is available before \(Hex.pointer(address, size: state.pointerSize)) "
                    + "(the memory is not in the dump).")
        }
        invocation.out.lines(code.withSourceLines(listing).text)
        state.nextDisassemblyAddress = listing.nextAddress
    }

    static func function(_ invocation: CommandInvocation) throws {
        let code = try code(invocation)
        let state = invocation.state
        let address = try invocation.evaluate(invocation.arguments)
        let start = functionStart(containing: address, state: state) ?? address
        let bounds = functionBounds(containing: address, state: state)
        let listing = code.disassembler.unassembleFunction(
            at: start, read: code.read, symbolizer: code.symbolizer, bounds: bounds)
        invocation.out.lines(code.withSourceLines(listing).text)
    }

    /// Where the function holding `address` starts, from symbols (with a size) or unwind data.
    static func functionStart(containing address: UInt64, state: DebuggerState) -> UInt64? {
        functionBounds(containing: address, state: state)?.lowerBound
    }

    static func functionBounds(containing address: UInt64, state: DebuggerState) -> Range<UInt64>? {
        guard let target = state.target,
            let module = target.modules.first(where: { $0.contains(address) })
        else { return nil }
        let rva = address - module.base
        if let image = state.images.image(for: module, in: state),
            let table = try? image.x64FunctionTable(),
            let entry = table.lookup(rva: UInt32(clamping: rva))
        {
            return
                (module.base + UInt64(entry.beginAddress))..<(module.base + UInt64(entry.endAddress))
        }
        if let source = state.symbols.source(for: module, in: state),
            let match = source.nearestSymbol(atOrBelow: rva), match.isWithinSymbol,
            let size = match.symbol.size
        {
            let start = module.base + match.symbol.rva
            return start..<(start + size)
        }
        return nil
    }
}
