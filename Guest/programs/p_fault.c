/* Prints some lines, then writes through a NULL pointer: the program ends there with an
   access violation (natively, SIGSEGV). stdout is unbuffered so every line is out first. */
#include <stdio.h>

static int *volatile target; /* NULL, unknown to the optimiser */

static void store(int depth) {
    if (depth) {
        printf("descending %d\n", depth);
        store(depth - 1);
        return;
    }
    printf("writing through NULL\n");
    *target = 1;
    printf("not reached\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("line one\n");
    printf("line two: %d\n", 2);
    store(3);
    return 0;
}
