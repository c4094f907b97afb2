extension Disassembler {
    /// `ub Address [L Count]`: the `count` instructions that end exactly at `address` (CDB's
    /// default is 8), labelled as `u` labels them. Fewer come back when memory before
    /// `address` is unreadable or no decoding lands on it.
    ///
    /// `functionStart` (the start of the function containing `address`, from symbols or
    /// `.pdata`) makes the answer exact for ordinary code: decoding forward from it is tried
    /// first. Without it, or when it does not land on `address`, a heuristic is used.
    public func unassembleBackward(
        from address: UInt64, count: Int = 8, read: MemoryReader, symbolizer: Symbolizer? = nil,
        functionStart: UInt64? = nil
    ) -> Listing {
        let instructions = instructions(
            before: address, count: count, read: read, functionStart: functionStart
        ).map { formatted($0, symbolizer: symbolizer) }
        return Listing(lines: labelled(instructions, symbolizer: symbolizer), nextAddress: address)
    }

    /// The `count` instructions that precede `address` and end exactly there, oldest first
    /// (without symbolized operands).
    ///
    /// x86 and x64 have variable-length instructions, so there is no single right answer. The
    /// heuristic decodes from every byte of a window before `address` and keeps the chains of
    /// instructions that land exactly on it. Decodings from different start points converge
    /// (x86 code resynchronizes within a few instructions), so walking back from `address`
    /// each step takes the predecessor that the most start points pass through: the longest
    /// consistent run. A64 and A32 have fixed 4-byte instructions and need no guessing;
    /// Thumb mixes 2- and 4-byte ones and uses the same vote with 2-byte steps.
    public func instructions(
        before address: UInt64, count: Int, read: MemoryReader, functionStart: UInt64? = nil
    ) -> [Instruction] {
        guard count > 0 else { return [] }
        let address = address & architecture.addressMask
        if let functionStart,
            let exact = linearRun(from: functionStart, to: address, read: read)
        {
            if exact.count >= count { return Array(exact.suffix(count)) }
            let earlier = heuristicRun(
                before: functionStart, count: count - exact.count, read: read)
            return earlier + exact
        }
        if architecture == .arm64 || architecture == .arm {
            let span = UInt64(min(count, 1 << 20) * 4)
            let (start, bytes) = readEndingAt(address, length: span, read: read)
            let decoded = decodeRaw(bytes, at: start, limit: Int.max)
            return Array(decoded.suffix(count))
        }
        return heuristicRun(before: address, count: count, read: read)
    }

    /// Decodes from `start` to `end`; the instructions if they land exactly on `end`.
    private func linearRun(from start: UInt64, to end: UInt64, read: MemoryReader) -> [Instruction]?
    {
        guard start < end, end - start <= 0x10000 else { return nil }
        let run = decodeSequence(
            from: start, read: read, maxCount: Int(end - start), endAddress: end)
        guard let last = run.last, last.nextAddress == end, run.allSatisfy(\.isValid) else {
            return nil
        }
        return run
    }

    /// The voting heuristic described on `instructions(before:count:read:functionStart:)`.
    private func heuristicRun(before address: UInt64, count: Int, read: MemoryReader)
        -> [Instruction]
    {
        let maxLength = architecture.maximumInstructionLength
        let step = architecture.instructionAlignment
        let span = UInt64(min(count, 256) * maxLength + maxLength)
        let (start, bytes) = readEndingAt(address, length: span, read: read)
        let width = bytes.count
        guard width > 0 else { return [] }

        let decoded = decodeAtEachOffset(bytes, at: start, step: step)
        // next[i]: offset after the instruction at i, or -1 when it is invalid or crosses the end.
        var next = [Int](repeating: -1, count: width + 1)
        for offset in stride(from: 0, to: width, by: step) {
            if let instruction = decoded[offset], offset + instruction.length <= width {
                next[offset] = offset + instruction.length
            }
        }
        var reaches = [Bool](repeating: false, count: width + 1)
        reaches[width] = true
        for offset in stride(from: width - 1, through: 0, by: -1) where next[offset] >= 0 {
            reaches[offset] = reaches[next[offset]]
        }
        // support[i]: how many start offsets decode through i on their way to the end.
        var support = [Int](repeating: 0, count: width + 1)
        for offset in 0..<width where reaches[offset] {
            support[offset] += 1
            support[next[offset]] += support[offset]
        }

        var chain: [Int] = []
        var current = width
        while chain.count < count {
            var best: Int?
            for candidate in stride(
                from: current - step, through: max(0, current - maxLength), by: -step)
            where reaches[candidate] && next[candidate] == current {
                if let chosen = best, support[chosen] >= support[candidate] { continue }
                best = candidate
            }
            guard let best else { break }
            chain.append(best)
            current = best
        }
        return chain.reversed().compactMap { decoded[$0] }
    }

    /// Reads up to `length` bytes ending at `end`, skipping forward page by page past an
    /// unreadable beginning. Returns where the bytes start.
    func readEndingAt(_ end: UInt64, length: UInt64, read: MemoryReader) -> (UInt64, [UInt8]) {
        let pageSize: UInt64 = 0x1000
        var start = end >= length ? end - length : 0
        while start < end {
            let wanted = Int(end - start)
            let bytes = read(start, wanted)
            if bytes.count >= wanted { return (start, Array(bytes.prefix(wanted))) }
            // Unreadable somewhere inside: retry from the next page boundary after the gap.
            let gap = start + UInt64(bytes.count)
            start = (gap / pageSize + 1) * pageSize
        }
        return (end, [])
    }

    /// Decodes one instruction at every `step`-th offset of `bytes` (nil where none decodes),
    /// holding the lock once.
    private func decodeAtEachOffset(_ bytes: [UInt8], at start: UInt64, step: Int) -> [Instruction?]
    {
        var result = [Instruction?](repeating: nil, count: bytes.count)
        let maxLength = architecture.maximumInstructionLength
        for offset in stride(from: 0, to: bytes.count, by: step) {
            let pc = (start &+ UInt64(offset)) & architecture.addressMask
            let slice = bytes[offset..<min(bytes.count, offset + maxLength)]
            let decoded = decodeRaw(Array(slice), at: pc, limit: 1).first
            if let decoded, decoded.isValid { result[offset] = decoded }
        }
        return result
    }
}
