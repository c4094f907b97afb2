/* Threads with a critical section, events and waits: four workers add to a shared total
   under a lock; the main thread waits for all; an auto-reset event hands a token around;
   a semaphore and a mutex count. Results follow from the logic alone. */
#include <stdio.h>
#include <windows.h>

#define WORKERS 4
#define ROUNDS 500

static CRITICAL_SECTION lock;
static volatile long total;
static HANDLE token, done;
static volatile long order[WORKERS * 3];
static volatile long orderCount;

static DWORD WINAPI worker(LPVOID parameter) {
    int id = (int)(INT_PTR)parameter;
    for (int i = 0; i < ROUNDS; i++) {
        EnterCriticalSection(&lock);
        long t = total;
        if (i % 47 == 0) SwitchToThread();
        total = t + id + 1;
        LeaveCriticalSection(&lock);
    }
    for (int turn = 0; turn < 3; turn++) {
        WaitForSingleObject(token, INFINITE);
        order[orderCount++] = id;
        SetEvent(token);
    }
    return (DWORD)(id * 100);
}

int main(void) {
    InitializeCriticalSection(&lock);
    token = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE threads[WORKERS];
    for (int i = 0; i < WORKERS; i++) threads[i] = CreateThread(NULL, 0, worker, (LPVOID)(INT_PTR)i, 0, NULL);
    SetEvent(token);
    DWORD result = WaitForMultipleObjects(WORKERS, threads, TRUE, INFINITE);
    printf("wait result %lu\n", result);
    long expected = 0;
    for (int i = 0; i < WORKERS; i++) expected += (long)(i + 1) * ROUNDS;
    printf("total %ld expected %ld\n", total, expected);
    printf("token passes %ld\n", orderCount);
    DWORD sum = 0;
    for (int i = 0; i < WORKERS; i++) {
        DWORD code;
        GetExitCodeThread(threads[i], &code);
        sum += code;
        CloseHandle(threads[i]);
    }
    printf("exit codes sum %lu\n", sum);

    HANDLE semaphore = CreateSemaphoreA(NULL, 2, 3, NULL);
    int acquired = 0;
    while (WaitForSingleObject(semaphore, 0) == WAIT_OBJECT_0) acquired++;
    LONG previous = -1;
    ReleaseSemaphore(semaphore, 3, &previous);
    BOOL over = ReleaseSemaphore(semaphore, 1, NULL);
    printf("semaphore acquired %d, previous %ld, over-release %s (error %lu)\n", acquired, previous,
        over ? "succeeded" : "failed", GetLastError());

    HANDLE mutex = CreateMutexA(NULL, TRUE, NULL);
    printf("mutex recursive wait %lu\n", WaitForSingleObject(mutex, 0));
    BOOL first = ReleaseMutex(mutex), second = ReleaseMutex(mutex), third = ReleaseMutex(mutex);
    printf("release %d %d %d (error %lu)\n", first, second, third, GetLastError());
    printf("timeout wait %lu\n", WaitForSingleObject(CreateEventA(NULL, TRUE, FALSE, NULL), 50));
    DeleteCriticalSection(&lock);
    return 0;
}
