/* Exit codes and atexit: handlers run in reverse order, output is flushed, exit() from a
   nested call ends the program with its code. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit first (runs last)\n"); }
static void second(void) { printf("atexit second\n"); }
static void third(void) { printf("atexit third (runs first)\n"); }

static void leave(int depth) {
    if (!depth) {
        printf("leaving with 42\n");
        exit(42);
    }
    leave(depth - 1);
}

int main(void) {
    atexit(first);
    atexit(second);
    atexit(third);
    printf("buffered text without a newline...");
    leave(5);
    printf("not reached\n");
    return 1;
}
