/// A run of instructions entered only at its start and left only at its end.
public struct BasicBlock: Sendable, Hashable {
    /// Address of the first instruction.
    public var start: UInt64
    /// The instructions in address order.
    public var instructions: [Instruction]
}

extension Disassembler {
    /// `uf Address`: the function's basic blocks found by following branches from `start`,
    /// printed in address order, each block after a `module!symbol+off:` label and separated
    /// by an empty line; conditional jumps carry CDB's `Branch` note.
    ///
    /// Branches are followed only to addresses inside `bounds` when given (the function's
    /// range from symbols or `.pdata`); otherwise to addresses the symbolizer places in the
    /// same symbol as `start` (so tail jumps to other functions are not followed), or, with
    /// no symbol at all, within 64 KB of `start`. At most `maxInstructions` are decoded
    /// (never more than `maximumListingCount`).
    public func unassembleFunction(
        at start: UInt64, read: MemoryReader, symbolizer: Symbolizer? = nil,
        bounds: Range<UInt64>? = nil, maxInstructions: Int = 20_000
    ) -> Listing {
        let blocks = functionBlocks(
            at: start, read: read, symbolizer: symbolizer, bounds: bounds,
            maxInstructions: maxInstructions)
        var lines: [ListingLine] = []
        for block in blocks {
            if !lines.isEmpty { lines.append(.blank) }
            if let symbolizer, let name = symbolizer(block.start) { lines.append(.label(name)) }
            for instruction in block.instructions {
                lines.append(
                    .instruction(
                        instruction, note: instruction.isConditionalBranch ? "Branch" : nil))
            }
        }
        let end = blocks.last?.instructions.last?.nextAddress ?? start
        return Listing(lines: lines, nextAddress: end)
    }

    /// The basic blocks of the function at `start`, in address order, operands symbolized.
    /// See `unassembleFunction` for how the function's extent is decided.
    public func functionBlocks(
        at start: UInt64, read: MemoryReader, symbolizer: Symbolizer? = nil,
        bounds: Range<UInt64>? = nil, maxInstructions: Int = 20_000
    ) -> [BasicBlock] {
        let startSymbol = symbolizer?(start).map { String(symbolBase($0)) }
        func inside(_ address: UInt64) -> Bool {
            if let bounds { return bounds.contains(address) }
            if let startSymbol, let symbolizer {
                return symbolizer(address).map { String(symbolBase($0)) } == startSymbol
            }
            let distance = address > start ? address - start : start - address
            return distance < 0x10000
        }

        var decoded: [UInt64: Instruction] = [:]
        var blockStarts: Set<UInt64> = [start]
        var pending: [UInt64] = [start]
        var budget = min(max(0, maxInstructions), Self.maximumListingCount)
        withoutActuallyEscaping(read) { read in
            var window = CodeWindow(read: read, chunkSize: 256)
            while let blockStart = pending.popLast(), budget > 0 {
                var pc = blockStart
                while budget > 0, decoded[pc] == nil, pc == blockStart || inside(pc) {
                    let instruction = decodeNext(at: pc, window: &window)
                    decoded[pc] = instruction
                    budget -= 1
                    if !instruction.isValid || endsFlow(instruction) {
                        if instruction.flow == .jump, let target = instruction.branchTarget,
                            inside(target), blockStarts.insert(target).inserted
                        {
                            pending.append(target)
                        }
                        break
                    }
                    if instruction.flow == .conditionalJump {
                        if let target = instruction.branchTarget, inside(target),
                            blockStarts.insert(target).inserted
                        {
                            pending.append(target)
                        }
                        if blockStarts.insert(instruction.nextAddress).inserted {
                            pending.append(instruction.nextAddress)
                        }
                        break
                    }
                    pc = instruction.nextAddress
                }
            }
        }

        var blocks: [BasicBlock] = []
        for address in decoded.keys.sorted() {
            guard let instruction = decoded[address] else { continue }
            if let last = blocks.last?.instructions.last, last.nextAddress == address,
                !blockStarts.contains(address), !endsFlow(last), !last.isConditionalBranch
            {
                blocks[blocks.count - 1].instructions.append(instruction)
            } else {
                blocks.append(BasicBlock(start: address, instructions: [instruction]))
            }
        }
        return blocks.map { block in
            BasicBlock(
                start: block.start,
                instructions: block.instructions.map { formatted($0, symbolizer: symbolizer) })
        }
    }

    /// Instructions after which execution does not fall through to the next one.
    private func endsFlow(_ instruction: Instruction) -> Bool {
        switch instruction.flow {
        case .return, .jump: return true
        case .interrupt:
            // `int 29h` (__fastfail) never returns; `int 3` may.
            guard instruction.mnemonic == "int",
                case .immediate(let vector, _, _) = instruction.operandList.first
            else { return false }
            return vector == 0x29
        default:
            return instruction.mnemonic == "ud2" || instruction.mnemonic == "hlt"
        }
    }
}
