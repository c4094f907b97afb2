/* System calls of the simulated machine, made directly (these test programs run without the
   system DLLs). Numbers from Guest/include/xcdb/syscalls.h. */
#ifndef BARE_H
#define BARE_H
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
typedef int s32;
typedef long NTSTATUS;

/* File-scope asm is Intel syntax under clang-cl. */
#define STUB(name, number) \
    __asm__(".globl " #name "\n" #name ":\n\tmov r10, rcx\n\tmov eax, " #number "\n\tsyscall\n\tret\n");

NTSTATUS NtClose(u64 handle);
NTSTATUS NtTerminateProcess(u64 process, u32 status);
NTSTATUS NtTerminateThread(u64 thread, u32 status);
NTSTATUS NtCreateThreadEx(u64 *thread, u32 access, void *attributes, u64 process, void *start,
                          void *argument, u32 flags, u64 zeroBits, u64 stack, u64 maxStack, void *list);
NTSTATUS NtYieldExecution(void);
NTSTATUS NtDelayExecution(u32 alertable, s64 *interval);
NTSTATUS NtAllocateVirtualMemory(u64 process, u64 *base, u64 zero, u64 *size, u32 type, u32 protect);
NTSTATUS NtFreeVirtualMemory(u64 process, u64 *base, u64 *size, u32 type);
NTSTATUS NtProtectVirtualMemory(u64 process, u64 *base, u64 *size, u32 protect, u32 *old);
NTSTATUS NtQueryVirtualMemory(u64 process, u64 address, u32 cls, void *buffer, u64 length, u64 *returned);
NTSTATUS NtCreateEvent(u64 *event, u32 access, void *attributes, u32 type, u32 initial);
NTSTATUS NtSetEvent(u64 event, s32 *previous);
NTSTATUS NtCreateMutant(u64 *mutant, u32 access, void *attributes, u32 owner);
NTSTATUS NtReleaseMutant(u64 mutant, s32 *previous);
NTSTATUS NtCreateSemaphore(u64 *semaphore, u32 access, void *attributes, s32 initial, s32 maximum);
NTSTATUS NtReleaseSemaphore(u64 semaphore, s32 count, s32 *previous);
NTSTATUS NtWaitForSingleObject(u64 handle, u32 alertable, s64 *timeout);
NTSTATUS NtWaitForMultipleObjects(u32 count, u64 *handles, u32 type, u32 alertable, s64 *timeout);
NTSTATUS NtWaitForAlertByThreadId(void *address, s64 *timeout);
NTSTATUS NtAlertThreadByThreadId(u64 id);
NTSTATUS NtWriteFile(u64 file, u64 event, void *apc, void *context, u64 *status, const void *buffer,
                     u32 length, s64 *offset, u32 *key);
NTSTATUS NtQuerySystemTime(s64 *time);
NTSTATUS NtRaiseException(void *record, void *context, u32 firstChance);

#ifdef BARE_STUBS
STUB(NtClose, 0x00)
STUB(NtTerminateProcess, 0x01)
STUB(NtTerminateThread, 0x02)
STUB(NtCreateThreadEx, 0x03)
STUB(NtYieldExecution, 0x09)
STUB(NtDelayExecution, 0x0A)
STUB(NtRaiseException, 0x0C)
STUB(NtAllocateVirtualMemory, 0x10)
STUB(NtFreeVirtualMemory, 0x11)
STUB(NtProtectVirtualMemory, 0x12)
STUB(NtQueryVirtualMemory, 0x13)
STUB(NtCreateEvent, 0x20)
STUB(NtSetEvent, 0x21)
STUB(NtCreateMutant, 0x24)
STUB(NtReleaseMutant, 0x25)
STUB(NtCreateSemaphore, 0x26)
STUB(NtReleaseSemaphore, 0x27)
STUB(NtWaitForSingleObject, 0x28)
STUB(NtWaitForMultipleObjects, 0x29)
STUB(NtWaitForAlertByThreadId, 0x2A)
STUB(NtAlertThreadByThreadId, 0x2B)
STUB(NtWriteFile, 0x33)
STUB(NtQuerySystemTime, 0x40)
#endif

static inline u64 peb(void) {
    u64 value;
    __asm__ volatile("mov %%gs:0x60, %0" : "=r"(value));
    return value;
}

static inline u64 teb(void) {
    u64 value;
    __asm__ volatile("mov %%gs:0x30, %0" : "=r"(value));
    return value;
}

static inline u64 standard_output(void) {
    u64 parameters = *(volatile u64 *)(peb() + 0x20);
    return *(volatile u64 *)(parameters + 0x28);
}

static inline void write_bytes(const char *text, u32 length) {
    u64 status[2];
    NtWriteFile(standard_output(), 0, 0, 0, status, text, length, 0, 0);
}

static inline void print(const char *text) {
    u32 length = 0;
    while (text[length]) length++;
    write_bytes(text, length);
}

static inline void print_number(u64 value) {
    char digits[24];
    int at = 23;
    digits[at] = 0;
    do {
        digits[--at] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    print(digits + at);
}

static inline void exit_process(u32 code) {
    NtTerminateProcess(~0ull, code);
}

#define CURRENT_PROCESS (~0ull)
#endif
