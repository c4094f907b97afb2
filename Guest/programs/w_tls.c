/* Thread-local storage: TlsAlloc slots per thread, a freed slot read as NULL, many slots
   (past the 64 in the TEB). */
#include <stdio.h>
#include <windows.h>

static DWORD slot;
static volatile LONG sum;

static DWORD WINAPI worker(LPVOID parameter) {
    INT_PTR id = (INT_PTR)parameter;
    printf("thread %d sees %p before\n", (int)id, TlsGetValue(slot));
    TlsSetValue(slot, (LPVOID)(id * 10));
    Sleep(10);
    InterlockedExchangeAdd(&sum, (LONG)(INT_PTR)TlsGetValue(slot));
    return 0;
}

int main(void) {
    slot = TlsAlloc();
    TlsSetValue(slot, (LPVOID)1);
    HANDLE threads[3];
    for (int i = 0; i < 3; i++) threads[i] = CreateThread(NULL, 0, worker, (LPVOID)(INT_PTR)(i + 1), 0, NULL);
    WaitForMultipleObjects(3, threads, TRUE, INFINITE);
    printf("sum %ld, main still has %d\n", sum, (int)(INT_PTR)TlsGetValue(slot));
    DWORD many[80];
    int got = 0;
    for (int i = 0; i < 80; i++)
        if ((many[i] = TlsAlloc()) != TLS_OUT_OF_INDEXES) got++;
    TlsSetValue(many[79], (LPVOID)0x79);
    printf("allocated %d more slots, last holds %x\n", got, (unsigned)(INT_PTR)TlsGetValue(many[79]));
    for (int i = 0; i < 80; i++) TlsFree(many[i]);
    TlsFree(slot);
    DWORD again = TlsAlloc();
    printf("a reused slot reads %p\n", TlsGetValue(again));
    return 0;
}
