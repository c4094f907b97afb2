/* Critical sections, slim reader/writer locks, condition variables and run-once, over one
   process-wide list of waiting threads and NtWaitForAlertByThreadId (Guest/ABI.md, "Critical
   sections and the deadlock report").

   A critical section keeps the classic meaning of its fields: LockCount is -1 when free and
   otherwise the number of threads that hold or wait for it minus one; OwningThread is the
   owner's thread id; RecursionCount counts its nested entries. A thread that must wait puts a
   WAITER on the list (under the list's spin lock, together with its increment of LockCount)
   and sleeps in NtWaitForAlertByThreadId(&section); the thread that leaves hands the section
   to the first waiter and alerts it. The other objects use the same list and hand-off. */
#include "ntdll.h"

typedef struct _WAITER {
    struct _WAITER *Next;
    PVOID Address;            /* what the thread waits for */
    ULONG_PTR ThreadId;
    volatile LONG Granted;
    LONG Shared;              /* SRW: waits for shared ownership */
} WAITER;

static volatile LONG WaitListLock;
static WAITER *WaitHead;

static void Enqueue(WAITER *w) {
    w->Next = NULL;
    WAITER **p = &WaitHead;
    while (*p) p = &(*p)->Next;
    *p = w;
}

/* Removes and returns the first waiter for `address` (list lock held). */
static WAITER *Dequeue(PVOID address) {
    for (WAITER **p = &WaitHead; *p; p = &(*p)->Next)
        if ((*p)->Address == address) {
            WAITER *w = *p;
            *p = w->Next;
            return w;
        }
    return NULL;
}

static WAITER *First(PVOID address) {
    for (WAITER *w = WaitHead; w; w = w->Next)
        if (w->Address == address) return w;
    return NULL;
}

static BOOLEAN Remove(WAITER *target) {
    for (WAITER **p = &WaitHead; *p; p = &(*p)->Next)
        if (*p == target) {
            *p = target->Next;
            return TRUE;
        }
    return FALSE;
}

/* Marks a dequeued waiter granted (list lock held) and returns whom to alert afterwards. */
static ULONG_PTR Grant(WAITER *w) {
    ULONG_PTR id = w->ThreadId;
    __atomic_store_n(&w->Granted, 1, __ATOMIC_RELEASE);
    return id;
}

static void Alert(ULONG_PTR threadId) {
    if (threadId) NtAlertThreadByThreadId((HANDLE)threadId);
}

/* Sleeps until granted; with a timeout, leaves the list and returns STATUS_TIMEOUT when it
   expires first. */
static NTSTATUS WaitForGrant(WAITER *w, PLARGE_INTEGER timeout) {
    for (;;) {
        if (__atomic_load_n(&w->Granted, __ATOMIC_ACQUIRE)) return STATUS_SUCCESS;
        NTSTATUS status = NtWaitForAlertByThreadId(w->Address, timeout);
        if (status == STATUS_TIMEOUT) {
            RtlpAcquireSpinLock(&WaitListLock);
            BOOLEAN removed = !w->Granted && Remove(w);
            RtlpReleaseSpinLock(&WaitListLock);
            if (removed) return STATUS_TIMEOUT;
        }
    }
}

/* ---- Critical sections ---- */

NTSTATUS NTAPI RtlInitializeCriticalSectionEx(PRTL_CRITICAL_SECTION cs, ULONG spin, ULONG flags) {
    (void)flags;
    cs->DebugInfo = (PRTL_CRITICAL_SECTION_DEBUG)(LONG_PTR)-1;
    cs->LockCount = -1;
    cs->RecursionCount = 0;
    cs->OwningThread = NULL;
    cs->LockSemaphore = NULL;
    cs->SpinCount = spin & 0x00FFFFFF;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION cs, ULONG spin) {
    return RtlInitializeCriticalSectionEx(cs, spin, 0);
}

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION cs) {
    return RtlInitializeCriticalSectionEx(cs, 0, 0);
}

ULONG NTAPI RtlSetCriticalSectionSpinCount(PRTL_CRITICAL_SECTION cs, ULONG spin) {
    ULONG old = (ULONG)cs->SpinCount;
    cs->SpinCount = spin;
    return old;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION cs) {
    cs->LockCount = -1;
    cs->RecursionCount = 0;
    cs->OwningThread = NULL;
    cs->DebugInfo = NULL;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION cs) {
    HANDLE me = (HANDLE)RtlpCurrentThreadId();
    if (__sync_bool_compare_and_swap(&cs->LockCount, -1, 0)) {
        cs->OwningThread = me;
        cs->RecursionCount = 1;
        return STATUS_SUCCESS;
    }
    if (cs->OwningThread == me) {
        cs->RecursionCount++;
        return STATUS_SUCCESS;
    }
    WAITER w = {NULL, cs, (ULONG_PTR)me, 0, 0};
    RtlpAcquireSpinLock(&WaitListLock);
    if (__atomic_add_fetch(&cs->LockCount, 1, __ATOMIC_SEQ_CST) == 0) {
        RtlpReleaseSpinLock(&WaitListLock);
    } else {
        Enqueue(&w);
        RtlpReleaseSpinLock(&WaitListLock);
        WaitForGrant(&w, NULL);
    }
    cs->OwningThread = me;
    cs->RecursionCount = 1;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION cs) {
    HANDLE me = (HANDLE)RtlpCurrentThreadId();
    if (__sync_bool_compare_and_swap(&cs->LockCount, -1, 0)) {
        cs->OwningThread = me;
        cs->RecursionCount = 1;
        return TRUE;
    }
    if (cs->OwningThread == me) {
        cs->RecursionCount++;
        return TRUE;
    }
    return FALSE;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION cs) {
    if (cs->OwningThread != (HANDLE)RtlpCurrentThreadId()) return STATUS_RESOURCE_NOT_OWNED;
    if (--cs->RecursionCount > 0) return STATUS_SUCCESS;
    cs->OwningThread = NULL;
    if (__sync_bool_compare_and_swap(&cs->LockCount, 0, -1)) return STATUS_SUCCESS;
    ULONG_PTR wake = 0;
    RtlpAcquireSpinLock(&WaitListLock);
    if (__atomic_sub_fetch(&cs->LockCount, 1, __ATOMIC_SEQ_CST) >= 0) {
        WAITER *w = Dequeue(cs);
        if (w) wake = Grant(w);
    }
    RtlpReleaseSpinLock(&WaitListLock);
    Alert(wake);
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlIsCriticalSectionLockedByThread(PRTL_CRITICAL_SECTION cs) {
    return cs->OwningThread == (HANDLE)RtlpCurrentThreadId() && cs->RecursionCount > 0;
}

/* ---- Slim reader/writer locks: Ptr is 0 (free), 1 (exclusive) or 2 * readers ---- */

void NTAPI RtlInitializeSRWLock(PRTL_SRWLOCK lock) { lock->Ptr = NULL; }

static BOOLEAN TryExclusive(PRTL_SRWLOCK lock) {
    return __sync_bool_compare_and_swap(&lock->Ptr, (PVOID)0, (PVOID)1);
}

static BOOLEAN TryShared(PRTL_SRWLOCK lock) {
    for (;;) {
        ULONG_PTR v = (ULONG_PTR)lock->Ptr;
        if (v & 1) return FALSE;
        if (__sync_bool_compare_and_swap(&lock->Ptr, (PVOID)v, (PVOID)(v + 2))) return TRUE;
    }
}

static void AcquireSRW(PRTL_SRWLOCK lock, LONG shared) {
    if (shared ? TryShared(lock) : TryExclusive(lock)) return;
    WAITER w = {NULL, lock, RtlpCurrentThreadId(), 0, shared};
    RtlpAcquireSpinLock(&WaitListLock);
    if (shared ? TryShared(lock) : TryExclusive(lock)) {
        RtlpReleaseSpinLock(&WaitListLock);
        return;
    }
    Enqueue(&w);
    RtlpReleaseSpinLock(&WaitListLock);
    WaitForGrant(&w, NULL);
}

/* With the list lock held and the lock free: hands it to the waiters at the head of its
   queue (one exclusive, or every shared one up to the first exclusive). */
static void HandOffSRW(PRTL_SRWLOCK lock, ULONG_PTR *wake, int capacity, int *count) {
    WAITER *w = First(lock);
    if (!w) {
        lock->Ptr = NULL;
        return;
    }
    if (!w->Shared) {
        Dequeue(lock);
        lock->Ptr = (PVOID)1;
        wake[(*count)++] = Grant(w);
        return;
    }
    ULONG_PTR readers = 0;
    while ((w = First(lock)) && w->Shared && *count < capacity) {
        Dequeue(lock);
        readers++;
        wake[(*count)++] = Grant(w);
    }
    lock->Ptr = (PVOID)(readers * 2);
}

static void ReleaseSRW(PRTL_SRWLOCK lock, LONG shared) {
    ULONG_PTR wake[16];
    int count = 0;
    RtlpAcquireSpinLock(&WaitListLock);
    if (shared) {
        ULONG_PTR v = (ULONG_PTR)__atomic_sub_fetch((ULONG_PTR *)&lock->Ptr, 2, __ATOMIC_SEQ_CST);
        if (v == 0) HandOffSRW(lock, wake, 16, &count);
    } else {
        HandOffSRW(lock, wake, 16, &count);
    }
    RtlpReleaseSpinLock(&WaitListLock);
    for (int i = 0; i < count; i++) Alert(wake[i]);
}

void NTAPI RtlAcquireSRWLockExclusive(PRTL_SRWLOCK lock) { AcquireSRW(lock, 0); }
void NTAPI RtlAcquireSRWLockShared(PRTL_SRWLOCK lock) { AcquireSRW(lock, 1); }
void NTAPI RtlReleaseSRWLockExclusive(PRTL_SRWLOCK lock) { ReleaseSRW(lock, 0); }
void NTAPI RtlReleaseSRWLockShared(PRTL_SRWLOCK lock) { ReleaseSRW(lock, 1); }
BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(PRTL_SRWLOCK lock) { return TryExclusive(lock); }
BOOLEAN NTAPI RtlTryAcquireSRWLockShared(PRTL_SRWLOCK lock) { return TryShared(lock); }

/* ---- Condition variables ---- */

void NTAPI RtlInitializeConditionVariable(PRTL_CONDITION_VARIABLE cv) { cv->Ptr = NULL; }

static NTSTATUS SleepOn(PRTL_CONDITION_VARIABLE cv, void (*release)(PVOID), void (*reacquire)(PVOID),
    PVOID lock, PLARGE_INTEGER timeout) {
    WAITER w = {NULL, cv, RtlpCurrentThreadId(), 0, 0};
    RtlpAcquireSpinLock(&WaitListLock);
    Enqueue(&w);
    RtlpReleaseSpinLock(&WaitListLock);
    release(lock);
    NTSTATUS status = WaitForGrant(&w, timeout);
    reacquire(lock);
    return status;
}

static void LeaveCS(PVOID cs) { RtlLeaveCriticalSection(cs); }
static void EnterCS(PVOID cs) { RtlEnterCriticalSection(cs); }
static void ReleaseExclusive(PVOID l) { ReleaseSRW(l, 0); }
static void AcquireExclusive(PVOID l) { AcquireSRW(l, 0); }
static void ReleaseShared(PVOID l) { ReleaseSRW(l, 1); }
static void AcquireShared(PVOID l) { AcquireSRW(l, 1); }

NTSTATUS NTAPI RtlSleepConditionVariableCS(
    PRTL_CONDITION_VARIABLE cv, PRTL_CRITICAL_SECTION cs, PLARGE_INTEGER timeout) {
    /* The nesting of the section is kept across the wait. */
    LONG recursion = cs->RecursionCount;
    cs->RecursionCount = 1;
    NTSTATUS status = SleepOn(cv, LeaveCS, EnterCS, cs, timeout);
    cs->RecursionCount = recursion;
    return status;
}

NTSTATUS NTAPI RtlSleepConditionVariableSRW(
    PRTL_CONDITION_VARIABLE cv, PRTL_SRWLOCK lock, PLARGE_INTEGER timeout, ULONG flags) {
    if (flags & 1) /* CONDITION_VARIABLE_LOCKMODE_SHARED */
        return SleepOn(cv, ReleaseShared, AcquireShared, lock, timeout);
    return SleepOn(cv, ReleaseExclusive, AcquireExclusive, lock, timeout);
}

static void Wake(PRTL_CONDITION_VARIABLE cv, BOOLEAN all) {
    ULONG_PTR wake[64];
    int count = 0;
    do {
        count = 0;
        RtlpAcquireSpinLock(&WaitListLock);
        WAITER *w;
        while (count < 64 && (w = Dequeue(cv))) {
            wake[count++] = Grant(w);
            if (!all) break;
        }
        RtlpReleaseSpinLock(&WaitListLock);
        for (int i = 0; i < count; i++) Alert(wake[i]);
    } while (all && count == 64);
}

void NTAPI RtlWakeConditionVariable(PRTL_CONDITION_VARIABLE cv) { Wake(cv, FALSE); }
void NTAPI RtlWakeAllConditionVariable(PRTL_CONDITION_VARIABLE cv) { Wake(cv, TRUE); }

/* ---- Run once: Ptr is 0 (not run), 1 (running) or 2 (done) ---- */

typedef ULONG(NTAPI *RUN_ONCE_FUNCTION)(PRTL_RUN_ONCE, PVOID, PVOID *);

NTSTATUS NTAPI RtlRunOnceExecuteOnce(PRTL_RUN_ONCE once, PVOID function, PVOID parameter,
    PVOID *context) {
    for (;;) {
        ULONG_PTR state = (ULONG_PTR)once->Ptr;
        if (state == 2) return STATUS_SUCCESS;
        if (state == 0 && __sync_bool_compare_and_swap(&once->Ptr, (PVOID)0, (PVOID)1)) {
            BOOLEAN ok = ((RUN_ONCE_FUNCTION)function)(once, parameter, context) != 0;
            ULONG_PTR wake[64];
            int count = 0;
            RtlpAcquireSpinLock(&WaitListLock);
            once->Ptr = (PVOID)(ULONG_PTR)(ok ? 2 : 0);
            WAITER *w;
            while (count < 64 && (w = Dequeue(once))) wake[count++] = Grant(w);
            RtlpReleaseSpinLock(&WaitListLock);
            for (int i = 0; i < count; i++) Alert(wake[i]);
            return ok ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
        }
        WAITER w = {NULL, once, RtlpCurrentThreadId(), 0, 0};
        RtlpAcquireSpinLock(&WaitListLock);
        if ((ULONG_PTR)once->Ptr == 1) {
            Enqueue(&w);
            RtlpReleaseSpinLock(&WaitListLock);
            WaitForGrant(&w, NULL);
        } else {
            RtlpReleaseSpinLock(&WaitListLock);
        }
    }
}
