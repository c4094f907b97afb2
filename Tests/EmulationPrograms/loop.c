#define BARE_STUBS
#include "bare.h"

volatile u64 counter;

/* Runs `count` iterations of a tight loop, then exits with the low bits of the sum; count 0
   loops forever. The count is the first 8 bytes at `loop_count` (patched by tests). */
volatile u64 loop_count = 0;

void start(void) {
    u64 count = loop_count;
    u64 sum = 0;
    if (count == 0) {
        for (;;) counter++;
    }
    for (u64 i = 0; i < count; i++) sum += i ^ (sum >> 3);
    counter = sum;
    exit_process((u32)(sum & 0xFF));
}
