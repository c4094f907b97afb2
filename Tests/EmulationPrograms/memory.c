#define BARE_STUBS
#include "bare.h"

#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define MEM_RELEASE 0x8000
#define MEM_DECOMMIT 0x4000
#define PAGE_READWRITE 0x04
#define PAGE_READONLY 0x02
#define PAGE_GUARD 0x100

static void check(int condition, const char *what) {
    print(condition ? "ok " : "FAIL ");
    print(what);
    print("\n");
}

void start(void) {
    u64 base = 0, size = 0x12345;
    NTSTATUS status = NtAllocateVirtualMemory(CURRENT_PROCESS, &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
    check(status == 0 && (base & 0xFFFF) == 0 && size == 0x13000, "reserve rounds");
    u64 page = base + 0x1800, one = 0x10;
    status = NtAllocateVirtualMemory(CURRENT_PROCESS, &page, 0, &one, MEM_COMMIT, PAGE_READWRITE);
    check(status == 0 && page == base + 0x1000 && one == 0x1000, "commit one page");
    *(volatile u64 *)(base + 0x1000) = 0x1122334455667788ull;
    u32 old = 0;
    u64 protectBase = base + 0x1000, protectSize = 1;
    status = NtProtectVirtualMemory(CURRENT_PROCESS, &protectBase, &protectSize, PAGE_READONLY, &old);
    check(status == 0 && old == PAGE_READWRITE, "protect returns the old protection");
    u64 info[6];
    status = NtQueryVirtualMemory(CURRENT_PROCESS, base + 0x1234, 0, info, sizeof info, 0);
    check(status == 0 && info[0] == base + 0x1000 && info[1] == base && info[3] == 0x1000 &&
              (u32)info[4] == 0x1000 && (u32)(info[4] >> 32) == PAGE_READONLY,
          "query the committed page");
    status = NtQueryVirtualMemory(CURRENT_PROCESS, base + 0x3000, 0, info, sizeof info, 0);
    check(status == 0 && (u32)info[4] == 0x2000 && info[3] == 0x10000, "query the reserved rest");
    u64 free = base + 0x3000, freeSize = 0;
    check(NtFreeVirtualMemory(CURRENT_PROCESS, &free, &freeSize, MEM_RELEASE) != 0, "release not at base fails");
    free = base;
    freeSize = 0;
    check(NtFreeVirtualMemory(CURRENT_PROCESS, &free, &freeSize, MEM_RELEASE) == 0 && freeSize == 0x13000,
          "release the whole allocation");
    /* Past the cap: committing 2 GiB fails with STATUS_NO_MEMORY. */
    u64 big = 0, bigSize = 0x80000000ull;
    status = NtAllocateVirtualMemory(CURRENT_PROCESS, &big, 0, &bigSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    check(status == (NTSTATUS)0xC0000017, "2 GiB exceeds the cap");
    /* A guard page faults once with STATUS_GUARD_PAGE_VIOLATION. */
    u64 guarded = 0, guardedSize = 0x1000;
    NtAllocateVirtualMemory(CURRENT_PROCESS, &guarded, 0, &guardedSize, MEM_COMMIT | MEM_RESERVE,
                            PAGE_READWRITE | PAGE_GUARD);
    print("touching the guard page\n");
    volatile u64 value = *(volatile u64 *)guarded;
    print("touched again\n");
    value = *(volatile u64 *)guarded;
    exit_process((u32)value + 9);
}
