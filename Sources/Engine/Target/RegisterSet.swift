/// One register value.
public struct Register: Sendable, Equatable {
    /// Canonical lower-case name (`rax`, `efl`, `x0`, `cpsr`).
    public var name: String
    public var value: UInt64
    /// Width in bits (8, 16, 32 or 64).
    public var bits: Int

    public init(_ name: String, _ value: UInt64, bits: Int) {
        self.name = name
        self.value = value
        self.bits = bits
    }
}

/// The registers of one thread or context record, in the target's order.
///
/// Targets store full registers under canonical names: x64 `rax`…`r15`, `rip`, `efl`, segment
/// registers; x86 `eax`…`eip`, `efl`, segments; ARM64 `x0`…`x28`, `fp`, `lr`, `sp`, `pc`,
/// `cpsr`; ARM `r0`…`r12`, `sp`, `lr`, `pc`, `cpsr`. Sub-registers (`eax` of `rax`, `al`,
/// `r8d`, `w0`) and flags (`zf`, `iopl`) are derived on lookup.
public struct RegisterSet: Sendable, Equatable {
    public var machine: Machine
    public private(set) var registers: [Register]
    /// The x87 and SSE state, when the context has it (x86 and x64 dumps).
    public var floatingPoint: FloatingPointState?

    public init(
        machine: Machine, registers: [Register], floatingPoint: FloatingPointState? = nil
    ) {
        self.machine = machine
        self.registers = registers
        self.floatingPoint = floatingPoint
    }

    /// A stored register by exact canonical name.
    public func stored(_ name: String) -> UInt64? {
        registers.first { $0.name == name }?.value
    }

    /// Looks a name up case-insensitively: stored registers, then sub-registers and flags.
    public func value(of name: String) -> UInt64? {
        let name = name.lowercased()
        if let value = stored(name) { return value }
        if let alias = RegisterAliases.alias(name, machine: machine), let full = stored(alias.of) {
            return (full >> UInt64(alias.shift)) & alias.mask
        }
        if let flag = FlagBits.flag(named: name, machine: machine), let flags = stored(flagsName) {
            return (flags >> UInt64(flag.shift)) & flag.mask
        }
        return nil
    }

    /// Width in bits of a register or sub-register, or nil when unknown.
    public func width(of name: String) -> Int? {
        let name = name.lowercased()
        if let register = registers.first(where: { $0.name == name }) { return register.bits }
        if let alias = RegisterAliases.alias(name, machine: machine), stored(alias.of) != nil {
            return alias.mask.nonzeroBitCount
        }
        if let flag = FlagBits.flag(named: name, machine: machine), stored(flagsName) != nil {
            return flag.mask.nonzeroBitCount
        }
        return nil
    }

    /// Sets a register, sub-register or flag; false when the name is unknown.
    public mutating func set(_ name: String, to value: UInt64) -> Bool {
        let name = name.lowercased()
        if let index = registers.firstIndex(where: { $0.name == name }) {
            let bits = registers[index].bits
            registers[index].value = bits >= 64 ? value : value & ((1 << UInt64(bits)) - 1)
            return true
        }
        if let alias = RegisterAliases.alias(name, machine: machine),
            let index = registers.firstIndex(where: { $0.name == alias.of })
        {
            let shifted = alias.mask << UInt64(alias.shift)
            registers[index].value =
                (registers[index].value & ~shifted) | ((value & alias.mask) << UInt64(alias.shift))
            return true
        }
        if let flag = FlagBits.flag(named: name, machine: machine),
            let index = registers.firstIndex(where: { $0.name == flagsName })
        {
            let shifted = flag.mask << UInt64(flag.shift)
            registers[index].value =
                (registers[index].value & ~shifted) | ((value & flag.mask) << UInt64(flag.shift))
            return true
        }
        return false
    }

    /// The name of the flags register for this machine.
    public var flagsName: String {
        switch machine {
        case .x86, .amd64: "efl"
        case .arm, .arm64: "cpsr"
        }
    }

    public var instructionPointer: UInt64? {
        switch machine {
        case .amd64: stored("rip")
        case .x86: stored("eip")
        case .arm, .arm64: stored("pc")
        }
    }

    public var stackPointer: UInt64? {
        switch machine {
        case .amd64: stored("rsp")
        case .x86: stored("esp")
        case .arm, .arm64: stored("sp")
        }
    }

    public var framePointer: UInt64? {
        switch machine {
        case .amd64: stored("rbp")
        case .x86: stored("ebp")
        case .arm64: stored("fp")
        case .arm: stored("r11")
        }
    }

    /// The register holding a function's return value (`$retreg`).
    public var returnValue: UInt64? {
        switch machine {
        case .amd64: stored("rax")
        case .x86: stored("eax")
        case .arm64: stored("x0")
        case .arm: stored("r0")
        }
    }
}

/// Sub-registers: which full register they live in, where, and how wide.
enum RegisterAliases {
    struct Alias {
        var of: String
        var shift: Int
        var mask: UInt64
    }

    static func alias(_ name: String, machine: Machine) -> Alias? {
        switch machine {
        case .amd64:
            amd64[name]
                ?? x86Common[name].map {
                    Alias(of: "r" + $0.of.dropFirst(), shift: $0.shift, mask: $0.mask)
                }
        case .x86: x86Common[name]
        case .arm64: arm64(name)
        case .arm: nil
        }
    }

    /// x86 names relative to the 32-bit registers (`ax` of `eax`).
    private static let x86Common: [String: Alias] = {
        var table: [String: Alias] = [:]
        for base in ["ax", "bx", "cx", "dx"] {
            let full = "e" + base
            let letter = String(base.prefix(1))
            table[base] = Alias(of: full, shift: 0, mask: 0xffff)
            table[letter + "l"] = Alias(of: full, shift: 0, mask: 0xff)
            table[letter + "h"] = Alias(of: full, shift: 8, mask: 0xff)
        }
        for base in ["si", "di", "bp", "sp", "ip"] {
            table[base] = Alias(of: "e" + base, shift: 0, mask: 0xffff)
        }
        table["fl"] = Alias(of: "efl", shift: 0, mask: 0xffff)
        return table
    }()

    /// x64 names relative to the 64-bit registers.
    private static let amd64: [String: Alias] = {
        var table: [String: Alias] = [:]
        for base in ["ax", "bx", "cx", "dx", "si", "di", "bp", "sp", "ip"] {
            table["e" + base] = Alias(of: "r" + base, shift: 0, mask: 0xffff_ffff)
        }
        for base in ["si", "di", "bp", "sp"] {
            table[base + "l"] = Alias(of: "r" + base, shift: 0, mask: 0xff)
        }
        for number in 8...15 {
            table["r\(number)d"] = Alias(of: "r\(number)", shift: 0, mask: 0xffff_ffff)
            table["r\(number)w"] = Alias(of: "r\(number)", shift: 0, mask: 0xffff)
            table["r\(number)b"] = Alias(of: "r\(number)", shift: 0, mask: 0xff)
        }
        table["fl"] = Alias(of: "efl", shift: 0, mask: 0xffff)
        return table
    }()

    private static func arm64(_ name: String) -> Alias? {
        if name == "x29" { return Alias(of: "fp", shift: 0, mask: .max) }
        if name == "x30" { return Alias(of: "lr", shift: 0, mask: .max) }
        guard name.hasPrefix("w"), let number = Int(name.dropFirst()), (0...30).contains(number)
        else { return nil }
        let full = number == 29 ? "fp" : number == 30 ? "lr" : "x\(number)"
        return Alias(of: full, shift: 0, mask: 0xffff_ffff)
    }
}

/// Flag codes (`r zf`) and where they sit in the flags register.
enum FlagBits {
    struct Flag {
        var shift: Int
        var mask: UInt64
    }

    static func flag(named name: String, machine: Machine) -> Flag? {
        switch machine {
        case .x86, .amd64: x86[name]
        case .arm, .arm64: arm[name]
        }
    }

    private static let x86: [String: Flag] = [
        "cf": Flag(shift: 0, mask: 1), "pf": Flag(shift: 2, mask: 1), "af": Flag(shift: 4, mask: 1),
        "zf": Flag(shift: 6, mask: 1), "sf": Flag(shift: 7, mask: 1), "tf": Flag(shift: 8, mask: 1),
        "if": Flag(shift: 9, mask: 1), "df": Flag(shift: 10, mask: 1),
        "of": Flag(shift: 11, mask: 1),
        "iopl": Flag(shift: 12, mask: 3), "vip": Flag(shift: 20, mask: 1),
        "vif": Flag(shift: 19, mask: 1),
    ]

    private static let arm: [String: Flag] = [
        "nf": Flag(shift: 31, mask: 1), "zf": Flag(shift: 30, mask: 1),
        "cf": Flag(shift: 29, mask: 1),
        "vf": Flag(shift: 28, mask: 1), "tf": Flag(shift: 5, mask: 1),
    ]
}
