/* RtlVirtualUnwind (ntdll/virtualunwind.c) natively over hand-made functions in a memory
   image: pushes, small and large allocations, a frame register, saves of integer and XMM
   registers (near and far), machine frames, chained information, partial prologues and
   recognised epilogues. Each case checks the caller's registers and the establisher frame.
   Exits 1 on any failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winternl.h>

static int failures, checks;
#define EXPECT(condition, ...) \
    do { \
        checks++; \
        if (!(condition)) { \
            failures++; \
            printf("FAIL %s line %d: ", current, __LINE__); \
            printf(__VA_ARGS__); \
            printf("\n"); \
        } \
    } while (0)

static const char *current = "";
static uint8_t *image; /* the image base */
static uint8_t *stack; /* 256 KiB */
#define STACK_SIZE 0x40000
static uint64_t top; /* the entry rsp of the function under test */

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

static void put64(uint64_t address, uint64_t value) { memcpy((void *)address, &value, 8); }

/* An unwind info at rva: header then codes (each a 16-bit slot), then optional tail. */
static void unwindInfo(uint32_t rva, int flags, int prolog, int frameRegister, int frameOffset,
    const uint16_t *codes, int count, const uint32_t *tail, int tailCount) {
    uint8_t *p = image + rva;
    p[0] = (uint8_t)(1 | (flags << 3));
    p[1] = (uint8_t)prolog;
    p[2] = (uint8_t)count;
    p[3] = (uint8_t)(frameRegister | (frameOffset << 4));
    memcpy(p + 4, codes, (size_t)count * 2);
    uint8_t *after = p + 4 + ((count + 1) & ~1) * 2;
    if (tail) memcpy(after, tail, (size_t)tailCount * 4);
}

#define CODE(offset, op, info) ((uint16_t)((offset) | ((op) << 8) | ((info) << 12)))

static void function(RUNTIME_FUNCTION *f, uint32_t begin, uint32_t end, uint32_t info) {
    f->BeginAddress = begin;
    f->EndAddress = end;
    f->UnwindData = info;
}

static CONTEXT context;
static uint64_t establisher;
static PVOID handlerData;

static PEXCEPTION_ROUTINE unwind(RUNTIME_FUNCTION *f, uint32_t pcRva, DWORD handlerType) {
    return RtlVirtualUnwind(handlerType, (DWORD64)image, (DWORD64)image + pcRva, f, &context, &handlerData,
        &establisher, NULL);
}

static uint64_t *reg(int r) { return &context.Rax + r; }

int main(void) {
    image = aligned_alloc(0x10000, 0x10000);
    stack = aligned_alloc(0x10000, STACK_SIZE);
    memset(image, 0xCC, 0x10000);
    memset(stack, 0, STACK_SIZE);
    top = (uint64_t)stack + STACK_SIZE - 0x100;

    /* ---- 1: push rbp; push rbx; sub rsp,28h; lea rbp,[rsp+20h]; body; epilogue ---- */
    current = "frame register";
    static const uint8_t code1[] = {0x55, 0x53, 0x48, 0x83, 0xEC, 0x28, 0x48, 0x8D, 0x6C, 0x24, 0x20, /* prolog */
        0x90, 0x90, 0x90, 0x90,                                                                   /* body 11..14 */
        0x48, 0x8D, 0x65, 0x08, /* 15: lea rsp,[rbp+8] */
        0x5B, 0x5D, 0xC3};      /* 19: pop rbx; 20: pop rbp; 21: ret */
    memcpy(image + 0x1000, code1, sizeof(code1));
    uint16_t codes1[] = {CODE(11, 3, 0), CODE(6, 2, 4), CODE(2, 0, RBX), CODE(1, 0, RBP)};
    unwindInfo(0x8000, 0, 11, RBP, 2, codes1, 4, NULL, 0);
    RUNTIME_FUNCTION f1;
    function(&f1, 0x1000, 0x1000 + sizeof(code1), 0x8000);
    uint64_t ret = 0x11112222, oldRbp = 0xB0B0, oldRbx = 0xB1B1;
    put64(top, ret);
    put64(top - 8, oldRbp);
    put64(top - 16, oldRbx);
    /* in the body */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 56;
    context.Rbp = top - 24;
    context.Rbx = 0xDEAD;
    unwind(&f1, 0x1000 + 12, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret, "rip %llx", (unsigned long long)context.Rip);
    EXPECT(context.Rsp == top + 8, "rsp");
    EXPECT(context.Rbp == oldRbp && context.Rbx == oldRbx, "rbp %llx rbx %llx", (unsigned long long)context.Rbp,
        (unsigned long long)context.Rbx);
    EXPECT(establisher == top - 56, "establisher %llx", (unsigned long long)(top - establisher));
    /* in the prologue, after push rbp only */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 8;
    context.Rbp = 0x1234;
    unwind(&f1, 0x1000 + 1, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rbp == oldRbp, "partial prologue");
    EXPECT(establisher == top - 8, "establisher before the frame register is set");
    /* in the prologue after sub rsp (frame register not yet set) */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 56;
    unwind(&f1, 0x1000 + 6, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rbx == oldRbx, "prologue after sub");
    /* in the epilogue at the lea */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 56;
    context.Rbp = top - 24;
    unwind(&f1, 0x1000 + 15, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rbp == oldRbp && context.Rbx == oldRbx,
        "epilogue at lea: rip %llx rsp %llx", (unsigned long long)context.Rip, (unsigned long long)(top - context.Rsp));
    /* at pop rbp */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 8;
    context.Rbx = oldRbx;
    unwind(&f1, 0x1000 + 20, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rbp == oldRbp, "epilogue at pop rbp");
    /* at ret */
    memset(&context, 0, sizeof(context));
    context.Rsp = top;
    unwind(&f1, 0x1000 + 21, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8, "epilogue at ret");

    /* ---- 2: large allocations, saves of rsi/rdi/xmm6/xmm7 (near and far) ---- */
    current = "large frame";
    memset(image + 0x1100, 0x90, 0x40);
    image[0x1100 + 0x3F] = 0xC3;
    uint16_t codes2[] = {CODE(20, 9, 7), 0x0000, 0x0001, /* save xmm7 far at 0x10000 */
        CODE(16, 8, 6), 4,                                /* save xmm6 at 4*16 */
        CODE(12, 5, RDI), 0x0010, 0x0001,                 /* save rdi far at 0x10010 */
        CODE(8, 4, RSI), 6,                               /* save rsi at 6*8 */
        CODE(7, 1, 1), 0x0010, 0x0002};                   /* alloc large 0x20010 */
    unwindInfo(0x8100, 0, 24, 0, 0, codes2, 13, NULL, 0);
    RUNTIME_FUNCTION f2;
    function(&f2, 0x1100, 0x1140, 0x8100);
    uint64_t rsp2 = top - 0x20010;
    put64(top, ret);
    put64(rsp2 + 0x30, 0x5151);
    put64(rsp2 + 0x10010, 0xD1D1);
    uint8_t xmm6[16], xmm7[16];
    for (int i = 0; i < 16; i++) xmm6[i] = (uint8_t)(0x60 + i), xmm7[i] = (uint8_t)(0x70 + i);
    memcpy((void *)(rsp2 + 0x40), xmm6, 16);
    memcpy((void *)(rsp2 + 0x10000), xmm7, 16);
    memset(&context, 0, sizeof(context));
    context.Rsp = rsp2;
    unwind(&f2, 0x1100 + 30, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8, "rip/rsp");
    EXPECT(context.Rsi == 0x5151 && context.Rdi == 0xD1D1, "rsi %llx rdi %llx", (unsigned long long)context.Rsi,
        (unsigned long long)context.Rdi);
    EXPECT(!memcmp(&context.Xmm6, xmm6, 16) && !memcmp(&context.Xmm7, xmm7, 16), "xmm6/xmm7");
    EXPECT(establisher == rsp2, "establisher");
    /* small allocations: alloc small with the largest info (0x80) and large with info 0 */
    current = "allocations";
    uint16_t codes3[] = {CODE(8, 2, 15), CODE(4, 1, 0), 0x0041}; /* 0x80, then 0x41*8 = 0x208 */
    unwindInfo(0x8200, 0, 8, 0, 0, codes3, 3, NULL, 0);
    RUNTIME_FUNCTION f3;
    memset(image + 0x1200, 0x90, 0x20);
    function(&f3, 0x1200, 0x1220, 0x8200);
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 0x80 - 0x208;
    unwind(&f3, 0x1200 + 10, UNW_FLAG_NHANDLER);
    EXPECT(context.Rsp == top + 8 && context.Rip == ret, "rsp %llx", (unsigned long long)(top - context.Rsp));

    /* ---- 3: chained information: the fragment applies its parent's codes fully ---- */
    current = "chained";
    RUNTIME_FUNCTION parent;
    function(&parent, 0x1300, 0x1310, 0x8300);
    uint16_t codes4[] = {CODE(2, 0, RDI), CODE(1, 0, RSI)};
    unwindInfo(0x8300, 0, 2, 0, 0, codes4, 2, NULL, 0);
    uint32_t chain[3] = {parent.BeginAddress, parent.EndAddress, parent.UnwindData};
    uint16_t codes5[] = {CODE(4, 2, 1)}; /* fragment: sub rsp, 16 */
    unwindInfo(0x8340, UNW_FLAG_CHAININFO, 4, 0, 0, codes5, 1, chain, 3);
    RUNTIME_FUNCTION fragment;
    memset(image + 0x1400, 0x90, 0x20);
    function(&fragment, 0x1400, 0x1420, 0x8340);
    put64(top, ret);
    put64(top - 8, 0x5E5E);  /* rsi */
    put64(top - 16, 0xD0D0); /* rdi */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 16 - 16;
    unwind(&fragment, 0x1400 + 8, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rsi == 0x5E5E && context.Rdi == 0xD0D0,
        "chained: rsp %llx rsi %llx", (unsigned long long)(top - context.Rsp), (unsigned long long)context.Rsi);
    /* an entry that points at its primary (UnwindData with bit 0) */
    RUNTIME_FUNCTION indirect;
    memcpy(image + 0x8380, &fragment, sizeof(fragment));
    function(&indirect, 0x1400, 0x1420, 0x8380 | 1);
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 32;
    unwind(&indirect, 0x1400 + 8, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsi == 0x5E5E, "indirect entry");

    /* ---- 4: a machine frame above an allocation (KiUserExceptionDispatcher's shape) ---- */
    current = "machine frame";
    uint16_t codes6[] = {CODE(0, 1, 0), 0x570 / 8, CODE(0, 10, 0)};
    unwindInfo(0x8400, 0, 0, 0, 0, codes6, 3, NULL, 0);
    RUNTIME_FUNCTION f6;
    memset(image + 0x1500, 0x90, 0x20);
    function(&f6, 0x1500, 0x1520, 0x8400);
    uint64_t base6 = top - 0x1000;
    put64(base6 + 0x570, 0xFA017);         /* rip */
    put64(base6 + 0x578, 0x33);            /* cs */
    put64(base6 + 0x580, 0x246);           /* eflags */
    put64(base6 + 0x588, top - 0x40);      /* rsp */
    put64(base6 + 0x590, 0x2B);            /* ss */
    memset(&context, 0, sizeof(context));
    context.Rsp = base6;
    unwind(&f6, 0x1500 + 5, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == 0xFA017 && context.Rsp == top - 0x40 && context.EFlags == 0x246, "rip %llx rsp %llx",
        (unsigned long long)context.Rip, (unsigned long long)context.Rsp);
    /* with an error code */
    uint16_t codes7[] = {CODE(0, 10, 1)};
    unwindInfo(0x8440, 0, 0, 0, 0, codes7, 1, NULL, 0);
    RUNTIME_FUNCTION f7;
    function(&f7, 0x1500, 0x1520, 0x8440);
    put64(base6 + 8, 0xE1);
    put64(base6 + 0x20, top - 0x80);
    memset(&context, 0, sizeof(context));
    context.Rsp = base6 - 0; /* error code at rsp, frame above it */
    put64(base6, 0xEC);
    put64(base6 + 8, 0xABC);
    put64(base6 + 32, top - 0x80);
    unwind(&f7, 0x1500 + 5, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == 0xABC && context.Rsp == top - 0x80, "with error code: rip %llx",
        (unsigned long long)context.Rip);

    /* ---- 5: the language handler, and none inside the prologue ---- */
    current = "handler";
    uint16_t codes8[] = {CODE(4, 2, 3)};
    uint32_t handlerTail[2] = {0x1700, 0xABCD1234};
    unwindInfo(0x8500, UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER, 4, 0, 0, codes8, 1, handlerTail, 2);
    RUNTIME_FUNCTION f8;
    memset(image + 0x1600, 0x90, 0x20);
    function(&f8, 0x1600, 0x1620, 0x8500);
    put64(top, ret);
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 32;
    PEXCEPTION_ROUTINE handler = unwind(&f8, 0x1600 + 8, UNW_FLAG_EHANDLER);
    EXPECT((uint8_t *)handler == image + 0x1700, "handler %p", (void *)handler);
    EXPECT(handlerData && *(uint32_t *)handlerData == 0xABCD1234, "handler data");
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 32;
    handler = unwind(&f8, 0x1600 + 8, UNW_FLAG_NHANDLER);
    EXPECT(!handler, "no handler asked for");
    memset(&context, 0, sizeof(context));
    context.Rsp = top;
    handler = unwind(&f8, 0x1600 + 2, UNW_FLAG_EHANDLER);
    EXPECT(!handler && context.Rip == ret, "none in the prologue");

    /* ---- 6: epilogues that end in a jump ---- */
    current = "tail calls";
    /* add rsp,28h; pop rsi; jmp outside (E9) */
    static const uint8_t code9[] = {0x56, 0x48, 0x83, 0xEC, 0x28, 0x90, 0x48, 0x83, 0xC4, 0x28, 0x5E, 0xE9, 0x00, 0x01,
        0x00, 0x00};
    memcpy(image + 0x1800, code9, sizeof(code9));
    uint16_t codes9[] = {CODE(5, 2, 4), CODE(1, 0, RSI)};
    unwindInfo(0x8600, 0, 5, 0, 0, codes9, 2, NULL, 0);
    RUNTIME_FUNCTION f9;
    function(&f9, 0x1800, 0x1800 + sizeof(code9), 0x8600);
    put64(top, ret);
    put64(top - 8, 0x5151);
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 48;
    unwind(&f9, 0x1800 + 6, UNW_FLAG_NHANDLER); /* at the add */
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rsi == 0x5151, "jmp out of the function");
    /* the same with a jump back into the function: not an epilogue, the codes apply */
    image[0x1800 + 12] = 0xF0;
    image[0x1800 + 13] = 0xFF;
    image[0x1800 + 14] = 0xFF;
    image[0x1800 + 15] = 0xFF; /* E9 -16: into the function */
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 48;
    context.Rsi = 0x7777;
    unwind(&f9, 0x1800 + 6, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.Rsp == top + 8 && context.Rsi == 0x5151, "jmp inside: unwound by codes");
    /* a rep ret and a REX-prefixed pop */
    static const uint8_t code10[] = {0x41, 0x54, 0x90, 0x41, 0x5C, 0xF3, 0xC3};
    memcpy(image + 0x1900, code10, sizeof(code10));
    uint16_t codes10[] = {CODE(2, 0, R12)};
    unwindInfo(0x8700, 0, 2, 0, 0, codes10, 1, NULL, 0);
    RUNTIME_FUNCTION f10;
    function(&f10, 0x1900, 0x1900 + sizeof(code10), 0x8700);
    put64(top - 8, 0x1212);
    memset(&context, 0, sizeof(context));
    context.Rsp = top - 8;
    unwind(&f10, 0x1900 + 3, UNW_FLAG_NHANDLER);
    EXPECT(context.Rip == ret && context.R12 == 0x1212 && context.Rsp == top + 8, "pop r12; rep ret");
    printf("%d checks, %d failures\n", checks, failures);
    (void)reg;
    return failures != 0;
}
