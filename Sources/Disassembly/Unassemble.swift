extension Disassembler {
    /// The most instructions one `u`/`ub` call returns; larger counts are clamped, so a
    /// mistyped count cannot exhaust memory. (The engine may enforce a smaller range limit.)
    public static let maximumListingCount = 100_000

    /// `u Address [L Count]`: `count` instructions from `address` (CDB's default is 8), with a
    /// `module!symbol+off:` label before the first and before any that starts a new symbol.
    /// Unreadable memory prints as `??              ???` lines, one per byte (per alignment
    /// unit on ARM).
    public func unassemble(
        at address: UInt64, count: Int = 8, read: MemoryReader, symbolizer: Symbolizer? = nil
    ) -> Listing {
        let instructions = decodeSequence(
            from: address, read: read, maxCount: max(0, count), endAddress: nil
        )
        .map { formatted($0, symbolizer: symbolizer) }
        return Listing(
            lines: labelled(instructions, symbolizer: symbolizer),
            nextAddress: instructions.last?.nextAddress ?? address)
    }

    /// `u Start End`: the instructions that start at or after `start` and before `end`, at
    /// most `maxCount` of them.
    public func unassemble(
        from start: UInt64, to end: UInt64, read: MemoryReader, symbolizer: Symbolizer? = nil,
        maxCount: Int = maximumListingCount
    ) -> Listing {
        let instructions = decodeSequence(
            from: start, read: read, maxCount: max(0, maxCount), endAddress: end
        )
        .map { formatted($0, symbolizer: symbolizer) }
        return Listing(
            lines: labelled(instructions, symbolizer: symbolizer),
            nextAddress: instructions.last?.nextAddress ?? start)
    }

    /// Decodes the instruction at `pc` through a read-ahead window (unreadable when no byte
    /// can be read there).
    func decodeNext(at pc: UInt64, window: inout CodeWindow) -> Instruction {
        let maxLength = architecture.maximumInstructionLength
        let (bytes, _) = window.bytes(at: pc, want: maxLength)
        guard !bytes.isEmpty,
            let instruction = decodeRaw(Array(bytes.prefix(maxLength)), at: pc, limit: 1).first
        else { return Instruction.unreadable(architecture, address: pc) }
        return instruction
    }

    /// Decodes consecutive instructions from memory, without symbols. With `endAddress`, stops
    /// before the first instruction at or past it (or past the top of the address space).
    func decodeSequence(
        from address: UInt64, read: MemoryReader, maxCount: Int, endAddress: UInt64?
    ) -> [Instruction] {
        let address = address & architecture.addressMask
        let maxCount = min(maxCount, Self.maximumListingCount)
        let maxLength = architecture.maximumInstructionLength
        func beyondEnd(_ candidate: UInt64) -> Bool {
            guard let endAddress else { return false }
            return candidate >= endAddress || candidate < address
        }
        var result: [Instruction] = []
        var pc = address
        withoutActuallyEscaping(read) { read in
            let chunk = maxCount >= 4096 / maxLength ? 4096 : max(64, maxCount * maxLength)
            var window = CodeWindow(read: read, chunkSize: chunk)
            while result.count < maxCount, !beyondEnd(pc) {
                let (bytes, atMemoryEnd) = window.bytes(at: pc, want: maxLength)
                if bytes.isEmpty {
                    let unreadable = Instruction.unreadable(architecture, address: pc)
                    result.append(unreadable)
                    pc = unreadable.nextAddress
                    continue
                }
                let batch = decodeRaw(Array(bytes), at: pc, limit: maxCount - result.count)
                var offset = 0
                for instruction in batch {
                    // An instruction near the end of a chunk may be cut off: decode it again
                    // after a fresh read (the first of a batch always has enough bytes).
                    if offset > 0, !atMemoryEnd, offset + maxLength > bytes.count { break }
                    if offset > 0, beyondEnd(instruction.address) { break }
                    result.append(instruction)
                    offset += instruction.length
                }
                pc = (pc &+ UInt64(offset)) & architecture.addressMask
            }
        }
        return result
    }
}
