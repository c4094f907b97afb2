#define BARE_STUBS
#include "bare.h"

/* Two workers add to a shared total under a mutex and record which of them ran into a log;
   the main thread waits for both and prints the total and a hash of the log. */
static volatile long total;
static u64 mutex;
static volatile unsigned char schedule[4096];
static volatile u32 position;

static u32 worker(u64 argument) {
    for (int round = 0; round < 200; round++) {
        NtWaitForSingleObject(mutex, 0, 0);
        total += (long)argument;
        NtReleaseMutant(mutex, 0);
        for (volatile int spin = 0; spin < 50; spin++) {}
        u32 at = position;
        if (at < sizeof schedule) {
            schedule[at] = (unsigned char)argument;
            position = at + 1;
        }
    }
    return (u32)argument;
}

void start(void) {
    NtCreateMutant(&mutex, 0x1F0001, 0, 0);
    u64 threads[2];
    NtCreateThreadEx(&threads[0], 0x1FFFFF, 0, CURRENT_PROCESS, (void *)worker, (void *)1, 0, 0, 0, 0, 0);
    NtCreateThreadEx(&threads[1], 0x1FFFFF, 0, CURRENT_PROCESS, (void *)worker, (void *)2, 0, 0, 0, 0, 0);
    NtWaitForMultipleObjects(2, threads, 0, 0, 0);
    u64 hash = 1469598103934665603ull;
    for (u32 i = 0; i < position; i++) hash = (hash ^ schedule[i]) * 1099511628211ull;
    print("total ");
    print_number((u64)total);
    print(" schedule ");
    print_number(hash);
    print("\n");
    exit_process(0);
}
