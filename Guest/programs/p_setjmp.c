/* setjmp/longjmp: jumps out of nested calls, values carried back, a jump per loop turn, a
   jump buffer reused. Portable C: the output is the same natively and on the guest. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf top;
static int depthReached;

static void descend(int depth, int limit) {
    volatile char pad[64];
    pad[0] = (char)depth;
    depthReached = depth + pad[0] - depth;
    if (depth == limit) longjmp(top, depth * 10);
    descend(depth + 1, limit);
    printf("never printed %d\n", depth);
}

static int attempt(int limit) {
    int value = setjmp(top);
    if (value == 0) {
        descend(0, limit);
        return -1;
    }
    return value;
}

static jmp_buf loop;

int main(void) {
    for (int limit = 1; limit <= 5; limit++) {
        int result = attempt(limit);
        printf("limit %d -> %d (depth %d)\n", limit, result, depthReached);
    }
    volatile int turns = 0;
    int value = setjmp(loop);
    printf("setjmp returned %d, turns %d\n", value, turns);
    if (turns < 4) {
        turns++;
        longjmp(loop, turns == 3 ? 0 : turns);
    }
    /* longjmp with 0 makes setjmp return 1 */
    printf("done after %d turns\n", turns);
    return 0;
}
