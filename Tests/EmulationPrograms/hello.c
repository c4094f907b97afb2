#define BARE_STUBS
#include "bare.h"

void start(void) {
    print("hello from the machine\n");
    exit_process(42);
}
