/// CodeView register numbers (`CV_HREG_e` in cvconst.h) as the debugger names them.
public enum CodeViewRegister {
    /// The debugger's name for `number` (`rcx`, `ebp`, `r8d`, `xmm0`), for an x64 image when
    /// `is64Bit`, else x86. Nil for registers the debugger does not model.
    public static func name(_ number: UInt16, is64Bit: Bool) -> String? {
        let low: [UInt16: String] = [
            1: "al", 2: "cl", 3: "dl", 4: "bl", 5: "ah", 6: "ch", 7: "dh", 8: "bh",
            9: "ax", 10: "cx", 11: "dx", 12: "bx", 13: "sp", 14: "bp", 15: "si", 16: "di",
            17: "eax", 18: "ecx", 19: "edx", 20: "ebx", 21: "esp", 22: "ebp", 23: "esi", 24: "edi",
            33: is64Bit ? "rip" : "eip", 34: "efl",
        ]
        if let name = low[number] { return name }
        guard is64Bit else {
            if number >= 154, number < 162 { return "xmm\(number - 154)" }
            return nil
        }
        let wide = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"]
        switch number {
        case 154..<170: return "xmm\(number - 154)"
        case 324: return "sil"
        case 325: return "dil"
        case 326: return "bpl"
        case 327: return "spl"
        case 328..<336: return wide[Int(number - 328)]
        case 336..<344: return "r\(number - 328)"
        case 344..<352: return "r\(number - 336)b"
        case 352..<360: return "r\(number - 344)w"
        case 360..<368: return "r\(number - 352)d"
        default: return nil
        }
    }

    /// CodeView's virtual frame register (`CV_ALLREG_VFRAME`).
    public static let virtualFrame: UInt16 = 30006

    /// The register a frame-relative location is based on, from `S_FRAMEPROC`'s encoding
    /// (1: stack pointer, or x86's virtual frame; 2: frame pointer; 3: r13 on x64, ebx on x86),
    /// with the displacement to add. x86's virtual frame is the address of the return address
    /// (FPO's `$T0`); in a function with an `ebp` frame that is `ebp + 4`.
    public static func framePointer(encoding: Int, is64Bit: Bool) -> (String, Int64)? {
        switch (encoding, is64Bit) {
        case (1, true): ("rsp", 0)
        case (2, true): ("rbp", 0)
        case (3, true): ("r13", 0)
        case (1, false): ("ebp", 4)
        case (2, false): ("ebp", 0)
        case (3, false): ("ebx", 0)
        default: nil
        }
    }
}
