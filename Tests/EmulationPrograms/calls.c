#define BARE_STUBS
#include "bare.h"

volatile u64 total;
volatile u64 watched;
volatile u64 scale = 1;

__declspec(noinline) u64 tick(u64 value) {
    total += value * scale;
    return total;
}

void start(void) {
    for (u64 i = 1; i <= 10; i++) tick(i);
    watched = total;
    u64 copy = watched;
    exit_process((u32)(copy & 0xFF));
}
