/// An address range argument as CDB writes them: `Start End`, `Start L Count`, `Start L? Count`
/// (no size limit), `Start L- Count` (ending at Start), or nothing/only a count (continue where
/// the last display ended).
public struct AddressRangeArgument: Equatable {
    public enum Length: Equatable {
        /// `L Count`: a number of objects.
        case count(UInt64)
        /// `L- Count`: a number of objects ending at the start address.
        case countBackward(UInt64)
        /// `Start End`: inclusive end address.
        case end(UInt64)
    }

    public var start: UInt64?
    public var length: Length?
    /// `L?` lifts the 256 MB sanity limit.
    public var unlimited = false
    /// Text after the range (a search pattern, for example).
    public var rest: Substring

    /// CDB refuses larger ranges unless `L?` is used.
    public static let sanityLimit: UInt64 = 256 << 20

    /// Parses a range at the start of `text`.
    public static func parse(_ text: Substring, in invocation: CommandInvocation) throws
        -> AddressRangeArgument
    {
        var result = AddressRangeArgument(start: nil, length: nil, rest: text)
        var rest = text.drop { $0 == " " || $0 == "\t" }
        if rest.isEmpty { return result }
        if !startsLengthPrefix(rest) {
            let (start, after) = try invocation.evaluatePrefix(rest)
            result.start = start
            rest = after.drop { $0 == " " || $0 == "\t" || $0 == "," }
        }
        if startsLengthPrefix(rest) {
            rest = rest.dropFirst()
            var backward = false
            if rest.first == "?" {
                result.unlimited = true
                rest = rest.dropFirst()
            } else if rest.first == "-" {
                backward = true
                rest = rest.dropFirst()
            }
            let (count, after) = try invocation.evaluatePrefix(rest)
            result.length = backward ? .countBackward(count) : .count(count)
            rest = after
        } else if let first = rest.first, first != "\"", first != "'", result.start != nil,
            !isPatternStart(rest)
        {
            let (end, after) = try invocation.evaluatePrefix(rest)
            result.length = .end(end)
            rest = after
        }
        result.rest = rest.drop { $0 == " " || $0 == "\t" }
        return result
    }

    /// `L4`, `l?10`, `L-8`: an `L` not followed by a letter (so `Lookup` stays a symbol).
    static func startsLengthPrefix(_ text: Substring) -> Bool {
        guard let first = text.first, first == "L" || first == "l" else { return false }
        let next = text.dropFirst().first
        guard let next else { return false }
        return next.isNumber || next == "?" || next == "-" || next == " " || next == "0"
            || next == "@" || next == "("
    }

    /// Search commands put a pattern after the range; a quoted string starts one.
    static func isPatternStart(_ text: Substring) -> Bool {
        text.first == "\"" || text.first == "'"
    }

    /// Resolves to a start address and a byte count, given the object size and defaults.
    /// Throws CDB's range error past the sanity limit, for an end before the start, and for a
    /// range that would wrap around the top (or, with `L-`, the bottom) of the address space;
    /// an `L?` range that runs past the top is cut there. The byte count is never 0 and
    /// `start + byteCount - 1` never overflows.
    public func resolve(
        defaultStart: UInt64?, objectSize: Int, defaultCount: UInt64, at position: String.Index?
    ) throws -> (start: UInt64, byteCount: UInt64) {
        guard let start = start ?? defaultStart else {
            throw CommandError.syntax(at: position)
        }
        let rangeError = CommandError(.inCommand(kind: "Range error"), at: position)
        let size = UInt64(max(1, objectSize))
        var first = start
        var bytes: UInt64
        switch length {
        case nil:
            bytes = Self.bytes(defaultCount, objectSize: size)
        case .count(let count):
            bytes = Self.bytes(count, objectSize: size)
        case .countBackward(let count):
            bytes = Self.bytes(count, objectSize: size)
            guard bytes <= start else { throw rangeError }
            first = start - bytes
        case .end(let end):
            guard end >= start else { throw rangeError }
            // Every object that starts at or before End is shown whole (`dd @esp @esp+4` is
            // two dwords). `0 ffffffff`ffffffff` is 2^64 bytes: more than any limit allows.
            let lastObject = (end - start) / size
            bytes = lastObject >= UInt64.max / size ? .max : (lastObject + 1) * size
        }
        if bytes == 0 { bytes = size }
        if !unlimited, bytes > Self.sanityLimit { throw rangeError }
        // Room left from `first` to the top of the address space, minus one.
        let room = UInt64.max - first
        if bytes - 1 > room {
            guard unlimited else { throw rangeError }
            bytes = room == .max ? .max : room + 1
        }
        return (first, bytes)
    }

    /// `count` objects of `objectSize` bytes, saturating at 2^64 - 1.
    static func bytes(_ count: UInt64, objectSize: UInt64) -> UInt64 {
        let (product, overflow) = count.multipliedReportingOverflow(by: objectSize)
        return overflow ? .max : product
    }
}
