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
        switch range.length {
        case .end(let end)?:
            guard end >= start, end - start <= AddressRangeArgument.sanityLimit else {
                throw CommandError(.inCommand(kind: "Range error"))
            }
            state.nextDisassemblyAddress = try stream(
                code, from: start, count: Disassembler.maximumListingCount,
                end: end == .max ? .max : end + 1, invocation: invocation)
        case .count(let count)?:
            state.nextDisassemblyAddress = try stream(
                code, from: start, count: Int(clamping: count), end: nil, invocation: invocation)
        case .countBackward?:
            throw CommandError.syntax()
        case nil:
            state.nextDisassemblyAddress = try stream(
                code, from: start, count: 8, end: nil, invocation: invocation)
        }
    }

    /// Instructions disassembled and written per step of a long listing.
    static let chunkSize = 1024

    /// Disassembles `count` instructions (at most the disassembler's limit) from `start`,
    /// stopping before `end`, a chunk at a time: a long listing is written as it goes, never
    /// held whole, and Ctrl-C ends it. Returns where a following `u` continues.
    static func stream(
        _ code: CodeView, from start: UInt64, count: Int, end: UInt64?,
        invocation: CommandInvocation
    ) throws -> UInt64 {
        var address = start
        var remaining = min(max(0, count), Disassembler.maximumListingCount)
        // The symbol of the last instruction written, so a chunk does not repeat its label.
        var previousSymbol: Substring?
        while remaining > 0 {
            try invocation.checkInterrupt()
            let chunk = min(remaining, chunkSize)
            let listing: Listing
            if let end {
                listing = code.disassembler.unassemble(
                    from: address, to: end, read: code.read, symbolizer: code.symbolizer,
                    maxCount: chunk)
            } else {
                listing = code.disassembler.unassemble(
                    at: address, count: chunk, read: code.read, symbolizer: code.symbolizer)
            }
            var lines = listing.lines
            if case .label(let name)? = lines.first, previousSymbol == symbolName(name) {
                lines.removeFirst()
            }
            let shown = code.withSourceLines(
                Listing(lines: lines, nextAddress: listing.nextAddress))
            invocation.out.lines(shown.text)
            address = listing.nextAddress
            let instructions = listing.instructions
            guard let last = instructions.last else { break }
            previousSymbol =
                last.status == .unreadable ? nil : code.symbolizer(last.address).map(symbolName)
            remaining -= instructions.count
            if instructions.count < chunk { break }
        }
        return address
    }

    /// `ntdll!RtlFoo` of `ntdll!RtlFoo+0x1a`.
    static func symbolName(_ text: String) -> Substring {
        guard let plus = text.lastIndex(of: "+"), text[text.index(after: plus)...].hasPrefix("0x")
        else { return Substring(text) }
        return text[..<plus]
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
        // Bounds come from the dump and symbol files: refuse any that wrap.
        func range(_ begin: UInt64, _ end: UInt64) -> Range<UInt64>? {
            let (start, startOverflow) = module.base.addingReportingOverflow(begin)
            let (stop, stopOverflow) = module.base.addingReportingOverflow(end)
            guard !startOverflow, !stopOverflow, start <= stop else { return nil }
            return start..<stop
        }
        if let image = state.images.image(for: module, in: state),
            let table = try? image.x64FunctionTable(),
            let entry = table.lookup(rva: UInt32(clamping: rva))
        {
            return range(UInt64(entry.beginAddress), UInt64(entry.endAddress))
        }
        if let source = state.symbols.source(for: module, in: state),
            let match = source.nearestSymbol(atOrBelow: rva), match.isWithinSymbol,
            let size = match.symbol.size
        {
            let (end, overflow) = match.symbol.rva.addingReportingOverflow(size)
            return overflow ? nil : range(match.symbol.rva, end)
        }
        return nil
    }
}
