#define BARE_STUBS
#include "bare.h"

/* Sleeps 10 seconds of guest time; the clock jumps while nothing runs. */
void start(void) {
    s64 before, after;
    NtQuerySystemTime(&before);
    s64 interval = -100000000ll;
    NtDelayExecution(0, &interval);
    NtQuerySystemTime(&after);
    s64 elapsed = after - before;
    exit_process(elapsed >= 100000000ll && elapsed < 100100000ll ? 0 : 1);
}
