#define BARE_STUBS
#include "bare.h"

static volatile int zero = 0;

void start(void) {
    volatile int value = 7 / zero;
    exit_process((u32)value);
}
