#define BARE_STUBS
#include "bare.h"

void start(void) {
    print("before\n");
    __asm__ volatile("int3");
    print("after\n");
    exit_process(5);
}
