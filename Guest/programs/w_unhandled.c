/* The unhandled-exception chain: a fault nobody handles reaches the filter the program set
   with SetUnhandledExceptionFilter, which ends the process with its own code. */
#include <stdio.h>
#include <windows.h>

static int *volatile nowhere;

static LONG WINAPI filter(EXCEPTION_POINTERS *pointers) {
    printf("filter: %08lx\n", pointers->ExceptionRecord->ExceptionCode);
    fflush(stdout);
    ExitProcess(77);
}

int main(void) {
    SetUnhandledExceptionFilter(filter);
    printf("faulting\n");
    fflush(stdout);
    *nowhere = 1;
    return 0;
}
