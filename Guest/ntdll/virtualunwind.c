/* RtlVirtualUnwind: one frame of x64 unwinding from a function's unwind information, with
   every unwind code, chained information and epilogue detection, as Windows does it. Pure C
   over memory (no system calls): also compiled natively for tests. */
#include <winternl.h>

typedef union _UNWIND_CODE {
    struct {
        UCHAR CodeOffset;
        UCHAR UnwindOp : 4;
        UCHAR OpInfo : 4;
    };
    USHORT FrameOffset;
} UNWIND_CODE, *PUNWIND_CODE;

typedef struct _UNWIND_INFO {
    UCHAR Version : 3;
    UCHAR Flags : 5;
    UCHAR SizeOfProlog;
    UCHAR CountOfCodes;
    UCHAR FrameRegister : 4;
    UCHAR FrameOffset : 4;
    UNWIND_CODE UnwindCode[1];
} UNWIND_INFO, *PUNWIND_INFO;

enum {
    UWOP_PUSH_NONVOL = 0,
    UWOP_ALLOC_LARGE = 1,
    UWOP_ALLOC_SMALL = 2,
    UWOP_SET_FPREG = 3,
    UWOP_SAVE_NONVOL = 4,
    UWOP_SAVE_NONVOL_FAR = 5,
    UWOP_EPILOG = 6,
    UWOP_SPARE_CODE = 7,
    UWOP_SAVE_XMM128 = 8,
    UWOP_SAVE_XMM128_FAR = 9,
    UWOP_PUSH_MACHFRAME = 10,
};

/* ---- Virtual unwind ---- */

static PDWORD64 Register(PCONTEXT c, ULONG number) { return &c->Rax + number; }

static void Restore(PCONTEXT c, ULONG number, PDWORD64 address, PKNONVOLATILE_CONTEXT_POINTERS p) {
    *Register(c, number) = *address;
    if (p) p->IntegerContext[number] = address;
}

static void RestoreXmm(PCONTEXT c, ULONG number, PM128A address, PKNONVOLATILE_CONTEXT_POINTERS p) {
    (&c->Xmm0)[number] = *address;
    if (p) p->FloatingContext[number] = address;
}

static ULONG CodeSlots(UNWIND_CODE code) {
    switch (code.UnwindOp) {
    case UWOP_ALLOC_LARGE: return code.OpInfo ? 3 : 2;
    case UWOP_SAVE_NONVOL:
    case UWOP_SAVE_XMM128:
    case UWOP_EPILOG: return 2;
    case UWOP_SAVE_NONVOL_FAR:
    case UWOP_SAVE_XMM128_FAR:
    case UWOP_SPARE_CODE: return 3;
    default: return 1;
    }
}

/* If pc is in an epilogue of the function, emulates the rest of it on the context and
   returns TRUE. Recognised as Windows does: an optional `add rsp, imm` or
   `lea rsp, [frame-register + disp]`, then pops of non-volatile registers, then `ret`,
   `rep ret` or a `jmp` out of the function. */
static BOOLEAN UnwindEpilog(DWORD64 base, DWORD64 pc, PRUNTIME_FUNCTION fe, PUNWIND_INFO info,
    PCONTEXT c, PKNONVOLATILE_CONTEXT_POINTERS pointers) {
    const UCHAR *p = (const UCHAR *)pc;
    DWORD64 rsp = c->Rsp;
    /* Pass 1: recognise. */
    const UCHAR *q = p;
    LONG64 adjust = 0;
    int kind = 0; /* 1 add rsp, 2 lea rsp */
    if ((q[0] & 0xF8) == 0x48 && q[1] == 0x83 && q[2] == 0xC4) {
        adjust = (signed char)q[3], kind = 1, q += 4;
    } else if ((q[0] & 0xF8) == 0x48 && q[1] == 0x81 && q[2] == 0xC4) {
        adjust = *(const LONG *)(q + 3), kind = 1, q += 7;
    } else if ((q[0] & 0xFE) == 0x48 && q[1] == 0x8D) {
        ULONG modrm = q[2], reg = (modrm >> 3) & 7, rm = (modrm & 7) | ((q[0] & 1) << 3);
        ULONG mod = modrm >> 6;
        if (reg != 4 || rm != info->FrameRegister || !info->FrameRegister || (rm & 7) == 4) return FALSE;
        if (mod == 1) adjust = (signed char)q[3], q += 4;
        else if (mod == 2) adjust = *(const LONG *)(q + 3), q += 7;
        else return FALSE;
        kind = 2;
    }
    const UCHAR *pops = q;
    for (;;) {
        if ((q[0] & 0xF8) == 0x58) q += 1;
        else if ((q[0] & 0xF0) == 0x40 && (q[1] & 0xF8) == 0x58) q += 2;
        else break;
    }
    DWORD64 begin = base + fe->BeginAddress, end = base + fe->EndAddress;
    BOOLEAN epilog = FALSE;
    if (q[0] == 0xC3 || (q[0] == 0xF3 && q[1] == 0xC3)) {
        epilog = TRUE;
    } else if (q[0] == 0xE9 || q[0] == 0xEB) {
        DWORD64 target = q[0] == 0xE9 ? (DWORD64)(q + 5) + (LONG64) * (const LONG *)(q + 1)
                                      : (DWORD64)(q + 2) + (LONG64)(signed char)q[1];
        epilog = target < begin || target >= end;
    } else if (q[0] == 0xFF && q[1] == 0x25) {
        epilog = TRUE;
    } else if ((q[0] & 0xF8) == 0x48 && q[1] == 0xFF && (q[2] & 0x38) == 0x20) {
        epilog = TRUE;
    }
    if (!epilog) return FALSE;
    /* Pass 2: emulate. */
    if (kind == 1) rsp += (DWORD64)adjust;
    else if (kind == 2) rsp = *Register(c, info->FrameRegister) + (DWORD64)adjust;
    for (q = pops;;) {
        ULONG reg;
        if ((q[0] & 0xF8) == 0x58) reg = q[0] & 7, q += 1;
        else if ((q[0] & 0xF0) == 0x40 && (q[1] & 0xF8) == 0x58) reg = (q[1] & 7) + ((q[0] & 1) << 3), q += 2;
        else break;
        Restore(c, reg, (PDWORD64)rsp, pointers);
        rsp += 8;
    }
    c->Rip = *(PDWORD64)rsp;
    c->Rsp = rsp + 8;
    return TRUE;
}

static PUNWIND_INFO Info(DWORD64 base, PRUNTIME_FUNCTION fe) {
    return (PUNWIND_INFO)(base + fe->UnwindData);
}

PEXCEPTION_ROUTINE NTAPI RtlVirtualUnwind(DWORD handlerType, DWORD64 base, DWORD64 pc,
    PRUNTIME_FUNCTION fe, PCONTEXT c, PVOID *handlerData, PDWORD64 establisherFrame,
    PKNONVOLATILE_CONTEXT_POINTERS pointers) {
    /* An entry whose unwind data has bit 0 set points at the primary entry it shares. */
    for (int hops = 0; (fe->UnwindData & 1) && hops < 32; hops++)
        fe = (PRUNTIME_FUNCTION)(base + (fe->UnwindData & ~1u));
    PUNWIND_INFO info = Info(base, fe);
    DWORD64 offset = pc - (base + fe->BeginAddress);
    *handlerData = NULL;

    /* The establisher frame: rsp, or the frame register once the prologue has set it. */
    if (!info->FrameRegister) {
        *establisherFrame = c->Rsp;
    } else if (offset >= info->SizeOfProlog || (info->Flags & UNW_FLAG_CHAININFO)) {
        *establisherFrame = *Register(c, info->FrameRegister) - info->FrameOffset * 16u;
    } else {
        ULONG i = 0;
        while (i < info->CountOfCodes && info->UnwindCode[i].UnwindOp != UWOP_SET_FPREG)
            i += CodeSlots(info->UnwindCode[i]);
        if (i < info->CountOfCodes && offset >= info->UnwindCode[i].CodeOffset)
            *establisherFrame = *Register(c, info->FrameRegister) - info->FrameOffset * 16u;
        else
            *establisherFrame = c->Rsp;
    }

    /* In an epilogue: the function has already undone its prologue partly. */
    if (offset >= info->SizeOfProlog && UnwindEpilog(base, pc, fe, info, c, pointers)) return NULL;

    BOOLEAN machineFrame = FALSE;
    BOOLEAN primary = TRUE;
    PUNWIND_INFO handlerInfo = info;
    for (int chain = 0; chain < 32; chain++) {
        for (ULONG i = 0; i < info->CountOfCodes;) {
            UNWIND_CODE code = info->UnwindCode[i];
            ULONG slots = CodeSlots(code);
            if (primary && offset < code.CodeOffset && code.UnwindOp != UWOP_EPILOG) {
                i += slots; /* not executed yet */
                continue;
            }
            switch (code.UnwindOp) {
            case UWOP_PUSH_NONVOL:
                Restore(c, code.OpInfo, (PDWORD64)c->Rsp, pointers);
                c->Rsp += 8;
                break;
            case UWOP_ALLOC_LARGE:
                if (code.OpInfo)
                    c->Rsp += info->UnwindCode[i + 1].FrameOffset |
                              ((DWORD64)info->UnwindCode[i + 2].FrameOffset << 16);
                else
                    c->Rsp += info->UnwindCode[i + 1].FrameOffset * 8u;
                break;
            case UWOP_ALLOC_SMALL: c->Rsp += code.OpInfo * 8u + 8; break;
            case UWOP_SET_FPREG:
                c->Rsp = *Register(c, info->FrameRegister) - info->FrameOffset * 16u;
                break;
            case UWOP_SAVE_NONVOL:
                Restore(c, code.OpInfo,
                    (PDWORD64)(*establisherFrame + info->UnwindCode[i + 1].FrameOffset * 8u), pointers);
                break;
            case UWOP_SAVE_NONVOL_FAR:
                Restore(c, code.OpInfo,
                    (PDWORD64)(*establisherFrame + (info->UnwindCode[i + 1].FrameOffset |
                                                      ((DWORD64)info->UnwindCode[i + 2].FrameOffset << 16))),
                    pointers);
                break;
            case UWOP_SAVE_XMM128:
                RestoreXmm(c, code.OpInfo,
                    (PM128A)(*establisherFrame + info->UnwindCode[i + 1].FrameOffset * 16u), pointers);
                break;
            case UWOP_SAVE_XMM128_FAR:
                RestoreXmm(c, code.OpInfo,
                    (PM128A)(*establisherFrame + (info->UnwindCode[i + 1].FrameOffset |
                                                     ((DWORD64)info->UnwindCode[i + 2].FrameOffset << 16))),
                    pointers);
                break;
            case UWOP_PUSH_MACHFRAME: {
                DWORD64 rsp = c->Rsp + (code.OpInfo ? 8 : 0);
                c->Rip = *(PDWORD64)rsp;
                c->SegCs = (WORD) * (PDWORD64)(rsp + 8);
                c->EFlags = (DWORD) * (PDWORD64)(rsp + 16);
                c->SegSs = (WORD) * (PDWORD64)(rsp + 32);
                c->Rsp = *(PDWORD64)(rsp + 24);
                machineFrame = TRUE;
                break;
            }
            default: break; /* UWOP_EPILOG and spare codes describe nothing to undo */
            }
            i += slots;
        }
        if (!(info->Flags & UNW_FLAG_CHAININFO)) break;
        /* Chained: the parent's codes all apply (its prologue has run). */
        PRUNTIME_FUNCTION parent =
            (PRUNTIME_FUNCTION)&info->UnwindCode[(info->CountOfCodes + 1) & ~1];
        info = Info(base, parent);
        primary = FALSE;
    }
    if (!machineFrame) {
        c->Rip = *(PDWORD64)c->Rsp;
        c->Rsp += 8;
    }
    /* The language handler, unless the prologue has not finished. */
    if ((handlerInfo->Flags & handlerType & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER)) &&
        offset >= handlerInfo->SizeOfProlog) {
        PULONG handler = (PULONG)&handlerInfo->UnwindCode[(handlerInfo->CountOfCodes + 1) & ~1];
        *handlerData = handler + 1;
        return (PEXCEPTION_ROUTINE)(base + *handler);
    }
    return NULL;
}

