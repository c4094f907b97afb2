#define _GNU_SOURCE
/* The NT heap (ntdll/heap.c) natively over a fake NtAllocateVirtualMemory (mmap): random
   allocations, reallocations and frees, checking that blocks never overlap, keep their
   contents, report their sizes, and that the heap validates after every step. Exits 1 on
   any failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../ntdll/heap.h"

/* ---- What heap.c needs from the rest of ntdll ---- */

static struct {
    char *raw, *aligned;
    size_t length;
} reservations[4096];

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE process, PVOID *base, ULONG_PTR zero, PSIZE_T size, ULONG type,
    ULONG protect) {
    (void)process;
    (void)zero;
    (void)protect;
    SIZE_T length = (*size + 0xFFF) & ~(SIZE_T)0xFFF;
    if (type & MEM_RESERVE) {
        /* 64 KiB aligned reservations, as the machine gives them. */
        char *raw = mmap(NULL, length + 0x10000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) return STATUS_NO_MEMORY;
        char *aligned = (char *)(((uintptr_t)raw + 0xFFFF) & ~(uintptr_t)0xFFFF);
        for (int i = 0; i < 4096; i++)
            if (!reservations[i].raw) {
                reservations[i].raw = raw;
                reservations[i].aligned = aligned;
                reservations[i].length = length + 0x10000;
                break;
            }
        *base = aligned;
        *size = length;
    }
    if (type & MEM_COMMIT) {
        char *start = (char *)((uintptr_t)*base & ~(uintptr_t)0xFFF);
        if (mprotect(start, length, PROT_READ | PROT_WRITE)) return STATUS_NO_MEMORY;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE process, PVOID *base, PSIZE_T size, ULONG type) {
    (void)process;
    (void)size;
    if (!(type & MEM_RELEASE)) return STATUS_SUCCESS;
    for (int i = 0; i < 4096; i++)
        if (reservations[i].raw && reservations[i].aligned == *base) {
            munmap(reservations[i].raw, reservations[i].length);
            reservations[i].raw = NULL;
            return STATUS_SUCCESS;
        }
    return STATUS_INVALID_PARAMETER;
}

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION cs) {
    (void)cs;
    return 0;
}
NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION cs) {
    (void)cs;
    return 0;
}
NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION cs) {
    (void)cs;
    return 0;
}
NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION cs) {
    (void)cs;
    return 0;
}
void NTAPI RtlSetLastWin32Error(ULONG error) { (void)error; }
void NTAPI RtlRaiseException(PEXCEPTION_RECORD record) {
    printf("raised %08x\n", (unsigned)record->ExceptionCode);
}
ULONG DbgPrint(PCSTR format, ...) {
    (void)format;
    return 0;
}

static int failures;
#define CHECK(condition, ...) \
    do { \
        if (!(condition)) { \
            if (failures++ < 20) { \
                printf("FAIL line %d: ", __LINE__); \
                printf(__VA_ARGS__); \
                printf("\n"); \
            } \
        } \
    } while (0)

static unsigned long long state = 88172645463325252ull;
static unsigned long long next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

#define SLOTS 400
static unsigned char *block[SLOTS];
static size_t length[SLOTS];
static unsigned char tag[SLOTS];

static void fill(int i) {
    for (size_t k = 0; k < length[i]; k++) block[i][k] = (unsigned char)(tag[i] + k);
}

static int intact(int i) {
    for (size_t k = 0; k < length[i]; k++)
        if (block[i][k] != (unsigned char)(tag[i] + k)) return 0;
    return 1;
}

static size_t randomSize(void) {
    switch (next() % 10) {
    case 0: return 0;
    case 1: return next() % 100000;        /* big */
    case 2: return 600000 + next() % 400000; /* over the virtual-block threshold */
    default: return next() % 300;
    }
}

int main(void) {
    PVOID heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    CHECK(heap != NULL, "RtlCreateHeap failed");
    for (int step = 0; step < 12000; step++) {
        int i = (int)(next() % SLOTS);
        int action = (int)(next() % 3);
        if (block[i] && !intact(i)) CHECK(0, "block %d (%zu bytes) was overwritten at step %d", i, length[i], step);
        if (!block[i]) {
            length[i] = randomSize();
            tag[i] = (unsigned char)next();
            block[i] = RtlAllocateHeap(heap, (next() & 1) ? HEAP_ZERO_MEMORY : 0, length[i]);
            CHECK(block[i] != NULL, "allocation of %zu failed", length[i]);
            CHECK(((uintptr_t)block[i] & 15) == 0, "block not 16-byte aligned");
            CHECK(RtlSizeHeap(heap, 0, block[i]) == length[i], "size %zu reported as %zu", length[i],
                (size_t)RtlSizeHeap(heap, 0, block[i]));
            fill(i);
        } else if (action == 0) {
            size_t size = randomSize();
            unsigned char *moved = RtlReAllocateHeap(heap, 0, block[i], size);
            CHECK(moved != NULL, "reallocation to %zu failed", size);
            size_t kept = size < length[i] ? size : length[i];
            for (size_t k = 0; k < kept; k++)
                if (moved[k] != (unsigned char)(tag[i] + k)) {
                    CHECK(0, "reallocation lost byte %zu of %zu", k, kept);
                    break;
                }
            block[i] = moved;
            length[i] = size;
            CHECK(RtlSizeHeap(heap, 0, block[i]) == size, "size after reallocation");
            fill(i);
        } else {
            CHECK(RtlFreeHeap(heap, 0, block[i]), "free failed");
            block[i] = NULL;
        }
        if (step % 500 == 0) CHECK(RtlValidateHeap(heap, 0, NULL), "heap invalid at step %d", step);
    }
    /* No two live blocks overlap. */
    for (int i = 0; i < SLOTS; i++)
        for (int j = i + 1; j < SLOTS; j++)
            if (block[i] && block[j])
                CHECK(block[i] + length[i] <= block[j] || block[j] + length[j] <= block[i], "blocks %d and %d overlap",
                    i, j);
    /* A foreign pointer and a double free are refused, not corrupting the heap. */
    char stack[64];
    CHECK(!RtlFreeHeap(heap, 0, stack + 16), "freeing a stack pointer succeeded");
    for (int i = 0; i < SLOTS; i++)
        if (block[i]) {
            CHECK(RtlFreeHeap(heap, 0, block[i]), "final free");
            CHECK(!RtlFreeHeap(heap, 0, block[i]), "double free succeeded");
            block[i] = NULL;
            break;
        }
    CHECK(RtlValidateHeap(heap, 0, NULL), "heap invalid at the end");
    HEAP *h = heap;
    printf("%u segments, %zu bytes busy, %zu free; %d failures\n", h->SegmentCount, (size_t)h->TotalBusy,
        (size_t)h->TotalFree, failures);
    return failures != 0;
}
