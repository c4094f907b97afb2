#define BARE_STUBS
#include "bare.h"

void start(void) {
    print("before the fault\n");
    *(volatile int *)0x10 = 1;
    print("not reached\n");
    exit_process(0);
}
