/* The system-call stubs (Guest/ABI.md, "System calls"): each is exactly
       mov r10, rcx; mov eax, N; syscall; ret
   The executive serves the call and returns an NTSTATUS in eax. They are naked functions so the
   bytes are exactly those and the PDB still gives each a line for the debugger's symbols. */
#include <xcdb/syscalls.h>

#define XCDB_STRINGIFY2(x) #x
#define XCDB_STRINGIFY(x) XCDB_STRINGIFY2(x)
#define STUB(name) \
    __attribute__((naked)) long name(void) { \
        __asm__("movq %rcx, %r10\n\t" \
                "movl $" XCDB_STRINGIFY(XCDB_SYSCALL_##name) ", %eax\n\t" \
                "syscall\n\t" \
                "ret"); \
    }

STUB(NtClose)
STUB(NtTerminateProcess)
STUB(NtTerminateThread)
STUB(NtCreateThreadEx)
STUB(NtQueryInformationProcess)
STUB(NtQueryInformationThread)
STUB(NtSetInformationThread)
STUB(NtSuspendThread)
STUB(NtResumeThread)
STUB(NtYieldExecution)
STUB(NtDelayExecution)
STUB(NtContinue)
STUB(NtRaiseException)
STUB(NtGetContextThread)
STUB(NtSetContextThread)
STUB(NtAllocateVirtualMemory)
STUB(NtFreeVirtualMemory)
STUB(NtProtectVirtualMemory)
STUB(NtQueryVirtualMemory)
STUB(NtCreateEvent)
STUB(NtSetEvent)
STUB(NtResetEvent)
STUB(NtPulseEvent)
STUB(NtCreateMutant)
STUB(NtReleaseMutant)
STUB(NtCreateSemaphore)
STUB(NtReleaseSemaphore)
STUB(NtWaitForSingleObject)
STUB(NtWaitForMultipleObjects)
STUB(NtWaitForAlertByThreadId)
STUB(NtAlertThreadByThreadId)
STUB(NtDuplicateObject)
STUB(NtCreateFile)
STUB(NtOpenFile)
STUB(NtReadFile)
STUB(NtWriteFile)
STUB(NtQueryInformationFile)
STUB(NtSetInformationFile)
STUB(NtQueryAttributesFile)
STUB(NtDeleteFile)
STUB(NtFlushBuffersFile)
STUB(NtQueryVolumeInformationFile)
STUB(NtQuerySystemTime)
STUB(NtQueryPerformanceCounter)
STUB(NtQuerySystemInformation)
STUB(NtXcdbLoadDll)
