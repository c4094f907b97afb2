/// One Breakpad `STACK WIN` record: MSVC's x86 frame description for a code range
/// (from the PDB's FPO data or frame data).
///
/// `STACK WIN type rva code_size prolog_size epilog_size parameter_size saved_register_size
/// local_size max_stack_size has_program_string program_string_or_allocates_base_pointer`
/// (all numbers hex).
public struct WindowsFrameInfo: Sendable, Hashable {
    /// The kind of record (DIA's `StackFrameTypeEnum`). Breakpad uses only `.fpo` and
    /// `.frameData` for unwinding and prefers `.frameData` when both cover an address.
    public enum FrameType: UInt8, Sendable, Hashable {
        case fpo = 0
        case trap = 1
        case tss = 2
        case standard = 3
        case frameData = 4
    }

    public var type: FrameType
    public var rva: UInt64
    public var codeSize: UInt64
    public var prologSize: UInt32
    public var epilogSize: UInt32
    /// Bytes of parameters the function's caller pushed.
    public var parameterSize: UInt32
    public var savedRegisterSize: UInt32
    public var localSize: UInt32
    public var maxStackSize: UInt32
    /// The postfix program computing the caller's registers, when the record has one.
    public var programString: String?
    /// For records without a program: the function keeps using `ebp` for its own purposes
    /// and saved the caller's `ebp` in its saved-register area.
    public var allocatesBasePointer: Bool

    public init(
        type: FrameType, rva: UInt64, codeSize: UInt64, prologSize: UInt32 = 0,
        epilogSize: UInt32 = 0, parameterSize: UInt32 = 0, savedRegisterSize: UInt32 = 0,
        localSize: UInt32 = 0, maxStackSize: UInt32 = 0, programString: String? = nil,
        allocatesBasePointer: Bool = false
    ) {
        self.type = type
        self.rva = rva
        self.codeSize = codeSize
        self.prologSize = prologSize
        self.epilogSize = epilogSize
        self.parameterSize = parameterSize
        self.savedRegisterSize = savedRegisterSize
        self.localSize = localSize
        self.maxStackSize = maxStackSize
        self.programString = programString
        self.allocatesBasePointer = allocatesBasePointer
    }
}

/// The `STACK CFI` rules in effect at one address: a `STACK CFI INIT` record with the
/// following `STACK CFI` delta records up to that address applied in order.
///
/// Register names are kept as written, minus a leading `$` (`$rsp` → `rsp`; ARM files write
/// `sp`, `x29` without it).
public struct CFIRuleSet: Sendable, Hashable {
    /// Postfix expression for the canonical frame address (the caller's stack pointer on
    /// x86, x86-64 and ARM64).
    public var cfaRule: String?
    /// Postfix expression for the return address (the caller's instruction pointer).
    public var returnAddressRule: String?
    /// Postfix expressions recovering the caller's other registers, by register name.
    public var registerRules: [String: String]

    public init(
        cfaRule: String? = nil, returnAddressRule: String? = nil,
        registerRules: [String: String] = [:]
    ) {
        self.cfaRule = cfaRule
        self.returnAddressRule = returnAddressRule
        self.registerRules = registerRules
    }

    /// Parses one record's rule text (`.cfa: $rsp 8 + .ra: .cfa -8 + ^`) and applies it on
    /// top of `self`: later rules for a register replace earlier ones.
    ///
    /// Like Breakpad's parser, rules before a malformed one stay applied; the error says
    /// what was wrong.
    public mutating func apply(ruleText: String) throws(UnwindRuleError) {
        var name: Substring?
        var expression: [Substring] = []

        func report() throws(UnwindRuleError) {
            guard let register = name, !expression.isEmpty else {
                throw UnwindRuleError("CFI rule '\(name ?? "")' has no expression")
            }
            let text = expression.joined(separator: " ")
            switch register {
            case ".cfa": cfaRule = text
            case ".ra": returnAddressRule = text
            default: registerRules[String(Self.bareRegisterName(register))] = text
            }
        }

        for token in ruleText.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if token.hasSuffix(":") {
                guard token.count >= 2 else { throw UnwindRuleError("CFI rule with an empty name") }
                if name != nil || !expression.isEmpty { try report() }
                name = token.dropLast()
                expression = []
            } else {
                guard name != nil else {
                    throw UnwindRuleError(
                        "CFI rules start with '\(token)' instead of a register name")
                }
                expression.append(token)
            }
        }
        guard name != nil || !expression.isEmpty else {
            throw UnwindRuleError("empty CFI rule set")
        }
        try report()
    }

    static func bareRegisterName(_ name: Substring) -> Substring {
        name.first == "$" ? name.dropFirst() : name
    }
}

/// Why unwind rules could not produce a caller frame. The message names the failing step.
public struct UnwindRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Reads `byteCount` (4 or 8) bytes of target memory at `address` as a little-endian
/// integer; nil when the memory is not available.
public typealias UnwindMemoryReader = (_ address: UInt64, _ byteCount: Int) -> UInt64?

/// Unwind information a symbol source can supply besides names (Breakpad `STACK` records;
/// later PDB FPO / frame data).
public protocol CallFrameInfoProvider: AnyObject, Sendable {
    /// The CFI rules in effect at `rva`, if a `STACK CFI INIT` range covers it.
    func cfiRules(at rva: UInt64) -> CFIRuleSet?

    /// The `STACK WIN` record for `rva`: the innermost frame-data record covering it,
    /// else the innermost FPO record.
    func windowsFrameInfo(at rva: UInt64) -> WindowsFrameInfo?

    /// Stack parameter size of the code at `rva`, for the next frame's
    /// `calleeParameterSize`: the `STACK WIN` record's value, else the covering `FUNC`'s.
    func parameterSize(at rva: UInt64) -> UInt32?
}
