/* System-service numbers of the simulated machine. Keep in step with Guest/ABI.md and the
   executive's service table in Sources/Emulation (a test compares them). */
#ifndef XCDB_SYSCALLS_H
#define XCDB_SYSCALLS_H

#define XCDB_SYSCALL_NtClose                      0x00
#define XCDB_SYSCALL_NtTerminateProcess           0x01
#define XCDB_SYSCALL_NtTerminateThread            0x02
#define XCDB_SYSCALL_NtCreateThreadEx             0x03
#define XCDB_SYSCALL_NtQueryInformationProcess    0x04
#define XCDB_SYSCALL_NtQueryInformationThread     0x05
#define XCDB_SYSCALL_NtSetInformationThread       0x06
#define XCDB_SYSCALL_NtSuspendThread              0x07
#define XCDB_SYSCALL_NtResumeThread               0x08
#define XCDB_SYSCALL_NtYieldExecution             0x09
#define XCDB_SYSCALL_NtDelayExecution             0x0A
#define XCDB_SYSCALL_NtContinue                   0x0B
#define XCDB_SYSCALL_NtRaiseException             0x0C
#define XCDB_SYSCALL_NtGetContextThread           0x0D
#define XCDB_SYSCALL_NtSetContextThread           0x0E
#define XCDB_SYSCALL_NtAllocateVirtualMemory      0x10
#define XCDB_SYSCALL_NtFreeVirtualMemory          0x11
#define XCDB_SYSCALL_NtProtectVirtualMemory       0x12
#define XCDB_SYSCALL_NtQueryVirtualMemory         0x13
#define XCDB_SYSCALL_NtCreateEvent                0x20
#define XCDB_SYSCALL_NtSetEvent                   0x21
#define XCDB_SYSCALL_NtResetEvent                 0x22
#define XCDB_SYSCALL_NtPulseEvent                 0x23
#define XCDB_SYSCALL_NtCreateMutant               0x24
#define XCDB_SYSCALL_NtReleaseMutant              0x25
#define XCDB_SYSCALL_NtCreateSemaphore            0x26
#define XCDB_SYSCALL_NtReleaseSemaphore           0x27
#define XCDB_SYSCALL_NtWaitForSingleObject        0x28
#define XCDB_SYSCALL_NtWaitForMultipleObjects     0x29
#define XCDB_SYSCALL_NtWaitForAlertByThreadId     0x2A
#define XCDB_SYSCALL_NtAlertThreadByThreadId      0x2B
#define XCDB_SYSCALL_NtDuplicateObject            0x2C
#define XCDB_SYSCALL_NtCreateFile                 0x30
#define XCDB_SYSCALL_NtOpenFile                   0x31
#define XCDB_SYSCALL_NtReadFile                   0x32
#define XCDB_SYSCALL_NtWriteFile                  0x33
#define XCDB_SYSCALL_NtQueryInformationFile       0x34
#define XCDB_SYSCALL_NtSetInformationFile         0x35
#define XCDB_SYSCALL_NtQueryAttributesFile        0x36
#define XCDB_SYSCALL_NtDeleteFile                 0x37
#define XCDB_SYSCALL_NtFlushBuffersFile           0x38
#define XCDB_SYSCALL_NtQueryVolumeInformationFile 0x39
#define XCDB_SYSCALL_NtQuerySystemTime            0x40
#define XCDB_SYSCALL_NtQueryPerformanceCounter    0x41
#define XCDB_SYSCALL_NtQuerySystemInformation     0x42
#define XCDB_SYSCALL_NtXcdbLoadDll                0x60

#endif
