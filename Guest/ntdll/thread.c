/* Threads: the start routine every thread continues into, thread exit, process exit, and the
   list of live threads' TEBs (linked through TEB.TlsLinks, as Windows does) that TLS and FLS
   need to clear a freed slot everywhere. */
#include "ntdll.h"

static LIST_ENTRY ThreadList = {&ThreadList, &ThreadList};
static volatile LONG ThreadListLock;
static LONG ThreadCount;

void LdrpRegisterThread(PTEB teb) {
    RtlpAcquireSpinLock(&ThreadListLock);
    teb->TlsLinks.Flink = &ThreadList;
    teb->TlsLinks.Blink = ThreadList.Blink;
    ThreadList.Blink->Flink = &teb->TlsLinks;
    ThreadList.Blink = &teb->TlsLinks;
    ThreadCount++;
    RtlpReleaseSpinLock(&ThreadListLock);
}

void LdrpUnregisterThread(PTEB teb) {
    RtlpAcquireSpinLock(&ThreadListLock);
    if (teb->TlsLinks.Flink) {
        teb->TlsLinks.Blink->Flink = teb->TlsLinks.Flink;
        teb->TlsLinks.Flink->Blink = teb->TlsLinks.Blink;
        teb->TlsLinks.Flink = teb->TlsLinks.Blink = NULL;
        ThreadCount--;
    }
    RtlpReleaseSpinLock(&ThreadListLock);
}

void RtlpForEachThread(void (*visit)(PTEB teb, void *context), void *context) {
    RtlpAcquireSpinLock(&ThreadListLock);
    for (PLIST_ENTRY e = ThreadList.Flink; e != &ThreadList; e = e->Flink)
        visit(CONTAINING_RECORD(e, TEB, TlsLinks), context);
    RtlpReleaseSpinLock(&ThreadListLock);
}

typedef void(WINAPI *THREAD_INIT_THUNK)(ULONG, PVOID, PVOID);
typedef ULONG(WINAPI *THREAD_START)(PVOID);

/* Without kernel32 (a program that imports none of it) a thread runs its start routine here. */
DECLSPEC_NORETURN void RtlpUserThreadStart(PVOID start, PVOID parameter) {
    if (Kernel32ThreadInitThunkFunction)
        ((THREAD_INIT_THUNK)Kernel32ThreadInitThunkFunction)(0, start, parameter);
    else
        RtlExitUserThread((NTSTATUS)((THREAD_START)start)(parameter));
    RtlExitUserThread(STATUS_SUCCESS);
}

/* Where every thread's CONTEXT continues: rcx = start routine, rdx = its argument. It calls
   kernel32!BaseThreadInitThunk(0, start, argument), which never returns. The frame pointer
   lets the unwinder pass this frame whatever the executive chose for rsp. */
__attribute__((naked)) void NTAPI RtlUserThreadStart(PVOID start, PVOID parameter) {
    __asm__(".seh_proc RtlUserThreadStart\n\t"
            "pushq %rbp\n\t"
            ".seh_pushreg %rbp\n\t"
            "movq %rsp, %rbp\n\t"
            ".seh_setframe %rbp, 0\n\t"
            ".seh_endprologue\n\t"
            "andq $-16, %rsp\n\t"
            "subq $0x20, %rsp\n\t"
            "movq Kernel32ThreadInitThunkFunction(%rip), %rax\n\t"
            "testq %rax, %rax\n\t"
            "jz 1f\n\t"
            "movq %rdx, %r8\n\t"
            "movq %rcx, %rdx\n\t"
            "xorl %ecx, %ecx\n\t"
            "callq *%rax\n\t"
            "int3\n"
            "1:\n\t"
            "callq RtlpUserThreadStart\n\t"
            "int3\n\t"
            ".seh_endproc");
}

DECLSPEC_NORETURN void NTAPI RtlExitUserProcess(NTSTATUS status) {
    LdrShutdownProcess();
    NtTerminateProcess(NtCurrentProcess(), status);
    for (;;) NtTerminateThread(NtCurrentThread(), status);
}

DECLSPEC_NORETURN void NTAPI RtlExitUserThread(NTSTATUS status) {
    RtlpAcquireSpinLock(&ThreadListLock);
    BOOLEAN last = ThreadCount <= 1;
    RtlpReleaseSpinLock(&ThreadListLock);
    if (last) RtlExitUserProcess(status);
    LdrShutdownThread();
    RtlpFreeThreadTls(NtCurrentTeb());
    LdrpUnregisterThread(NtCurrentTeb());
    for (;;) NtTerminateThread(NtCurrentThread(), status);
}
