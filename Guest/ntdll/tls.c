/* Dynamic TLS slots (the PEB's TlsBitmap and TlsExpansionBitmap, the TEB's TlsSlots and
   TlsExpansionSlots) and fiber-local storage (TEB.FlsData: a heap array per thread, with one
   cleanup callback per index). Static TLS (image TLS directories) is laid out by the
   executive. */
#include "ntdll.h"

static RTL_BITMAP TlsBitmap, TlsExpansionBitmap;

#define FLS_SLOTS 128
static ULONG FlsBits[FLS_SLOTS / 32];
static RTL_BITMAP FlsBitmap;
typedef void(WINAPI *FLS_CALLBACK)(PVOID);
static FLS_CALLBACK FlsCallbacks[FLS_SLOTS];

void NTAPI RtlInitializeBitMap(PRTL_BITMAP bitmap, PULONG buffer, ULONG size) {
    bitmap->SizeOfBitMap = size;
    bitmap->Buffer = buffer;
}

static BOOLEAN TestBit(PRTL_BITMAP b, ULONG i) { return (b->Buffer[i / 32] >> (i % 32)) & 1; }

void NTAPI RtlSetBits(PRTL_BITMAP b, ULONG start, ULONG count) {
    for (ULONG i = start; i < start + count && i < b->SizeOfBitMap; i++) b->Buffer[i / 32] |= 1u << (i % 32);
}

void NTAPI RtlClearBits(PRTL_BITMAP b, ULONG start, ULONG count) {
    for (ULONG i = start; i < start + count && i < b->SizeOfBitMap; i++)
        b->Buffer[i / 32] &= ~(1u << (i % 32));
}

BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP b, ULONG start, ULONG count) {
    if (start + count > b->SizeOfBitMap || start + count < start) return FALSE;
    for (ULONG i = start; i < start + count; i++)
        if (!TestBit(b, i)) return FALSE;
    return TRUE;
}

BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP b, ULONG start, ULONG count) {
    if (start + count > b->SizeOfBitMap || start + count < start) return FALSE;
    for (ULONG i = start; i < start + count; i++)
        if (TestBit(b, i)) return FALSE;
    return TRUE;
}

ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP b, ULONG count, ULONG hint) {
    if (!count || count > b->SizeOfBitMap) return 0xFFFFFFFF;
    if (hint >= b->SizeOfBitMap) hint = 0;
    for (ULONG pass = 0; pass < 2; pass++) {
        ULONG from = pass ? 0 : hint, to = pass ? hint : b->SizeOfBitMap;
        for (ULONG i = from; i + count <= b->SizeOfBitMap && i < to + count; i++)
            if (RtlAreBitsClear(b, i, count)) {
                RtlSetBits(b, i, count);
                return i;
            }
    }
    return 0xFFFFFFFF;
}

void RtlpInitializeTls(void) {
    PPEB peb = NtCurrentPeb();
    RtlInitializeBitMap(&TlsBitmap, peb->TlsBitmapBits, TLS_MINIMUM_AVAILABLE);
    RtlInitializeBitMap(&TlsExpansionBitmap, peb->TlsExpansionBitmapBits, TLS_EXPANSION_SLOTS);
    RtlInitializeBitMap(&FlsBitmap, FlsBits, FLS_SLOTS);
    peb->TlsBitmap = &TlsBitmap;
    peb->TlsExpansionBitmap = &TlsExpansionBitmap;
}

static void ClearSlot(PTEB teb, void *context) {
    ULONG index = (ULONG)(ULONG_PTR)context;
    if (index < TLS_MINIMUM_AVAILABLE) teb->TlsSlots[index] = NULL;
    else if (teb->TlsExpansionSlots) teb->TlsExpansionSlots[index - TLS_MINIMUM_AVAILABLE] = NULL;
}

NTSTATUS NTAPI RtlTlsAlloc(PULONG index) {
    RtlAcquirePebLock();
    ULONG i = RtlFindClearBitsAndSet(&TlsBitmap, 1, 0);
    if (i == 0xFFFFFFFF) {
        i = RtlFindClearBitsAndSet(&TlsExpansionBitmap, 1, 0);
        if (i != 0xFFFFFFFF) i += TLS_MINIMUM_AVAILABLE;
    }
    RtlReleasePebLock();
    if (i == 0xFFFFFFFF) return STATUS_NO_MEMORY;
    RtlpForEachThread(ClearSlot, (void *)(ULONG_PTR)i);
    *index = i;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlTlsFree(ULONG index) {
    PRTL_BITMAP bitmap = index < TLS_MINIMUM_AVAILABLE ? &TlsBitmap : &TlsExpansionBitmap;
    ULONG bit = index < TLS_MINIMUM_AVAILABLE ? index : index - TLS_MINIMUM_AVAILABLE;
    if (index >= TLS_MINIMUM_AVAILABLE + TLS_EXPANSION_SLOTS) return STATUS_INVALID_PARAMETER;
    RtlAcquirePebLock();
    BOOLEAN allocated = RtlAreBitsSet(bitmap, bit, 1);
    if (allocated) {
        RtlpForEachThread(ClearSlot, (void *)(ULONG_PTR)index);
        RtlClearBits(bitmap, bit, 1);
    }
    RtlReleasePebLock();
    return allocated ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

NTSTATUS NTAPI RtlTlsSetValue(ULONG index, PVOID value) {
    PTEB teb = NtCurrentTeb();
    if (index < TLS_MINIMUM_AVAILABLE) {
        teb->TlsSlots[index] = value;
        return STATUS_SUCCESS;
    }
    if (index >= TLS_MINIMUM_AVAILABLE + TLS_EXPANSION_SLOTS) return STATUS_INVALID_PARAMETER;
    if (!teb->TlsExpansionSlots) {
        teb->TlsExpansionSlots =
            RtlAllocateHeap(RtlpProcessHeap(), HEAP_ZERO_MEMORY, TLS_EXPANSION_SLOTS * sizeof(PVOID));
        if (!teb->TlsExpansionSlots) return STATUS_NO_MEMORY;
    }
    teb->TlsExpansionSlots[index - TLS_MINIMUM_AVAILABLE] = value;
    return STATUS_SUCCESS;
}

/* ---- Fiber-local storage ---- */

static void ClearFls(PTEB teb, void *context) {
    PVOID *data = teb->FlsData;
    if (data) data[(ULONG_PTR)context] = NULL;
}

NTSTATUS NTAPI RtlFlsAlloc(PVOID callback, PULONG index) {
    RtlAcquirePebLock();
    ULONG i = RtlFindClearBitsAndSet(&FlsBitmap, 1, 1);
    if (i != 0xFFFFFFFF) FlsCallbacks[i] = (FLS_CALLBACK)callback;
    RtlReleasePebLock();
    if (i == 0xFFFFFFFF) return STATUS_NO_MEMORY;
    RtlpForEachThread(ClearFls, (void *)(ULONG_PTR)i);
    *index = i;
    return STATUS_SUCCESS;
}

typedef struct {
    ULONG index;
    FLS_CALLBACK callback;
} FLS_FREE;

static void RunFlsCallback(PTEB teb, void *context) {
    FLS_FREE *f = context;
    PVOID *data = teb->FlsData;
    if (data && data[f->index]) {
        PVOID value = data[f->index];
        data[f->index] = NULL;
        if (f->callback && teb == NtCurrentTeb()) f->callback(value);
    }
}

NTSTATUS NTAPI RtlFlsFree(ULONG index) {
    if (index == 0 || index >= FLS_SLOTS) return STATUS_INVALID_PARAMETER;
    RtlAcquirePebLock();
    BOOLEAN allocated = RtlAreBitsSet(&FlsBitmap, index, 1);
    FLS_FREE f = {index, FlsCallbacks[index]};
    if (allocated) {
        RtlClearBits(&FlsBitmap, index, 1);
        FlsCallbacks[index] = NULL;
    }
    RtlReleasePebLock();
    if (!allocated) return STATUS_INVALID_PARAMETER;
    RtlpForEachThread(RunFlsCallback, &f);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlFlsSetValue(ULONG index, PVOID value) {
    if (index == 0 || index >= FLS_SLOTS || !RtlAreBitsSet(&FlsBitmap, index, 1))
        return STATUS_INVALID_PARAMETER;
    PTEB teb = NtCurrentTeb();
    if (!teb->FlsData) {
        teb->FlsData = RtlAllocateHeap(RtlpProcessHeap(), HEAP_ZERO_MEMORY, FLS_SLOTS * sizeof(PVOID));
        if (!teb->FlsData) return STATUS_NO_MEMORY;
    }
    ((PVOID *)teb->FlsData)[index] = value;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlFlsGetValue(ULONG index, PVOID *value) {
    if (index == 0 || index >= FLS_SLOTS || !RtlAreBitsSet(&FlsBitmap, index, 1))
        return STATUS_INVALID_PARAMETER;
    PVOID *data = NtCurrentTeb()->FlsData;
    *value = data ? data[index] : NULL;
    return STATUS_SUCCESS;
}

/* At thread exit: FLS callbacks for the thread's values, then its TLS and FLS arrays. */
void RtlpFreeThreadTls(PTEB teb) {
    PVOID *data = teb->FlsData;
    if (data) {
        for (ULONG i = 1; i < FLS_SLOTS; i++)
            if (data[i] && FlsCallbacks[i]) {
                PVOID value = data[i];
                data[i] = NULL;
                FlsCallbacks[i](value);
            }
        teb->FlsData = NULL;
        RtlFreeHeap(RtlpProcessHeap(), 0, data);
    }
    if (teb->TlsExpansionSlots) {
        PVOID slots = teb->TlsExpansionSlots;
        teb->TlsExpansionSlots = NULL;
        RtlFreeHeap(RtlpProcessHeap(), 0, slots);
    }
}

/* ---- The process heap ---- */
void RtlpInitializeProcessHeap(void) {
    PPEB peb = NtCurrentPeb();
    PIMAGE_NT_HEADERS nt = RtlImageNtHeader(peb->ImageBaseAddress);
    SIZE_T reserve = nt ? nt->OptionalHeader.SizeOfHeapReserve : 0x100000;
    SIZE_T commit = nt ? nt->OptionalHeader.SizeOfHeapCommit : 0x1000;
    if (reserve < 0x100000) reserve = 0x100000;
    static PVOID heaps[16];
    peb->ProcessHeaps = heaps;
    peb->MaximumNumberOfHeaps = 16;
    peb->ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, reserve, commit, NULL, NULL);
    if (peb->ProcessHeap) {
        heaps[0] = peb->ProcessHeap;
        peb->NumberOfHeaps = 1;
    }
}

ULONG NTAPI RtlGetProcessHeaps(ULONG count, PVOID *heaps) {
    PPEB peb = NtCurrentPeb();
    for (ULONG i = 0; i < count && i < peb->NumberOfHeaps; i++) heaps[i] = peb->ProcessHeaps[i];
    return peb->NumberOfHeaps;
}
