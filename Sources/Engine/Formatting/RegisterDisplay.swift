/// The `r` register block for each architecture, laid out as CDB prints it.
public enum RegisterDisplay {
    /// All integer registers, flags and segments (no floating point).
    public static func lines(_ set: RegisterSet) -> [String] {
        switch set.machine {
        case .amd64: amd64(set)
        case .x86: x86(set)
        case .arm64: arm64(set)
        case .arm: arm(set)
        }
    }

    /// `rax=0000000000000000` / `eax=00000000` / `zf=1`: one named value as `r NAME` prints it.
    public static func single(_ name: String, value: UInt64, bits: Int) -> String {
        if bits < 8 { return "\(name)=\(String(value, radix: 16))" }
        return "\(name)=\(Hex.digits(value, width: bits / 4))"
    }

    /// `single(_:value:bits:)` for a register, sub-register or flag of `set`; nil when `set`
    /// has no such name.
    public static func single(_ name: String, in set: RegisterSet) -> String? {
        guard let value = set.value(of: name), let bits = set.width(of: name) else { return nil }
        return single(name, value: value, bits: bits)
    }

    private static func value(_ set: RegisterSet, _ name: String) -> UInt64 {
        set.value(of: name) ?? 0
    }

    private static func amd64(_ set: RegisterSet) -> [String] {
        func reg(_ name: String) -> String {
            name.leftPadded(to: 3) + "=" + Hex.digits(value(set, name), width: 16)
        }
        let rows = [
            ["rax", "rbx", "rcx"], ["rdx", "rsi", "rdi"], ["rip", "rsp", "rbp"],
            ["r8", "r9", "r10"], ["r11", "r12", "r13"], ["r14", "r15"],
        ]
        var lines = rows.map { $0.map(reg).joined(separator: " ") }
        lines.append(flagsText(set))
        lines.append(segmentsText(set, width: 16))
        return lines
    }

    private static func x86(_ set: RegisterSet) -> [String] {
        func reg(_ name: String) -> String { name + "=" + Hex.digits(value(set, name), width: 8) }
        return [
            ["eax", "ebx", "ecx", "edx", "esi", "edi"].map(reg).joined(separator: " "),
            ["eip", "esp", "ebp"].map(reg).joined(separator: " ") + " " + flagsText(set),
            segmentsText(set, width: 8),
        ]
    }

    /// `iopl=0         nv up ei pl zr na po nc`.
    static func flagsText(_ set: RegisterSet) -> String {
        let flags = value(set, "efl")
        func bit(_ n: UInt64) -> Bool { flags >> n & 1 == 1 }
        // Parity: the debugger's own table names PF=1 `po` and x64 output follows it, while
        // x86 output follows Intel (PF=1 is even parity, `pe`); see the reference, §6.
        let parityOne = set.machine == .amd64 ? "po" : "pe"
        let parityZero = set.machine == .amd64 ? "pe" : "po"
        let codes = [
            bit(11) ? "ov" : "nv", bit(10) ? "dn" : "up", bit(9) ? "ei" : "di",
            bit(7) ? "ng" : "pl", bit(6) ? "zr" : "nz", bit(4) ? "ac" : "na",
            bit(2) ? parityOne : parityZero, bit(0) ? "cy" : "nc",
        ]
        return "iopl=\(flags >> 12 & 3)".rightPadded(to: 15) + codes.joined(separator: " ")
    }

    /// `cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00000246`.
    static func segmentsText(_ set: RegisterSet, width: Int) -> String {
        let segments = ["cs", "ss", "ds", "es", "fs", "gs"].map {
            "\($0)=" + Hex.digits(value(set, $0) & 0xffff, width: 4)
        }
        return segments.joined(separator: "  ") + String(repeating: " ", count: 13) + "efl="
            + Hex.digits(value(set, "efl") & 0xffff_ffff, width: 8)
    }

    private static func arm64(_ set: RegisterSet) -> [String] {
        func reg(_ name: String) -> String {
            name.leftPadded(to: 3) + "=" + Hex.digits(value(set, name), width: 16)
        }
        var names = (0...28).map { "x\($0)" }
        names += ["fp", "lr", "sp"]
        var lines: [String] = []
        var index = 0
        while index < names.count {
            lines.append(
                names[index..<min(index + 4, names.count)].map(reg).joined(separator: "   "))
            index += 4
        }
        let cpsr = value(set, "cpsr")
        lines.append(
            reg("pc") + "  psr=" + Hex.digits(cpsr & 0xffff_ffff, width: 8) + " " + nzcv(cpsr)
                + " EL\(cpsr >> 2 & 3)")
        return lines
    }

    private static func arm(_ set: RegisterSet) -> [String] {
        func reg(_ name: String) -> String {
            name.leftPadded(to: 3) + "=" + Hex.digits(value(set, name), width: 8)
        }
        let cpsr = value(set, "cpsr")
        let mode = cpsr >> 5 & 1 == 1 ? "Thumb" : "ARM"
        return [
            ["r0", "r1", "r2", "r3", "r4", "r5"].map(reg).joined(separator: "  "),
            ["r6", "r7", "r8", "r9", "r10", "r11"].map(reg).joined(separator: "  "),
            ["r12", "sp", "lr", "pc"].map(reg).joined(separator: "  ") + "  psr="
                + Hex.digits(cpsr & 0xffff_ffff, width: 8) + " " + nzcv(cpsr) + " " + mode,
        ]
    }

    /// `N-C-` style condition flags.
    private static func nzcv(_ cpsr: UInt64) -> String {
        let letters: [(UInt64, Character)] = [(31, "N"), (30, "Z"), (29, "C"), (28, "V")]
        return String(letters.map { cpsr >> $0.0 & 1 == 1 ? $0.1 : "-" })
    }
}
