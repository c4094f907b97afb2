/// Reads the text of a Breakpad symbol file into a `BreakpadSymbolTable` in one pass.
///
/// Record formats follow Breakpad's `docs/symbol_files.md` and the parser in
/// `basic_source_line_resolver.cc`, including its quirks: line records belong to the last
/// `FUNC`; a `PUBLIC` record or an unparsable `FUNC` ends that function; `PUBLIC` records at
/// address 0 are ignored; `INLINE` and `INLINE_ORIGIN` come in an old and a new layout told
/// apart by their field counts. A line that cannot be parsed is skipped and counted, never
/// fatal.
struct BreakpadParser {
    private var table = BreakpadSymbolTable()
    /// Index of the FUNC that line and INLINE records attach to.
    private var currentFunction: Int?
    /// Deepest INLINE nesting level added to the current function so far (-1: none).
    private var lastInlineDepth: Int64 = -1
    private var lineNumber = 0

    static func parse(_ text: [UInt8]) -> BreakpadSymbolTable {
        var parser = BreakpadParser()
        text.withUnsafeBufferPointer { parser.parseLines($0) }
        parser.finish()
        parser.table.text = text
        return parser.table
    }

    private mutating func parseLines(_ bytes: UnsafeBufferPointer<UInt8>) {
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var position = 0
        var nextLineNumber = 1
        while position < bytes.count {
            lineNumber = nextLineNumber
            var lineEnd = position
            while lineEnd < bytes.count, bytes[lineEnd] != newline, bytes[lineEnd] != carriageReturn
            {
                lineEnd += 1
            }
            let range = position..<lineEnd
            // Step over one line terminator: "\n", "\r\n" or a lone "\r".
            position = lineEnd
            if position < bytes.count {
                if bytes[position] == carriageReturn {
                    position += 1
                    if position < bytes.count, bytes[position] == newline { position += 1 }
                } else {
                    position += 1
                }
                nextLineNumber += 1
            }
            parseLine(ByteLine(bytes: bytes, range: range))
        }
    }

    private mutating func parseLine(_ start: ByteLine) {
        var line = start
        guard let keyword = line.token() else { return }  // blank line
        if line.token(keyword, is: "FUNC") {
            parseFunction(&line)
        } else if line.token(keyword, is: "PUBLIC") {
            currentFunction = nil
            parsePublic(&line)
        } else if line.token(keyword, is: "FILE") {
            parseFile(&line)
        } else if line.token(keyword, is: "STACK") {
            parseStack(&line)
        } else if line.token(keyword, is: "INLINE") {
            parseInline(&line)
        } else if line.token(keyword, is: "INLINE_ORIGIN") {
            parseInlineOrigin(&line)
        } else if line.token(keyword, is: "MODULE") {
            parseModule(&line)
        } else if line.token(keyword, is: "INFO") {
            parseInfo(&line)
        } else if line.hex(keyword) != nil {
            parseLineRecord(start)
        } else {
            warn("unknown record type")
        }
    }

    // MARK: Records

    private mutating func parseFunction(_ line: inout ByteLine) {
        // FUNC [m] address size parameter_size name
        currentFunction = nil
        lastInlineDepth = -1
        guard var field = line.token() else { return warn("FUNC record is empty") }
        let isMultiple = line.token(field, is: "m")
        if isMultiple {
            guard let next = line.token() else { return warn("FUNC m record is empty") }
            field = next
        }
        guard let address = line.hex(field) else { return warn("FUNC record has a bad address") }
        guard let size = line.token().flatMap(line.hex) else {
            return warn("FUNC record has a bad size")
        }
        guard let parameterSize = line.token().flatMap(line.hex32) else {
            return warn("FUNC record has a bad parameter size")
        }
        guard let name = line.rest() else { return warn("FUNC record has no name") }
        guard let lineStart = UInt32(exactly: table.lines.count) else {
            return warn("too many line records")
        }
        currentFunction = table.functions.count
        table.functions.append(
            FunctionRecord(
                rva: address, size: size, name: TextRange(name), parameterSize: parameterSize,
                isMultiple: isMultiple, lineStart: lineStart, lineCount: 0))
        table.counts.functions += 1
    }

    private mutating func parsePublic(_ line: inout ByteLine) {
        // PUBLIC [m] address parameter_size name
        guard var field = line.token() else { return warn("PUBLIC record is empty") }
        let isMultiple = line.token(field, is: "m")
        if isMultiple {
            guard let next = line.token() else { return warn("PUBLIC m record is empty") }
            field = next
        }
        guard let address = line.hex(field) else {
            return warn("PUBLIC record has a bad address")
        }
        guard let parameterSize = line.token().flatMap(line.hex32) else {
            return warn("PUBLIC record has a bad parameter size")
        }
        guard let name = line.rest() else { return warn("PUBLIC record has no name") }
        table.counts.publicSymbols += 1
        // Breakpad ignores publics at 0 (seen in ntdll.pdb dumps): they are not real code.
        guard address != 0 else { return }
        table.publics.append(
            PublicRecord(
                rva: address, name: TextRange(name), parameterSize: parameterSize,
                isMultiple: isMultiple))
    }

    private mutating func parseLineRecord(_ start: ByteLine) {
        // address size line file_id
        var line = start
        guard let function = currentFunction else {
            return warn("source line record outside a FUNC")
        }
        guard let address = line.token().flatMap(line.hex),
            let size = line.token().flatMap(line.hex),
            let number = line.token().flatMap(line.decimal),
            let file = line.token().flatMap(line.decimal),
            let lineNumber = UInt32(exactly: number), let fileID = UInt32(exactly: file)
        else { return warn("malformed source line record") }
        table.lines.append(LineRecord(rva: address, size: size, line: lineNumber, fileID: fileID))
        table.functions[function].lineCount &+= 1
        table.counts.lines += 1
    }

    private mutating func parseFile(_ line: inout ByteLine) {
        // FILE id name
        guard let id = line.token().flatMap(line.decimal), let fileID = UInt32(exactly: id) else {
            return warn("FILE record has a bad number")
        }
        guard let name = line.rest() else { return warn("FILE record has no name") }
        table.files.append(NamedID(id: fileID, name: TextRange(name)))
        table.counts.files += 1
    }

    private mutating func parseInlineOrigin(_ line: inout ByteLine) {
        // New: INLINE_ORIGIN id name. Old: INLINE_ORIGIN id file_id name.
        guard let id = line.token().flatMap(line.decimal), let originID = UInt32(exactly: id) else {
            return warn("INLINE_ORIGIN record has a bad number")
        }
        guard var name = line.rest() else { return warn("INLINE_ORIGIN record has no name") }
        var probe = ByteLine(bytes: line.bytes, range: name)
        if let first = probe.token(), let fileID = probe.decimal(first), fileID >= -1,
            let remainder = probe.rest()
        {
            name = remainder
        }
        table.inlineOrigins.append(NamedID(id: originID, name: TextRange(name)))
        table.counts.inlineOrigins += 1
    }

    private mutating func parseInline(_ line: inout ByteLine) {
        // New: INLINE depth call_line call_file origin [address size]+
        // Old: INLINE depth call_line origin [address size]+
        var fields: [Range<Int>] = []
        while let field = line.token() { fields.append(field) }
        guard fields.count >= 5 else { return warn("INLINE record has too few fields") }
        let hasCallFile = fields.count % 2 == 0
        var numbers: [Int64] = []
        for field in fields.prefix(hasCallFile ? 4 : 3) {
            guard let value = line.decimal(field) else {
                return warn("INLINE record has a bad number")
            }
            numbers.append(value)
        }
        let depth = numbers[0]
        let callLine = numbers[1]
        let callFile = hasCallFile ? numbers[2] : -1
        let origin = numbers[hasCallFile ? 3 : 2]
        guard let depthValue = UInt32(exactly: depth),
            let callLineValue = UInt32(exactly: callLine),
            callFile >= -1, let originValue = UInt32(exactly: origin)
        else { return warn("INLINE record has a number out of range") }
        var ranges: [(UInt64, UInt64)] = []
        var index = hasCallFile ? 4 : 3
        while index + 1 < fields.count {
            guard let start = line.hex(fields[index]), let size = line.hex(fields[index + 1]) else {
                return warn("INLINE record has a bad address range")
            }
            ranges.append((start, size))
            index += 2
        }
        guard let function = currentFunction else {
            return warn("INLINE record outside a FUNC")
        }
        // Breakpad drops a nested record whose parent level was never added.
        guard depth <= lastInlineDepth + 1 else {
            return warn("INLINE record nested deeper than its parent")
        }
        guard let inlineIndex = Int32(exactly: table.inlines.count),
            let functionIndex = Int32(exactly: function)
        else { return warn("too many INLINE records") }
        lastInlineDepth = depth
        table.inlines.append(
            InlineRecord(
                function: functionIndex, depth: depthValue, callSiteLine: callLineValue,
                callSiteFileID: callFile, originID: originValue))
        for (start, size) in ranges {
            table.inlineRanges.append(InlineRange(start: start, size: size, inline: inlineIndex))
        }
        table.counts.inlines += 1
    }

    private mutating func parseStack(_ line: inout ByteLine) {
        guard let kind = line.token() else { return warn("STACK record is empty") }
        if line.token(kind, is: "WIN") {
            parseStackWin(&line)
        } else if line.token(kind, is: "CFI") {
            parseStackCFI(&line)
        } else {
            warn("unknown STACK record type")
        }
    }

    private mutating func parseStackWin(_ line: inout ByteLine) {
        // STACK WIN type rva code_size prolog epilog params saved_regs locals max_stack
        //           has_program program_string | allocates_base_pointer
        guard let typeValue = line.token().flatMap(line.hex),
            let type = WindowsFrameInfo.FrameType(rawValue: UInt8(truncatingIfNeeded: typeValue)),
            typeValue <= 4
        else { return warn("STACK WIN record has a bad type") }
        guard let rva = line.token().flatMap(line.hex),
            let codeSize = line.token().flatMap(line.hex)
        else { return warn("STACK WIN record has a bad address range") }
        var sizes: [UInt32] = []
        for _ in 0..<7 {
            guard let value = line.token().flatMap(line.hex32) else {
                return warn("STACK WIN record has a bad size field")
            }
            sizes.append(value)
        }
        guard let last = line.rest() else {
            return warn("STACK WIN record has no program string or base-pointer flag")
        }
        let hasProgram = sizes[6] != 0
        var allocatesBasePointer = false
        if !hasProgram {
            var flagLine = ByteLine(bytes: line.bytes, range: last)
            guard let flag = flagLine.token().flatMap(flagLine.hex) else {
                return warn("STACK WIN record has a bad base-pointer flag")
            }
            allocatesBasePointer = flag != 0
        }
        table.stackWin.append(
            StackWinRecord(
                type: type, rva: rva, codeSize: codeSize, prologSize: sizes[0],
                epilogSize: sizes[1], parameterSize: sizes[2], savedRegisterSize: sizes[3],
                localSize: sizes[4], maxStackSize: sizes[5],
                allocatesBasePointer: allocatesBasePointer,
                program: hasProgram ? TextRange(last) : .empty))
        table.counts.stackWin += 1
    }

    private mutating func parseStackCFI(_ line: inout ByteLine) {
        // STACK CFI INIT address size rules | STACK CFI address rules
        guard let first = line.token() else { return warn("STACK CFI record is empty") }
        if line.token(first, is: "INIT") {
            guard let rva = line.token().flatMap(line.hex),
                let size = line.token().flatMap(line.hex)
            else { return warn("STACK CFI INIT record has a bad address range") }
            guard let rules = line.rest() else { return warn("STACK CFI INIT record has no rules") }
            table.cfiInit.append(CFIInitRecord(rva: rva, size: size, rules: TextRange(rules)))
            table.counts.stackCFIInit += 1
        } else {
            guard let rva = line.hex(first) else {
                return warn("STACK CFI record has a bad address")
            }
            guard let rules = line.rest() else { return warn("STACK CFI record has no rules") }
            table.cfiDeltas.append(CFIDeltaRecord(rva: rva, rules: TextRange(rules)))
            table.counts.stackCFIDelta += 1
        }
    }

    private mutating func parseModule(_ line: inout ByteLine) {
        // MODULE os arch id name
        guard let os = line.token(), let arch = line.token(), let id = line.token(),
            let name = line.rest()
        else { return warn("MODULE record is incomplete") }
        let bytes = line.bytes
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        table.counts.module += 1
        guard table.module == nil else { return }
        table.module = BreakpadModuleRecord(
            operatingSystem: text(os), architecture: text(arch), identifier: text(id),
            name: text(name))
    }

    private mutating func parseInfo(_ line: inout ByteLine) {
        // INFO CODE_ID id [file] | INFO anything-else
        table.counts.info += 1
        guard let kind = line.token(), line.token(kind, is: "CODE_ID"), let id = line.token() else {
            return
        }
        table.codeIdentifier = String(
            decoding: UnsafeBufferPointer(rebasing: line.bytes[id]), as: UTF8.self)
    }

    private mutating func warn(_ message: String) {
        table.skippedLineCount += 1
        if table.warnings.count < BreakpadLoadReport.maximumWarnings {
            table.warnings.append(BreakpadParseWarning(lineNumber: lineNumber, message: message))
        }
    }

    // MARK: Indexes

    /// Sorts what lookups binary-search and builds the range indexes.
    private mutating func finish() {
        let functions = table.functions
        table.lines.withUnsafeMutableBufferPointer { lines in
            for function in functions where function.lineCount > 1 {
                let start = Int(function.lineStart)
                let range = start..<(start + Int(function.lineCount))
                lines[range].sort { $0.rva < $1.rva }
            }
        }
        table.functionOrder = Self.stableOrder(table.functions.count) { table.functions[$0].rva }
        table.publics.sort { $0.rva < $1.rva }
        table.files.sort { $0.id < $1.id }
        table.inlineOrigins.sort { $0.id < $1.id }
        table.functionRanges = RangeForest(ranges: table.functions.map { ($0.rva, $0.size) })
        table.inlineRangeIndex = RangeForest(ranges: table.inlineRanges.map { ($0.start, $0.size) })
        let frameData = table.stackWin.indices.filter { table.stackWin[$0].type == .frameData }
        let fpo = table.stackWin.indices.filter { table.stackWin[$0].type == .fpo }
        table.frameDataRecords = frameData.map { Int32(truncatingIfNeeded: $0) }
        table.fpoRecords = fpo.map { Int32(truncatingIfNeeded: $0) }
        table.frameDataRanges = RangeForest(
            ranges: frameData.map { (table.stackWin[$0].rva, table.stackWin[$0].codeSize) })
        table.fpoRanges = RangeForest(
            ranges: fpo.map { (table.stackWin[$0].rva, table.stackWin[$0].codeSize) })
        table.cfiInitRanges = RangeForest(ranges: table.cfiInit.map { ($0.rva, $0.size) })
        // Deltas at the same address apply in file order, so the later one wins.
        let deltaOrder = Self.stableOrder(table.cfiDeltas.count) { table.cfiDeltas[$0].rva }
        table.cfiDeltas = deltaOrder.map { table.cfiDeltas[Int($0)] }
        table.adjustedRangeCount =
            table.functionRanges.adjustedCount + table.inlineRangeIndex.adjustedCount
            + table.frameDataRanges.adjustedCount + table.fpoRanges.adjustedCount
            + table.cfiInitRanges.adjustedCount
    }

    /// Indices `0..<count` sorted by key, ties kept in index order.
    private static func stableOrder(_ count: Int, key: (Int) -> UInt64) -> [Int32] {
        let keys = (0..<count).map(key)
        return (0..<count).sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            .map { Int32(truncatingIfNeeded: $0) }
    }
}
