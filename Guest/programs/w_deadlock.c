/* A deadlock: two threads take two critical sections in opposite orders and wait for each
   other forever (the executive reports who waits for what). */
#include <stdio.h>
#include <windows.h>

static CRITICAL_SECTION a, b;
static HANDLE bothHoldOne;
static volatile LONG holding;

static DWORD WINAPI other(LPVOID parameter) {
    (void)parameter;
    EnterCriticalSection(&b);
    InterlockedIncrement(&holding);
    while (holding < 2) Sleep(1);
    EnterCriticalSection(&a);
    printf("other got both (not expected)\n");
    return 0;
}

int main(void) {
    InitializeCriticalSection(&a);
    InitializeCriticalSection(&b);
    setvbuf(stdout, NULL, _IONBF, 0);
    HANDLE thread = CreateThread(NULL, 0, other, NULL, 0, NULL);
    EnterCriticalSection(&a);
    InterlockedIncrement(&holding);
    while (holding < 2) Sleep(1);
    printf("both threads hold one lock\n");
    EnterCriticalSection(&b);
    printf("main got both (not expected)\n");
    WaitForSingleObject(thread, INFINITE);
    (void)bothHoldOne;
    return 0;
}
