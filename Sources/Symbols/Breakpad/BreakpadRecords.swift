/// The `MODULE os arch id name` line that starts a Breakpad symbol file.
public struct BreakpadModuleRecord: Sendable, Hashable {
    public var operatingSystem: String
    public var architecture: String
    /// The debug identifier (`5A9832E5287241C1838ED98914E9B7FF1`).
    public var identifier: String
    /// The debug file name (`test_app.pdb`, `libc-2.13.so`).
    public var name: String

    public init(operatingSystem: String, architecture: String, identifier: String, name: String) {
        self.operatingSystem = operatingSystem
        self.architecture = architecture
        self.identifier = identifier
        self.name = name
    }
}

/// How many well-formed records of each type a symbol file held.
public struct BreakpadRecordCounts: Sendable, Hashable {
    public var module = 0
    public var info = 0
    public var files = 0
    public var functions = 0
    public var lines = 0
    public var publicSymbols = 0
    public var inlineOrigins = 0
    public var inlines = 0
    public var stackWin = 0
    public var stackCFIInit = 0
    public var stackCFIDelta = 0

    public init() {}
}

/// A line of a symbol file that was skipped.
public struct BreakpadParseWarning: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var lineNumber: Int
    public var message: String

    public var description: String { "line \(lineNumber): \(message)" }
}

/// What loading a Breakpad symbol file found: for `.reload /v`-style reporting and tests.
public struct BreakpadLoadReport: Sendable, Hashable {
    public var module: BreakpadModuleRecord?
    /// The `INFO CODE_ID` value, when present.
    public var codeIdentifier: String?
    public var counts: BreakpadRecordCounts
    /// Lines that could not be parsed and were skipped.
    public var skippedLineCount: Int
    /// The first few skipped lines with the reason (at most `maximumWarnings`).
    public var warnings: [BreakpadParseWarning]
    /// Well-formed `FUNC`, `STACK` or `INLINE` ranges that address lookups use only in part or
    /// not at all: empty ranges, exact repeats, and ranges cut short where a later-starting
    /// range overlaps them (see `RangeForest`; MSVC's `STACK WIN` data overlaps often).
    public var adjustedRangeCount: Int

    /// How many warnings are kept with their text.
    public static let maximumWarnings = 20
}

/// Internal record layouts: numbers plus byte ranges into the file text, so a large file
/// costs a few arrays rather than one string per line.
struct TextRange: Sendable, Hashable {
    var offset: UInt32
    var length: UInt32

    static let empty = TextRange(offset: 0, length: 0)

    init(offset: UInt32, length: UInt32) {
        self.offset = offset
        self.length = length
    }

    /// The file is at most `UInt32.max` bytes (checked before parsing), so these fit.
    init(_ range: Range<Int>) {
        self.offset = UInt32(truncatingIfNeeded: range.lowerBound)
        self.length = UInt32(truncatingIfNeeded: range.count)
    }
}

struct FunctionRecord: Sendable {
    var rva: UInt64
    var size: UInt64
    var name: TextRange
    var parameterSize: UInt32
    var isMultiple: Bool
    /// This function's line records: `lines[lineStart ..< lineStart + lineCount]`, sorted.
    var lineStart: UInt32
    var lineCount: UInt32
}

struct PublicRecord: Sendable {
    var rva: UInt64
    var name: TextRange
    var parameterSize: UInt32
    var isMultiple: Bool
}

struct LineRecord: Sendable {
    var rva: UInt64
    var size: UInt64
    var line: UInt32
    var fileID: UInt32
}

/// `FILE` and `INLINE_ORIGIN` records: a number naming a string.
struct NamedID: Sendable {
    var id: UInt32
    var name: TextRange
}

struct InlineRecord: Sendable {
    /// Index into `functions` of the FUNC this record follows.
    var function: Int32
    var depth: UInt32
    var callSiteLine: UInt32
    /// -1 when the record has no call-site file (older format) or names none.
    var callSiteFileID: Int64
    var originID: UInt32
}

struct InlineRange: Sendable {
    var start: UInt64
    var size: UInt64
    /// Index into `inlines`.
    var inline: Int32
}

struct StackWinRecord: Sendable {
    var type: WindowsFrameInfo.FrameType
    var rva: UInt64
    var codeSize: UInt64
    var prologSize: UInt32
    var epilogSize: UInt32
    var parameterSize: UInt32
    var savedRegisterSize: UInt32
    var localSize: UInt32
    var maxStackSize: UInt32
    var allocatesBasePointer: Bool
    /// Empty when the record has no program string.
    var program: TextRange
}

struct CFIInitRecord: Sendable {
    var rva: UInt64
    var size: UInt64
    var rules: TextRange
}

struct CFIDeltaRecord: Sendable {
    var rva: UInt64
    var rules: TextRange
}
