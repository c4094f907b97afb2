/* Threads and processes, TLS and FLS slots. */
#include "k32.h"

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack, LPTHREAD_START_ROUTINE start, LPVOID parameter,
    DWORD flags, LPDWORD id) {
    (void)sa;
    HANDLE h = NULL;
    SIZE_T commit = 0, reserve = 0;
    if (flags & STACK_SIZE_PARAM_IS_A_RESERVATION) reserve = stack;
    else commit = stack;
    if (commit > reserve) reserve = (commit + 0xFFFFF) & ~(SIZE_T)0xFFFFF;
    NTSTATUS status = NtCreateThreadEx(&h, 0x1FFFFF, NULL, NtCurrentProcess(), (PVOID)start, parameter,
        (flags & CREATE_SUSPENDED) ? 1 : 0, 0, commit, reserve, NULL);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    if (id) {
        THREAD_BASIC_INFORMATION info;
        memset(&info, 0, sizeof(info));
        NtQueryInformationThread(h, 0, &info, sizeof(info), NULL);
        *id = (DWORD)(ULONG_PTR)info.ClientId.UniqueThread;
    }
    return h;
}

HANDLE WINAPI GetCurrentProcess(void) { return NtCurrentProcess(); }
HANDLE WINAPI GetCurrentThread(void) { return NtCurrentThread(); }
DWORD WINAPI GetCurrentProcessId(void) { return (DWORD)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess; }
DWORD WINAPI GetCurrentThreadId(void) { return (DWORD)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueThread; }

static BOOL ThreadInfo(HANDLE thread, THREAD_BASIC_INFORMATION *info) {
    NTSTATUS status = NtQueryInformationThread(thread, 0, info, sizeof(*info), NULL);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

static BOOL ProcessInfo(HANDLE process, PROCESS_BASIC_INFORMATION *info) {
    NTSTATUS status = NtQueryInformationProcess(process, 0, info, sizeof(*info), NULL);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

DWORD WINAPI GetThreadId(HANDLE thread) {
    THREAD_BASIC_INFORMATION info;
    return ThreadInfo(thread, &info) ? (DWORD)(ULONG_PTR)info.ClientId.UniqueThread : 0;
}

DWORD WINAPI GetProcessId(HANDLE process) {
    PROCESS_BASIC_INFORMATION info;
    return ProcessInfo(process, &info) ? (DWORD)info.UniqueProcessId : 0;
}

BOOL WINAPI GetExitCodeThread(HANDLE thread, LPDWORD code) {
    THREAD_BASIC_INFORMATION info;
    if (!ThreadInfo(thread, &info)) return FALSE;
    *code = (DWORD)info.ExitStatus;
    return TRUE;
}

BOOL WINAPI GetExitCodeProcess(HANDLE process, LPDWORD code) {
    PROCESS_BASIC_INFORMATION info;
    if (!ProcessInfo(process, &info)) return FALSE;
    *code = (DWORD)info.ExitStatus;
    return TRUE;
}

BOOL WINAPI TerminateThread(HANDLE thread, DWORD code) {
    NTSTATUS status = NtTerminateThread(thread, (NTSTATUS)code);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI TerminateProcess(HANDLE process, UINT code) {
    NTSTATUS status = NtTerminateProcess(process, (NTSTATUS)code);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

DWORD WINAPI SuspendThread(HANDLE thread) {
    ULONG previous = 0;
    NTSTATUS status = NtSuspendThread(thread, &previous);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return (DWORD)-1;
    }
    return previous;
}

DWORD WINAPI ResumeThread(HANDLE thread) {
    ULONG previous = 0;
    NTSTATUS status = NtResumeThread(thread, &previous);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return (DWORD)-1;
    }
    return previous;
}

BOOL WINAPI GetThreadContext(HANDLE thread, LPCONTEXT context) {
    NTSTATUS status = NtGetContextThread(thread, context);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SetThreadContext(HANDLE thread, const CONTEXT *context) {
    NTSTATUS status = NtSetContextThread(thread, (PCONTEXT)context);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SetThreadPriority(HANDLE thread, int priority) {
    (void)thread;
    (void)priority;
    return TRUE;
}

int WINAPI GetThreadPriority(HANDLE thread) {
    (void)thread;
    return THREAD_PRIORITY_NORMAL;
}

HRESULT WINAPI SetThreadDescription(HANDLE thread, PCWSTR description) {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, description);
    NTSTATUS status = NtSetInformationThread(thread, ThreadNameInformation, &name, sizeof(name));
    return NT_SUCCESS(status) ? 0 : (HRESULT)(0x80070000 | RtlNtStatusToDosError(status));
}

/* ---- TLS and FLS ---- */

DWORD WINAPI TlsAlloc(void) {
    ULONG index;
    NTSTATUS status = RtlTlsAlloc(&index);
    if (!NT_SUCCESS(status)) {
        SetLastError(ERROR_NO_MORE_ITEMS);
        return TLS_OUT_OF_INDEXES;
    }
    return index;
}

LPVOID WINAPI TlsGetValue(DWORD index) {
    PTEB teb = NtCurrentTeb();
    if (index < TLS_MINIMUM_AVAILABLE) {
        teb->LastErrorValue = 0;
        return teb->TlsSlots[index];
    }
    if (index >= TLS_MINIMUM_AVAILABLE + TLS_EXPANSION_SLOTS) {
        teb->LastErrorValue = ERROR_INVALID_PARAMETER;
        return NULL;
    }
    teb->LastErrorValue = 0;
    return teb->TlsExpansionSlots ? teb->TlsExpansionSlots[index - TLS_MINIMUM_AVAILABLE] : NULL;
}

BOOL WINAPI TlsSetValue(DWORD index, LPVOID value) {
    NTSTATUS status = RtlTlsSetValue(index, value);
    if (!NT_SUCCESS(status)) {
        SetLastError(status == STATUS_NO_MEMORY ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI TlsFree(DWORD index) {
    if (!NT_SUCCESS(RtlTlsFree(index))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

DWORD WINAPI FlsAlloc(PFLS_CALLBACK_FUNCTION callback) {
    ULONG index;
    if (!NT_SUCCESS(RtlFlsAlloc((PVOID)callback, &index))) {
        SetLastError(ERROR_NO_MORE_ITEMS);
        return FLS_OUT_OF_INDEXES;
    }
    return index;
}

PVOID WINAPI FlsGetValue(DWORD index) {
    PVOID value;
    if (!NT_SUCCESS(RtlFlsGetValue(index, &value))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    SetLastError(0);
    return value;
}

BOOL WINAPI FlsSetValue(DWORD index, PVOID value) {
    NTSTATUS status = RtlFlsSetValue(index, value);
    if (!NT_SUCCESS(status)) {
        SetLastError(status == STATUS_NO_MEMORY ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI FlsFree(DWORD index) {
    if (!NT_SUCCESS(RtlFlsFree(index))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

/* Only the process itself can be opened: a real handle to it. */
HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD id) {
    (void)access;
    if (id != GetCurrentProcessId()) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    HANDLE h = NULL;
    NTSTATUS status = NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(), &h, 0,
        inherit ? 2 : 0, DUPLICATE_SAME_ACCESS);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return h;
}

BOOL WINAPI SetProcessAffinityMask(HANDLE process, DWORD_PTR mask) {
    (void)process;
    if (!(mask & 1)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

DWORD_PTR WINAPI SetThreadAffinityMask(HANDLE thread, DWORD_PTR mask) {
    (void)thread;
    if (!(mask & 1)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return 1;
}
