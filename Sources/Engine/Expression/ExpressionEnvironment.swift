// What the MASM evaluator needs from the debugger: the current radix, the target's pointer size,
// registers, pseudo-registers, memory and symbols. The engine implements this protocol over the
// current target; tests implement it over dictionaries.

/// The default number base for unprefixed MASM numbers (`n 8`, `n 10`, `n 16`).
public enum Radix: Int, Sendable, CaseIterable {
    case octal = 8
    case decimal = 10
    case hexadecimal = 16
}

/// A register's value together with its width, so the evaluator can apply MASM's rule that
/// 32-bit registers are sign-extended (`eax` = `80000000` evaluates to `ffffffff80000000`).
public struct RegisterValue: Sendable, Equatable {
    /// The register's contents, zero-extended to 64 bits.
    public var value: UInt64
    /// The register's width in bits: 8, 16, 32, 64 (or wider for vector registers, which are
    /// truncated to their low 64 bits by the environment).
    public var bitWidth: Int

    public init(value: UInt64, bitWidth: Int) {
        self.value = value
        self.bitWidth = bitWidth
    }
}

/// A symbol as written in an expression.
public struct SymbolReference: Sendable, Equatable, Hashable {
    /// The module before `!`; nil for a bare name (`main`) or a `!name` form.
    public var module: String?
    /// The name after `!` (or the bare name), exactly as typed; backtick-quoted C++ segments keep
    /// their quotes (``ntdll!`string'`` has name `` `string' ``).
    public var name: String
    /// True when the text was module-qualified or started with `!` (`!cafe`): the user asked
    /// for a symbol, not a register or number.
    public var isExplicit: Bool

    public init(module: String?, name: String, isExplicit: Bool) {
        self.module = module
        self.name = name
        self.isExplicit = isExplicit
    }
}

/// Why the environment could not produce a value. The evaluator turns it into an
/// `ExpressionError` positioned at the token that asked.
public struct LookupFailure: Error, Sendable, Equatable {
    public var kind: ExpressionError.Kind

    public init(_ kind: ExpressionError.Kind) {
        self.kind = kind
    }

    /// A pseudo-register that exists but has no value on this target (`$peb` in a minidump
    /// without one). The documentation says CDB answers with a syntax error.
    public static let unavailable = LookupFailure(.syntax)
    /// A register or pseudo-register that cannot be read now (`$ea` without an effective address).
    public static let badRegister = LookupFailure(.badRegister)
    /// Memory that is not present in the target.
    public static let memoryAccess = LookupFailure(.memoryAccess)
}

/// The debugger state a MASM expression can read. Implementations must not trap on any input:
/// names and addresses come straight from the user.
///
/// Lookup order used by the evaluator for a bare word (documented in `MASMEvaluator`):
/// number in the current radix, then `register(named:)`, then `symbol(_:)`.
public protocol ExpressionEnvironment {
    /// Radix for unprefixed numbers.
    var radix: Radix { get }

    /// Pointer size of the target in bytes: 4 or 8 (8 when there is no target). `poi` reads this
    /// many bytes.
    var pointerSize: Int { get }

    /// True when numeric constants `80000000`...`ffffffff` written without a backtick are
    /// sign-extended to 64 bits. CDB does this in kernel mode only; user mode never does.
    var signExtendsConstants: Bool { get }

    /// The register named `name` (lowercased, without `@`): `rax`, `eax`, `al`, `ah`, `r8d`,
    /// `zf`... Returns nil when the architecture has no such register.
    func register(named name: String) throws(LookupFailure) -> RegisterValue?

    /// The automatic pseudo-register `name` (lowercased, with its `$`, without `@`): `$ip`,
    /// `$peb`, `$bp3`, `$exr_param0`... Returns nil when no pseudo-register has that name;
    /// throws `LookupFailure.unavailable` (or `.badRegister`) when it exists but has no value.
    /// `$t0`...`$t19` never reach this method; `.` arrives as `$ip`.
    func pseudoRegister(named name: String) throws(LookupFailure) -> UInt64?

    /// User pseudo-register `$t<index>`, index 0...19. Unset ones read as 0.
    func userPseudoRegister(_ index: Int) -> UInt64

    /// Reads `size` bytes (1, 2, 4 or 8) at `address`, little-endian, zero-extended.
    /// `physical` is set for `$pby`, `$pwo`, `$pdwo`, `$pqwo`, `$ppoi`.
    /// On a 32-bit target the address may arrive sign-extended (`ffffffff80001000`); treat it
    /// as its low 32 bits. Throws `LookupFailure.memoryAccess` when the memory is unavailable.
    func readMemory(at address: UInt64, size: Int, physical: Bool) throws(LookupFailure) -> UInt64

    /// The address of a symbol, or nil when it cannot be resolved.
    func symbol(_ reference: SymbolReference) throws(LookupFailure) -> UInt64?

    /// The address for a source-line expression (`` `file.c:123` ``, text without the
    /// backticks), or nil. Has a default implementation that resolves nothing.
    func sourceLine(_ text: String) throws(LookupFailure) -> UInt64?

    /// Whether `length` bytes from `address` are readable (`$vvalid`). The default
    /// implementation reads the first and the last byte.
    func isValidMemory(at address: UInt64, length: UInt64) -> Bool
}

extension ExpressionEnvironment {
    public func sourceLine(_ text: String) throws(LookupFailure) -> UInt64? { nil }

    public func isValidMemory(at address: UInt64, length: UInt64) -> Bool {
        guard length > 0 else { return true }
        let (last, overflow) = address.addingReportingOverflow(length - 1)
        guard !overflow else { return false }
        do {
            _ = try readMemory(at: address, size: 1, physical: false)
            _ = try readMemory(at: last, size: 1, physical: false)
            return true
        } catch {
            return false
        }
    }
}

/// Storage for the user pseudo-registers `$t0`...`$t19`, for the engine to keep in its
/// session state and for `r $t0 = ...` to write.
public struct UserPseudoRegisters: Sendable, Equatable {
    /// Number of user pseudo-registers (`$t0`...`$t19`).
    public static let count = 20

    private var values = [UInt64](repeating: 0, count: UserPseudoRegisters.count)

    public init() {}

    /// The value of `$t<index>`; 0 for an index outside 0...19.
    public subscript(index: Int) -> UInt64 {
        get { values.indices.contains(index) ? values[index] : 0 }
        set {
            if values.indices.contains(index) { values[index] = newValue }
        }
    }

    /// The index for a name like `$t7` or `@$t7` (case-insensitive), or nil.
    public static func index(ofName name: some StringProtocol) -> Int? {
        var text = Substring(name.lowercased())
        if text.hasPrefix("@") { text = text.dropFirst() }
        guard text.hasPrefix("$t") else { return nil }
        let digits = text.dropFirst(2)
        guard (1...2).contains(digits.count), digits.allSatisfy({ $0 >= "0" && $0 <= "9" }),
            let index = Int(digits), index < count
        else { return nil }
        return index
    }
}
