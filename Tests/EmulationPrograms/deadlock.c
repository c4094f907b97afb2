#define BARE_STUBS
#include "bare.h"

/* The main thread waits for an event nobody sets; a worker waits on a "critical section" owned
   by the main thread: every thread waits forever. */
static u64 event;
static volatile u64 section[5];

static u32 worker(u64 argument) {
    NtWaitForAlertByThreadId((void *)section, 0);
    return 0;
}

void start(void) {
    section[2] = *(volatile u64 *)(teb() + 0x48);
    NtCreateEvent(&event, 0x1F0003, 0, 0, 0);
    u64 thread;
    NtCreateThreadEx(&thread, 0x1FFFFF, 0, CURRENT_PROCESS, (void *)worker, 0, 0, 0, 0, 0, 0);
    NtWaitForSingleObject(event, 0, 0);
    exit_process(0);
}
