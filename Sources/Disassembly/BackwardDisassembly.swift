extension Disassembler {
    /// `ub Address [L Count]`: the `count` instructions that end exactly at `address` (CDB's
    /// default is 8), labelled as `u` labels them. Fewer come back when memory before
    /// `address` is unreadable or no decoding lands on it; without `functionStart`, x86/x64
    /// and Thumb return at most 256.
    ///
    /// `functionStart` (the start of the function containing `address`, from symbols or
    /// `.pdata`) makes the answer exact for ordinary code: decoding forward from it is tried
    /// first. Without it, or when it does not land on `address`, a heuristic is used.
    public func unassembleBackward(
        from address: UInt64, count: Int = 8, read: MemoryReader, symbolizer: Symbolizer? = nil,
        functionStart: UInt64? = nil
    ) -> Listing {
        let instructions = precedingInstructions(
            before: address, count: count, read: read, functionStart: functionStart
        ).map { formatted($0, symbolizer: symbolizer) }
        return Listing(lines: labelled(instructions, symbolizer: symbolizer), nextAddress: address)
    }

    /// The `count` instructions that precede `address` and end exactly there, oldest first
    /// (operands without symbols; `unassembleBackward` adds them).
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
        precedingInstructions(
            before: address, count: count, read: read, functionStart: functionStart
        )
        .map { formatted($0, symbolizer: nil) }
    }

    /// `instructions(before:…)` without operand text.
    private func precedingInstructions(
        before address: UInt64, count: Int, read: MemoryReader, functionStart: UInt64?
    ) -> [Instruction] {
        guard count > 0 else { return [] }
        let count = min(count, Self.maximumListingCount)
        let address = address & architecture.addressMask
        if let functionStart,
            let exact = linearRun(from: functionStart, to: address, count: count, read: read)
        {
            if exact.count >= count { return exact }
            let earlier = heuristicRun(
                before: functionStart, count: count - exact.count, read: read)
            return earlier + exact
        }
        if architecture == .arm64 || architecture == .arm {
            let (start, bytes) = readEndingAt(address, length: UInt64(count * 4), read: read)
            let skip = bytes.count % 4
            return decodeRaw(Array(bytes[skip...]), at: start &+ UInt64(skip), limit: count)
        }
        return heuristicRun(before: address, count: count, read: read)
    }

    /// Decodes from `start` to `end`; the last `count` instructions if decoding lands exactly
    /// on `end` (nil if it does not, if memory is unreadable, or if the span exceeds 64 KB).
    private func linearRun(
        from start: UInt64, to end: UInt64, count: Int, read: MemoryReader
    ) -> [Instruction]? {
        guard start < end, end - start <= 0x10000 else { return nil }
        let span = Int(end - start)
        let bytes = read(start, span)
        guard bytes.count >= span else { return nil }
        let lengths = sequentialLengths(Array(bytes.prefix(span)), at: start)
        guard lengths.reduce(0, +) == span else { return nil }
        let kept = lengths.suffix(count)
        let firstKept = span - kept.reduce(0, +)
        return decodeRaw(
            Array(bytes[firstKept..<span]), at: start &+ UInt64(firstKept), limit: kept.count)
    }

    /// The voting heuristic described on `instructions(before:count:read:functionStart:)`.
    private func heuristicRun(
        before address: UInt64, count: Int, read: MemoryReader
    ) -> [Instruction] {
        let maxLength = architecture.maximumInstructionLength
        let step = architecture.instructionAlignment
        let span = UInt64(min(count, 256) * maxLength + maxLength)
        let (start, bytes) = readEndingAt(address, length: span, read: read)
        let width = bytes.count
        guard width > 0 else { return [] }

        let lengths = instructionLengths(bytes, at: start, step: step)
        // next[i]: offset after the instruction at i, or -1 when it is invalid or crosses the end.
        var next = [Int](repeating: -1, count: width + 1)
        for offset in stride(from: 0, to: width, by: step) where lengths[offset] > 0 {
            next[offset] = offset + lengths[offset]
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

        // Ties go to the longer instruction: a prefix byte (REX, 66h, F3h) more often belongs
        // to the instruction after it than ends the one before.
        var chain: [Int] = []
        var current = width
        while chain.count < count, current > 0 {
            var best: Int?
            let lowest = max(0, current - maxLength)
            for candidate in stride(from: current - step, through: lowest, by: -step)
            where reaches[candidate] && next[candidate] == current {
                if let chosen = best, support[chosen] > support[candidate] { continue }
                best = candidate
            }
            guard let best else { break }
            chain.append(best)
            current = best
        }
        guard let first = chain.last else { return [] }
        return decodeRaw(
            Array(bytes[first...]), at: (start &+ UInt64(first)) & architecture.addressMask,
            limit: chain.count)
    }

    /// Reads up to `length` bytes ending at `end`. When the start of that range is unreadable,
    /// finds the earliest address from which memory is readable all the way to `end` (a binary
    /// search: dump memory ranges need not start on page boundaries). Returns where the bytes
    /// start.
    func readEndingAt(_ end: UInt64, length: UInt64, read: MemoryReader) -> (UInt64, [UInt8]) {
        let start = end >= length ? end - length : 0
        let whole = read(start, Int(end - start))
        if whole.count >= Int(end - start) { return (start, Array(whole.prefix(Int(end - start)))) }
        // Invariant: [high, end) is readable (trivially when high == end); [low, end) is not.
        var low = start
        var high = end
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if read(middle, Int(end - middle)).count >= Int(end - middle) {
                high = middle
            } else {
                low = middle
            }
        }
        guard high < end else { return (end, []) }
        return (high, Array(read(high, Int(end - high)).prefix(Int(end - high))))
    }
}
