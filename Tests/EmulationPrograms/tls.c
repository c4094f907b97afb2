#define BARE_STUBS
#include "bare.h"

/* Static TLS without a C runtime: the directory the CRT's tlssup.c would provide. */
unsigned int _tls_index = 0;
#pragma section(".tls", read, write)
#pragma section(".tls$ZZZ", read, write)
__declspec(allocate(".tls")) char _tls_start = 0;
__declspec(allocate(".tls$ZZZ")) char _tls_end = 0;
#pragma section(".CRT$XLA", read)
#pragma section(".CRT$XLZ", read)
__declspec(allocate(".CRT$XLA")) void *__xl_a = 0;
__declspec(allocate(".CRT$XLZ")) void *__xl_z = 0;
typedef struct {
    u64 start, end, index, callbacks;
    u32 zeroFill, characteristics;
} TLS_DIRECTORY;
#pragma section(".rdata$T", read)
__declspec(allocate(".rdata$T")) const TLS_DIRECTORY _tls_used = {
    (u64)&_tls_start, (u64)&_tls_end, (u64)&_tls_index, (u64)(&__xl_a + 1), 0, 0};

__declspec(thread) int counter = 40;
__declspec(thread) int zeroed;

static u32 worker(u64 argument) {
    counter += 10;
    zeroed += 1;
    return (u32)(counter + zeroed);
}

void start(void) {
    counter += 2;
    u64 thread;
    NtCreateThreadEx(&thread, 0x1FFFFF, 0, CURRENT_PROCESS, (void *)worker, 0, 0, 0, 0, 0, 0);
    NtWaitForSingleObject(thread, 0, 0);
    print(counter == 42 ? "ok main copy\n" : "FAIL main copy\n");
    print(zeroed == 0 ? "ok zero fill\n" : "FAIL zero fill\n");
    exit_process((u32)counter);
}
