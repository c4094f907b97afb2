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
