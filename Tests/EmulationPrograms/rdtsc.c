#define BARE_STUBS
#include "bare.h"

static inline u64 tsc(void) {
    u32 low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return (u64)high << 32 | low;
}

void start(void) {
    u64 first = tsc();
    for (volatile int i = 0; i < 1000; i++) {}
    u64 second = tsc();
    exit_process(second > first && second - first < 100000 ? 0 : 1);
}
