import Disassembly

/// Source code the cross-check tests compile with clang. Kept as strings so the test target
/// holds only Swift files.
enum Samples {
    /// Ordinary C: loops, a jump-table switch, floating point, 64-bit arithmetic (library calls
    /// on i386), string and memory helpers, globals, recursion and calls out.
    static let c = """
        typedef long long int64_t;
        typedef unsigned int uint32_t;
        typedef struct Node { struct Node *next; int value; double weight; char name[16]; } Node;
        int global_counter;
        static int table[64];
        extern void external_call(int, const char *);
        int sum_list(Node *n) { int s = 0; while (n) { s += n->value; n = n->next; } return s; }
        int classify(int x) {
            switch (x) {
            case 0: return 10; case 1: return 22; case 2: return 37; case 3: return 41;
            case 4: return 59; case 5: return 61; case 6: return 79; case 7: return 83;
            default: return -1;
            }
        }
        double dot(const double *a, const double *b, int n) {
            double s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; return s;
        }
        float scale(float x, int k) { return x * (float)k + 0.25f; }
        int64_t mul64(int64_t a, int64_t b) { return a * b + (a >> 3); }
        long long divide(long long a, long long b) { return a / b; }
        uint32_t hash(const char *s) {
            uint32_t h = 2166136261u;
            while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; }
            return h;
        }
        void fill(int *p, int n, int v) { for (int i = 0; i < n; i++) p[i] = v; }
        int bump(int i) {
            global_counter += 3; table[i & 63] ^= 0x5a5a; return table[(i * 7) & 63];
        }
        void copy_node(Node *dst, const Node *src) {
            __builtin_memcpy(dst->name, src->name, sizeof dst->name); dst->weight = src->weight * 2.0;
        }
        int recurse(int n) { return n <= 1 ? 1 : n * recurse(n - 1) + recurse(n - 2); }
        void caller(int x) {
            if (x > 100) external_call(x, "big");
            else if (x < -100) external_call(-x, "small");
            else external_call(x & 0xff, "other");
        }
        unsigned char byte_ops(unsigned char a, unsigned short b) {
            return (unsigned char)((a << 3) | (b >> 9));
        }
        int big_frame(int x) {
            volatile int buf[300]; buf[x & 255] = x; buf[299] = x * 2;
            return buf[(x + 1) & 255] + buf[299];
        }
        int search(const int *p, int n, int key) {
            int lo = 0, hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) / 2;
                if (p[mid] == key) return mid;
                if (p[mid] < key) lo = mid + 1; else hi = mid - 1;
            }
            return -1;
        }
        """

    /// Hand-picked x64 instructions covering the CDB formatting rules.
    static let x64Assembly = """
        .intel_syntax noprefix
        .text
        .globl forms
        forms:
            push rbp
            mov rbp, rsp
            sub rsp, 0x28
            sub rsp, 0x138
            mov qword ptr [rsp + 0x10], rbx
            mov eax, dword ptr [rbp - 0x10]
            mov rax, qword ptr [rbp - 0x80]
            mov rax, qword ptr [rip + data_label]
            call qword ptr [rip + data_label]
            lea rcx, [rip + data_label]
            mov rax, qword ptr gs:[0x30]
            mov rax, qword ptr gs:[0x60]
            mov eax, dword ptr [0x7ffe0308]
            and rsp, -16
            or eax, -1
            or rax, -1
            add rsp, -128
            push -1
            mov ecx, 0xc0000005
            lea rcx, [rax + 8*rcx + 0x100]
            movzx eax, byte ptr [rcx + rdx]
            movsxd rax, dword ptr [rcx + 4*rdx - 8]
            mov qword ptr [r8 + 8*r9 + 0x7fffffff], r15
            mov r10d, dword ptr [r11]
            mov r10w, word ptr [r12 + 2]
            mov r10b, byte ptr [r13]
            rep stosd
            rep stosq
            rep movsb
            rep movsq
            repne scasb
            repe cmpsb
            lodsb
            stosw
            insb
            outsb
            nop dword ptr [rax + rax]
            nop word ptr [rax + rax]
            nop word ptr cs:[rax + rax]
            movaps xmmword ptr [rsp + 0x30], xmm6
            movaps xmm6, xmmword ptr [rsp + 0x30]
            movsd xmm0, qword ptr [rcx]
            movsd qword ptr [rsp + 8], xmm1
            movss xmm1, dword ptr [rdx + 8]
            movq xmm2, qword ptr [rax]
            movdqu xmm2, xmmword ptr [r8 + 2*r9]
            cvtsi2sd xmm0, qword ptr [rax]
            vmovups ymm0, ymmword ptr [rax]
            vaddps ymm1, ymm2, ymm3
            fld qword ptr [rbp - 8]
            fld tbyte ptr [rcx]
            fstp dword ptr [rsp]
            fxch st(1)
            movabs rax, 0x123456789abcdef
            movabs rax, qword ptr [0x123456789abcdef]
            mov byte ptr [rax], 0xff
            mov word ptr [rax + 2], 0x1234
            cmp dword ptr [rip + data_label], 0x10
            lock cmpxchg qword ptr [rcx], rdx
            lock xadd dword ptr [rcx + 4], eax
            xchg rax, r12
            bt eax, 5
            shl r10d, 3
            sar rax, cl
            imul eax, dword ptr [rsi + 0x80], 0x3c
            cmovne rax, qword ptr [rbx + 0x18]
            setne al
            cqo
            int3
            int 0x29
            int 0x2e
            syscall
            ud2
            jmp rax
            call r11
            call qword ptr [rax + 8]
            jmp qword ptr [8*rax + 0x1000]
            je forms
            jne near_label
            jmp forms
            call forms
        near_label:
            loop near_label
            jrcxz near_label
            ret 8
            ret
            .data
        data_label:
            .quad 0
        """

    /// Hand-picked 32-bit x86 instructions.
    static let x86Assembly = """
        .intel_syntax noprefix
        .text
        .globl forms32
        forms32:
            mov edi, edi
            push ebp
            mov ebp, esp
            sub esp, 0xcc
            and esp, -8
            push ebx
            push esi
            lea edi, [ebp - 0xcc]
            mov ecx, 0x33
            mov eax, 0xcccccccc
            rep stosd
            rep movsd
            repne scasb
            mov eax, dword ptr fs:[0x18]
            mov eax, dword ptr fs:[0]
            mov dword ptr fs:[0], esp
            mov eax, dword ptr [0x401000]
            call dword ptr [0x401000]
            jmp dword ptr [4*ecx + 0x401240]
            mov eax, dword ptr [ebp + 8]
            mov eax, dword ptr [ebp - 8]
            mov eax, dword ptr [ebp - 0x88]
            mov ecx, dword ptr [esp + 0xc]
            mov edx, dword ptr [eax + 4*ecx + 0x10]
            push -1
            push 0x4020d0
            push 0x10
            mov dword ptr [ebp - 4], 0xfffffffe
            fld qword ptr [ebp + 8]
            fstp qword ptr [esp]
            movsd xmm0, qword ptr [eax]
            movzx eax, word ptr [esi]
            cdq
            idiv ecx
            pushal
            popal
            pushfd
            int3
            int 0x2e
            je forms32
            jmp forms32
            call forms32
            ret 0xc
            ret
        """
}

/// Every sample built once per test run; nil when the LLVM tools are missing.
let compiledSamples: Result<[CompiledCode], any Error> = {
    Result {
        [
            try CompiledCode.build(
                name: "C x64 -O2", source: Samples.c, fileExtension: "c",
                triple: "x86_64-linux-gnu", flags: ["-O2"], base: 0x7ff6_1a2b_1000),
            try CompiledCode.build(
                name: "C x64 -O0", source: Samples.c, fileExtension: "c",
                triple: "x86_64-linux-gnu", flags: ["-O0"], base: 0x0000_0001_4000_1000),
            try CompiledCode.build(
                name: "C x64 -O1 -mavx2", source: Samples.c, fileExtension: "c",
                triple: "x86_64-linux-gnu", flags: ["-O1", "-mavx2"], base: 0xffff_f803_5c14_3000),
            try CompiledCode.build(
                name: "C x86 -O2", source: Samples.c, fileExtension: "c",
                triple: "i386-linux-gnu", flags: ["-O2", "-fno-pic"], base: 0x7255_b000),
            try CompiledCode.build(
                name: "C x86 -O0", source: Samples.c, fileExtension: "c",
                triple: "i386-linux-gnu", flags: ["-O0", "-fno-pic"], base: 0x0040_1000),
            try CompiledCode.build(
                name: "asm x64", source: Samples.x64Assembly, fileExtension: "s",
                triple: "x86_64-linux-gnu", flags: [], base: 0x7ffc_0f1d_4000),
            try CompiledCode.build(
                name: "asm x86", source: Samples.x86Assembly, fileExtension: "s",
                triple: "i386-linux-gnu", flags: [], base: 0x77f0_1000),
        ]
    }
}()

/// The C sample built for ARM64 and Thumb-2 (Windows on ARM's instruction sets).
let compiledARMSamples: Result<[CompiledCode], any Error> = {
    Result {
        [
            try CompiledCode.build(
                name: "C arm64 -O2", source: Samples.c, fileExtension: "c",
                triple: "aarch64-linux-gnu", flags: ["-O2"], base: 0x7ffb_7c9c_1000),
            try CompiledCode.build(
                name: "C arm64 -O0", source: Samples.c, fileExtension: "c",
                triple: "aarch64-linux-gnu", flags: ["-O0"], base: 0x0000_0001_4000_1000),
            try CompiledCode.build(
                name: "C thumb -O2", source: Samples.c, fileExtension: "c",
                triple: "armv7-linux-gnueabihf", flags: ["-O2", "-mthumb"], base: 0x77c4_0000),
            try CompiledCode.build(
                name: "C thumb -O0", source: Samples.c, fileExtension: "c",
                triple: "armv7-linux-gnueabihf", flags: ["-O0", "-mthumb"], base: 0x0040_0000),
        ]
    }
}()

extension CompiledCode {
    var architecture: Architecture {
        if name.contains("arm64") { return .arm64 }
        if name.contains("thumb") { return .thumb }
        return name.contains("x86") ? .x86 : .x64
    }
}
