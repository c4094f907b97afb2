import FoundationEssentials
import Glibc

extension Builtins {
    /// `s`: search memory.
    static let searchMemory = Command(
        name: "s",
        summary: "search memory for a pattern",
        usage:
            "s [-[Flags]Type] Range Pattern | s -[Flags]v Range Object | s -[Flags]sa Range "
            + "| s -[Flags]su Range",
        details: [
            "Types: b bytes (default), w words, d dwords, q qwords, a ASCII string, u Unicode",
            "string; sa/su list printable strings; v objects of Object's C++ class (its vtable).",
            "Flags in [ ]: 1 addresses only, l N minimum",
            "string length, n N at most N hits, w writable memory only.",
            "Example: s -d 0 L?7fffffffffff 41414141",
        ],
        requirements: .target,
        argument: .expression
    ) { invocation in
        try MemorySearch.run(invocation)
    }
}

/// Parses and runs `s`.
enum MemorySearch {
    enum Kind: Equatable {
        case bytes, words, dwords, qwords, ascii, unicode, asciiStrings, unicodeStrings, objects

        /// Bytes per searched element (and their alignment): pointers for `-v`.
        func unit(pointerSize: Int) -> Int {
            switch self {
            case .objects: pointerSize
            case .bytes, .ascii, .asciiStrings: 1
            case .words, .unicode, .unicodeStrings: 2
            case .dwords: 4
            case .qwords: 8
            }
        }
    }

    struct Options {
        var kind = Kind.bytes
        var addressesOnly = false
        var minimumLength = 3
        var maximumHits = Int.max
        var writableOnly = false
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        var rest = invocation.arguments.drop { $0 == " " }
        var options = Options()
        if rest.first == "-" {
            let flagsEnd = rest.firstIndex(where: { $0 == " " }) ?? rest.endIndex
            try parseFlags(rest.dropFirst()[..<flagsEnd], into: &options, invocation: invocation)
            rest = rest[flagsEnd...].drop { $0 == " " }
        }
        let range = try AddressRangeArgument.parse(rest, in: invocation)
        let (start, byteCount) = try range.resolve(
            defaultStart: nil, objectSize: 1, defaultCount: 0, at: rest.startIndex)
        let end = start.addingReportingOverflow(byteCount).overflow ? UInt64.max : start + byteCount
        let window = start..<end
        let out = invocation.out
        let pointerSize = target.machine.pointerSize
        switch options.kind {
        case .objects:
            try ObjectSearch.run(
                in: window, objectText: range.rest, target: target, options: options,
                invocation: invocation)
        case .asciiStrings, .unicodeStrings:
            guard range.rest.isEmpty else { throw CommandError.syntax(at: range.rest.startIndex) }
            var hits = 0
            try StringScanner.scan(
                target: target, in: window, unicode: options.kind == .unicodeStrings,
                minimumLength: options.minimumLength, invocation: invocation
            ) { address, text in
                out.line(Hex.pointer(address, size: pointerSize) + "  \"\(text)\"")
                hits += 1
                return hits < options.maximumHits
            }
        default:
            let pattern = try parsePattern(range.rest, kind: options.kind, invocation: invocation)
            guard !pattern.isEmpty else { throw CommandError.syntax(at: range.rest.startIndex) }
            var hits = 0
            try PatternScanner.scan(
                target: target, in: window, pattern: pattern,
                alignment: options.kind.unit(pointerSize: pointerSize),
                invocation: invocation
            ) { address in
                if options.addressesOnly {
                    out.line(Hex.pointer(address, size: pointerSize))
                } else {
                    out.line(
                        hitLine(
                            address, kind: options.kind, target: target,
                            state: invocation.state))
                }
                hits += 1
                return hits < options.maximumHits
            }
        }
    }

    /// `-d`, `-[1]b`, `-[l5]sa`, `-[n10 w]q`.
    static func parseFlags(
        _ text: Substring, into options: inout Options, invocation: CommandInvocation
    )
        throws
    {
        var text = text
        if text.first == "[" {
            guard let close = text.firstIndex(of: "]") else {
                throw CommandError.syntax(at: text.startIndex)
            }
            var flags = text[text.index(after: text.startIndex)..<close]
            while let flag = flags.first {
                flags = flags.dropFirst()
                switch flag {
                case "1": options.addressesOnly = true
                case "w": options.writableOnly = true
                case "s", "r": break
                case "l", "n":
                    let digits = flags.drop { $0 == " " }.prefix { $0.isHexDigit }
                    guard
                        let value = Int(digits, radix: invocation.state.radix)
                            ?? Int(digits, radix: 16)
                    else { throw CommandError.syntax(at: flags.startIndex) }
                    if flag == "l" {
                        options.minimumLength = max(1, value)
                    } else {
                        options.maximumHits = max(1, value)
                    }
                    flags = flags[digits.endIndex...]
                case " ": break
                default: throw CommandError.syntax(at: text.startIndex)
                }
            }
            text = text[text.index(after: close)...]
        }
        switch text.lowercased() {
        case "", "b": options.kind = .bytes
        case "w": options.kind = .words
        case "d": options.kind = .dwords
        case "q": options.kind = .qwords
        case "a": options.kind = .ascii
        case "u": options.kind = .unicode
        case "sa": options.kind = .asciiStrings
        case "su": options.kind = .unicodeStrings
        case "v": options.kind = .objects
        default: throw CommandError.syntax(at: text.startIndex)
        }
    }

    /// The bytes to look for: numbers (current radix) or `'c'` characters for b/w/d/q, a quoted
    /// string for a/u.
    static func parsePattern(_ text: Substring, kind: Kind, invocation: CommandInvocation) throws
        -> [UInt8]
    {
        let text = text.trimmingWhitespace()
        switch kind {
        case .ascii, .unicode:
            guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else {
                throw CommandError.syntax()
            }
            let inner = text.dropFirst().dropLast()
            return kind == .ascii
                ? Array(inner.utf8) : inner.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }
        default:
            var bytes: [UInt8] = []
            var rest = Substring(text)
            while let first = rest.first {
                if first == " " {
                    rest = rest.dropFirst()
                    continue
                }
                let value: UInt64
                if first == "'" {
                    let inner = rest.dropFirst()
                    guard let char = inner.first, inner.dropFirst().first == "'",
                        let ascii = char.asciiValue
                    else { throw CommandError.syntax(at: rest.startIndex) }
                    value = UInt64(ascii)
                    rest = inner.dropFirst(2)
                } else {
                    let (number, after) = try invocation.evaluatePrefix(rest)
                    value = number
                    rest = after
                }
                for i in 0..<kind.unit(pointerSize: invocation.state.pointerSize) {
                    bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))))
                }
            }
            return bytes
        }
    }

    /// A hit shown like the matching `d*` line.
    static func hitLine(
        _ address: UInt64, kind: Kind, target: any Target, state: DebuggerState
    ) -> String {
        let window = MemoryWindow(target: target, address: address, count: 16)
        let format: MemoryDisplay.Format
        switch kind {
        case .words: format = .words(ascii: false)
        case .dwords: format = .dwords(ascii: false)
        case .qwords: format = .qwords
        default: format = .bytes
        }
        let perLine = 16 / format.objectSize
        return MemoryDisplay.row(
            format, window: window, offset: 0, length: 16, perLine: perLine, address: address,
            pointerSize: target.machine.pointerSize, state: state)
    }
}

/// Finds a byte pattern in the target's memory, visiting only memory that exists.
enum PatternScanner {
    /// Bytes read per step: big enough to run at memory speed, small enough to stay bounded.
    static let chunkSize = 1 << 20

    static func scan(
        target: any Target, in window: Range<UInt64>, pattern: [UInt8], alignment: Int,
        invocation: CommandInvocation, onHit: (UInt64) -> Bool
    ) throws {
        let ranges = target.memoryRanges()
        var buffer = [UInt8](repeating: 0, count: chunkSize + pattern.count)
        for range in ranges {
            let lower = max(range.lowerBound, window.lowerBound)
            let upper = min(range.upperBound, window.upperBound)
            guard lower < upper else { continue }
            var position = lower
            while position < upper {
                try invocation.checkInterrupt()
                // Read the chunk plus enough overlap to catch a pattern crossing its end.
                let want = Int(min(UInt64(chunkSize + pattern.count - 1), upper - position))
                let got = buffer.withUnsafeMutableBytes {
                    target.readMemory(
                        at: position, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]))
                }
                guard got >= pattern.count else { break }
                let last = got - pattern.count
                var keepGoing = true
                buffer.withUnsafeBufferPointer { bytes in
                    var index = 0
                    let first = pattern[0]
                    while index <= last {
                        guard let base = bytes.baseAddress,
                            let found = memchr(base + index, Int32(first), last - index + 1)
                        else { break }
                        let offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                        let address = position &+ UInt64(offset)
                        if address % UInt64(alignment) == 0,
                            memcmp(base + offset, pattern, pattern.count) == 0
                        {
                            if !onHit(address) {
                                keepGoing = false
                                break
                            }
                        }
                        index = offset + 1
                    }
                }
                if !keepGoing { return }
                let advance = UInt64(max(1, min(chunkSize, got - pattern.count + 1)))
                position = position &+ advance
                if got < want { break }
            }
        }
    }
}

/// Finds runs of printable characters (`s -sa`, `s -su`).
enum StringScanner {
    static func scan(
        target: any Target, in window: Range<UInt64>, unicode: Bool, minimumLength: Int,
        invocation: CommandInvocation, onString: (UInt64, String) -> Bool
    ) throws {
        let unit = unicode ? 2 : 1
        for range in target.memoryRanges() {
            let lower = max(range.lowerBound, window.lowerBound)
            let upper = min(range.upperBound, window.upperBound)
            guard lower < upper else { continue }
            var position = lower
            var runStart: UInt64?
            var run = ""
            func finish() -> Bool {
                defer {
                    runStart = nil
                    run = ""
                }
                if let start = runStart, run.count >= minimumLength { return onString(start, run) }
                return true
            }
            while position < upper {
                try invocation.checkInterrupt()
                let count = Int(min(UInt64(PatternScanner.chunkSize), upper - position))
                let memory = MemoryWindow(target: target, address: position, count: count)
                var offset = 0
                while offset + unit <= count {
                    let code = memory.integer(at: offset, size: unit) ?? 0
                    if code >= 0x20 && code < 0x7f || code == 0x09 {
                        if runStart == nil { runStart = position &+ UInt64(offset) }
                        run.append(Character(UnicodeScalar(UInt8(code))))
                    } else if !finish() {
                        return
                    }
                    offset += unit
                }
                position = position &+ UInt64(count)
            }
            if !finish() { return }
        }
    }
}
