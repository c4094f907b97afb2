/// Unicorn 2's x86 register ids (`unicorn/x86.h`, `uc_x86_reg`). A test compiles a C program
/// against the installed header and compares.
package enum UnicornRegister: Int32, CaseIterable, Sendable {
    case eflags = 25
    case cs = 11, ds = 17, es = 28, fs = 32, gs = 33, ss = 49
    case fpsw = 31
    case rax = 35, rbp = 36, rbx = 37, rcx = 38, rdi = 39, rdx = 40, rip = 41, rsi = 43, rsp = 44
    case cr0 = 50, cr2 = 52, cr3 = 53, cr4 = 54
    case dr0 = 66, dr1, dr2, dr3, dr4, dr5, dr6, dr7
    case r8 = 106, r9, r10, r11, r12, r13, r14, r15
    case st0 = 114, st1, st2, st3, st4, st5, st6, st7
    case xmm0 = 122, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7, xmm8, xmm9, xmm10, xmm11, xmm12
    case xmm13, xmm14, xmm15
    case idtr = 242, gdtr = 243, ldtr = 244, tr = 245
    case fpcw = 246, fptag = 247, msr = 248, mxcsr = 249
    case fsBase = 250, gsBase = 251
    case fip = 254, fcs = 255, fdp = 256, fds = 257, fop = 258

    /// `xmm0`…`xmm15`.
    package static func xmm(_ index: Int) -> UnicornRegister? {
        UnicornRegister(rawValue: UnicornRegister.xmm0.rawValue + Int32(index))
    }

    /// `st0`…`st7` (x87 registers in stack order, 10 bytes each).
    package static func st(_ index: Int) -> UnicornRegister? {
        UnicornRegister(rawValue: UnicornRegister.st0.rawValue + Int32(index))
    }
}

/// Unicorn's constants the machine uses.
package enum UnicornConstant {
    static let archX86: Int32 = 4
    static let mode64: Int32 = 8
    static let syscallInstruction: Int32 = 699

    /// `uc_hook_type` bits.
    enum Hook {
        static let interrupt: Int32 = 1
        static let code: Int32 = 4
        static let block: Int32 = 8
        static let memoryRead: Int32 = 1024
        static let memoryWrite: Int32 = 2048
        static let memoryUnmapped: Int32 = 16 | 32 | 64
        static let memoryProtection: Int32 = 128 | 256 | 512
        static let invalidInstruction: Int32 = 16384
    }

    /// `uc_ctl` control words (`UC_CTL_WRITE(type, argument count)`).
    enum Control {
        static let useExits: Int32 = 0x4400_0004
        static let exits: Int32 = 0x4800_0006
        static let removeCache: Int32 = 0x4800_0009
        static let flushTranslations: Int32 = 0x4000_000A
    }

    /// `uc_err` values the machine tells apart.
    enum Status {
        static let ok: Int32 = 0
        static let invalidInstruction: Int32 = 10
        static let exception: Int32 = 21
    }
}
