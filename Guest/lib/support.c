/* What clang-cl-compiled code expects from the static CRT besides start-up: _fltused,
   __chkstk (stack probes for large frames), the /GS security cookie, and the TLS directory
   (_tls_used) that __declspec(thread) variables need. */
#include <stdint.h>

int _fltused = 0x9875;

/* Touches each page between the stack pointer and rsp - rax, top down, so the guard page
   moves as the stack grows; rax and every other register are preserved. */
__attribute__((naked)) void __chkstk(void) {
    __asm__("pushq %rcx\n\t"
            "pushq %rax\n\t"
            "cmpq $0x1000, %rax\n\t"
            "leaq 24(%rsp), %rcx\n\t"
            "jb 2f\n"
            "1:\n\t"
            "subq $0x1000, %rcx\n\t"
            "orq $0, (%rcx)\n\t"
            "subq $0x1000, %rax\n\t"
            "cmpq $0x1000, %rax\n\t"
            "ja 1b\n"
            "2:\n\t"
            "subq %rax, %rcx\n\t"
            "orq $0, (%rcx)\n\t"
            "popq %rax\n\t"
            "popq %rcx\n\t"
            "ret");
}

/* /GS: a per-process cookie checked on return from functions with buffers. */
uintptr_t __security_cookie = 0x00002B992DDFA232ull;
uintptr_t __security_cookie_complement = ~0x00002B992DDFA232ull;

void __cdecl __security_init_cookie(void) {
    /* Vary it per run the way the Microsoft CRT does, from the time stamp counter. */
    uint64_t tsc = __builtin_ia32_rdtsc();
    uintptr_t cookie = (__security_cookie ^ tsc ^ (uintptr_t)&tsc) & 0x0000FFFFFFFFFFFFull;
    if (cookie == 0x00002B992DDFA232ull || !cookie) cookie = 0x00002B992DDFA233ull;
    __security_cookie = cookie;
    __security_cookie_complement = ~cookie;
}

__attribute__((noreturn)) void __cdecl __report_gsfailure(uintptr_t cookie) {
    (void)cookie;
    /* __fastfail(FAST_FAIL_STACK_COOKIE_CHECK_FAILURE) */
    __asm__ volatile("movl $2, %ecx\n\tint $0x29");
    __builtin_unreachable();
}

void __cdecl __security_check_cookie(uintptr_t cookie) {
    if (cookie != __security_cookie) __report_gsfailure(cookie);
}

/* Thread-local storage: the loader lays out each thread's copy of .tls between _tls_start
   and _tls_end and stores the image's index in _tls_index. */
#pragma section(".tls", read, write)
#pragma section(".tls$AAA", read, write)
#pragma section(".tls$ZZZ", read, write)
#pragma section(".CRT$XLA", long, read)
#pragma section(".CRT$XLZ", long, read)
__declspec(allocate(".tls$AAA")) char _tls_start = 0;
__declspec(allocate(".tls$ZZZ")) char _tls_end = 0;
typedef void(__stdcall *PIMAGE_TLS_CALLBACK)(void *, unsigned long, void *);
__declspec(allocate(".CRT$XLA")) PIMAGE_TLS_CALLBACK __xl_a = 0;
__declspec(allocate(".CRT$XLZ")) PIMAGE_TLS_CALLBACK __xl_z = 0;
unsigned long _tls_index = 0;

typedef struct {
    uint64_t StartAddressOfRawData, EndAddressOfRawData, AddressOfIndex, AddressOfCallBacks;
    uint32_t SizeOfZeroFill, Characteristics;
} TLS_DIRECTORY;
const TLS_DIRECTORY _tls_used = {(uint64_t)&_tls_start, (uint64_t)&_tls_end, (uint64_t)&_tls_index,
    (uint64_t)(&__xl_a + 1), 0, 0};
