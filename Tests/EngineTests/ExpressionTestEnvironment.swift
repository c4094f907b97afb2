import Engine

/// An in-memory `ExpressionEnvironment` for evaluator tests: an x64 register file with derived
/// sub-registers and flags, a few pseudo-registers, byte-addressed virtual and physical memory
/// and a symbol table.
struct TestEnvironment: ExpressionEnvironment {
    var radix: Radix = .hexadecimal
    var pointerSize = 8
    var signExtendsConstants = false

    var registers: [String: RegisterValue] = [:]
    var pseudoRegisters: [String: UInt64] = [:]
    /// Pseudo-registers that exist but have no value (`$peb` in a minidump).
    var unavailablePseudoRegisters: Set<String> = []
    /// Pseudo-registers that report `Bad register error` (`$ea` without an effective address).
    var badPseudoRegisters: Set<String> = []
    var user = UserPseudoRegisters()
    var memory: [UInt64: UInt8] = [:]
    var physicalMemory: [UInt64: UInt8] = [:]
    /// Keys: `module!name` lowercased, or a bare `name` lowercased for unqualified lookups.
    var symbols: [String: UInt64] = [:]
    var sourceLines: [String: UInt64] = [:]

    func register(named name: String) throws(LookupFailure) -> RegisterValue? {
        registers[name]
    }

    func pseudoRegister(named name: String) throws(LookupFailure) -> UInt64? {
        if unavailablePseudoRegisters.contains(name) { throw .unavailable }
        if badPseudoRegisters.contains(name) { throw .badRegister }
        return pseudoRegisters[name]
    }

    func userPseudoRegister(_ index: Int) -> UInt64 { user[index] }

    func readMemory(at address: UInt64, size: Int, physical: Bool) throws(LookupFailure)
        -> UInt64
    {
        let bytes = physical ? physicalMemory : memory
        var value: UInt64 = 0
        for offset in 0..<size {
            guard let byte = bytes[address &+ UInt64(offset)] else { throw .memoryAccess }
            value |= UInt64(byte) << (8 * offset)
        }
        return value
    }

    func symbol(_ reference: SymbolReference) throws(LookupFailure) -> UInt64? {
        let key =
            reference.module.map { "\($0)!\(reference.name)" } ?? reference.name
        return symbols[key.lowercased()]
    }

    func sourceLine(_ text: String) throws(LookupFailure) -> UInt64? { sourceLines[text] }

    mutating func store(_ value: UInt64, size: Int, at address: UInt64, physical: Bool = false) {
        for offset in 0..<size {
            let byte = UInt8(truncatingIfNeeded: value >> (8 * offset))
            if physical {
                physicalMemory[address &+ UInt64(offset)] = byte
            } else {
                memory[address &+ UInt64(offset)] = byte
            }
        }
    }

    /// Adds an x64 general register and its 32/16/8-bit views.
    mutating func setGeneralRegister(_ name: String, _ value: UInt64) {
        registers[name] = RegisterValue(value: value, bitWidth: 64)
        let low = UInt64(UInt32(truncatingIfNeeded: value))
        let word = value & 0xFFFF
        let byte = value & 0xFF
        if name.hasPrefix("r"), let number = Int(name.dropFirst()) {
            registers["r\(number)d"] = RegisterValue(value: low, bitWidth: 32)
            registers["r\(number)w"] = RegisterValue(value: word, bitWidth: 16)
            registers["r\(number)b"] = RegisterValue(value: byte, bitWidth: 8)
            return
        }
        let stem = String(name.dropFirst())  // ax, bx, sp, si, ...
        registers["e" + stem] = RegisterValue(value: low, bitWidth: 32)
        registers[stem] = RegisterValue(value: word, bitWidth: 16)
        if stem.hasSuffix("x") {
            let letter = String(stem.dropLast())
            registers[letter + "l"] = RegisterValue(value: byte, bitWidth: 8)
            registers[letter + "h"] = RegisterValue(value: (value >> 8) & 0xFF, bitWidth: 8)
        }
    }

    /// The environment the table tests share.
    static let standard: TestEnvironment = {
        var environment = TestEnvironment()
        environment.setGeneralRegister("rax", 0x1122_3344_8566_7788)
        environment.setGeneralRegister("rbx", 0x10)
        environment.setGeneralRegister("rcx", 0xFFFF_FFFF_FFFF_FFFF)
        environment.setGeneralRegister("rsp", 0x0000_00C8_2F5F_F000)
        environment.setGeneralRegister("rip", 0x0000_7FF6_1A2B_1000)
        environment.setGeneralRegister("r8", 0x0123_4567_89AB_CDEF)
        environment.setGeneralRegister("r10", 0)
        environment.registers["efl"] = RegisterValue(value: 0x246, bitWidth: 32)
        environment.registers["zf"] = RegisterValue(value: 1, bitWidth: 1)
        environment.registers["cf"] = RegisterValue(value: 0, bitWidth: 1)

        environment.pseudoRegisters = [
            "$ip": 0x0000_7FF6_1A2B_1000,
            "$csp": 0x0000_00C8_2F5F_F000,
            "$teb": 0x0000_00C8_2F3C_0000,
            "$ptrsize": 8,
            "$pagesize": 0x1000,
            "$bp1": 0x0000_7FF6_1A2B_1010,
            "$exp": 0x8F,
        ]
        environment.unavailablePseudoRegisters = ["$peb", "$tid"]
        environment.badPseudoRegisters = ["$ea"]
        environment.user[5] = 0x1234

        // Stack: a return address at rsp, the TEB self pointer at $teb+30.
        environment.store(0x0000_7FF6_1A2B_2000, size: 8, at: 0x0000_00C8_2F5F_F000)
        environment.store(0x0000_00C8_2F3C_0000, size: 8, at: 0x0000_00C8_2F3C_0030)
        environment.store(0x0807_0605_0403_0201, size: 8, at: 0x1000)
        environment.store(0xAAAA_AAAA_AAAA_AAAA, size: 8, at: 0x1000, physical: true)

        // A minimal PE image at 0x400000: MZ, e_lfanew = 0x80, PE\0\0, entry point RVA 0x1234.
        environment.store(0x5A4D, size: 2, at: 0x40_0000)
        environment.store(0x80, size: 4, at: 0x40_003C)
        environment.store(0x4550, size: 4, at: 0x40_0080)
        environment.store(0x1234, size: 4, at: 0x40_0080 + 0x28)
        // Not an image at 0x1000 (no MZ).

        environment.symbols = [
            "ntdll!ntcreatefile": 0x0000_7FFE_37B2_0000,
            "ntdll": 0x0000_7FFE_37A0_0000,
            "ntdll!`string'": 0x0000_7FFE_37C0_0000,
            "app!main": 0x0000_7FF6_1A2B_1000,
            "main": 0x0000_7FF6_1A2B_1000,
            "app!cafe": 0x0000_7FF6_1A2B_3000,
            "cafe": 0x0000_7FF6_1A2B_3000,
            "app!foo::bar": 0x0000_7FF6_1A2B_4000,
            "app!?foo@@yaxxz": 0x0000_7FF6_1A2B_5000,
            "app!`anonymous namespace'::helper": 0x0000_7FF6_1A2B_6000,
            "7z!main": 0x0000_0001_4000_1000,
            "counter$1": 0x0000_7FF6_1A2B_7000,
        ]
        environment.sourceLines = ["app.c:12": 0x0000_7FF6_1A2B_1040]
        return environment
    }()

    /// The standard environment as a 32-bit target.
    static let x86: TestEnvironment = {
        var environment = standard
        environment.pointerSize = 4
        environment.store(0x8765_4321, size: 4, at: 0x2000)
        environment.store(0xDEAD_BEEF, size: 4, at: 0x2004)
        return environment
    }()

    /// The standard environment in kernel mode (constants sign-extended).
    static let kernel: TestEnvironment = {
        var environment = standard
        environment.signExtendsConstants = true
        return environment
    }()
}
