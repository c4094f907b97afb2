/* The NT heap: RtlCreateHeap and friends over NtAllocateVirtualMemory. Layout in heap.h. */
#include "ntdll.h"
#include "heap.h"

#define UNITS(bytes) (((bytes) + HEAP_UNIT - 1) / HEAP_UNIT)
#define BLOCK_DATA(b) ((PVOID)((PHEAP_BLOCK)(b) + 1))
#define DATA_BLOCK(p) ((PHEAP_BLOCK)(p)-1)
#define FREE_LINKS(b) ((PLIST_ENTRY)BLOCK_DATA(b))
#define PAGE 0x1000

static ULONG BlockCheck(PHEAP_BLOCK b) {
    return HEAP_BLOCK_CHECK ^ b->Size ^ (b->PreviousSize << 7) ^ ((ULONG)b->Flags << 24) ^
           ((ULONG)b->Unused << 16);
}
static void Seal(PHEAP_BLOCK b) { b->Check = BlockCheck(b); }
static BOOLEAN Valid(PHEAP_BLOCK b) { return b->Check == BlockCheck(b) && b->Size >= 2; }

static void ListInit(PLIST_ENTRY h) { h->Flink = h->Blink = h; }
static void ListInsertTail(PLIST_ENTRY h, PLIST_ENTRY e) {
    e->Flink = h;
    e->Blink = h->Blink;
    h->Blink->Flink = e;
    h->Blink = e;
}
static void ListRemove(PLIST_ENTRY e) {
    e->Blink->Flink = e->Flink;
    e->Flink->Blink = e->Blink;
}

static PHEAP_BLOCK NextBlock(PHEAP_BLOCK b) {
    return (b->Flags & HEAP_BLOCK_LAST) ? NULL : (PHEAP_BLOCK)((PUCHAR)b + b->Size * HEAP_UNIT);
}
static PHEAP_BLOCK PreviousBlock(PHEAP_BLOCK b) {
    return b->PreviousSize ? (PHEAP_BLOCK)((PUCHAR)b - b->PreviousSize * HEAP_UNIT) : NULL;
}

static ULONG ListIndex(ULONG units) { return units < HEAP_FREE_LISTS ? units : 0; }

static void InsertFree(PHEAP heap, PHEAP_BLOCK b) {
    b->Flags &= (UCHAR)~HEAP_BLOCK_BUSY;
    b->Unused = 0;
    Seal(b);
    ULONG index = ListIndex(b->Size);
    ListInsertTail(&heap->FreeLists[index], FREE_LINKS(b));
    heap->FreeListBitmap[index / 32] |= 1u << (index % 32);
    heap->TotalFree += (SIZE_T)b->Size * HEAP_UNIT;
}

static void RemoveFree(PHEAP heap, PHEAP_BLOCK b) {
    ULONG index = ListIndex(b->Size);
    ListRemove(FREE_LINKS(b));
    if (heap->FreeLists[index].Flink == &heap->FreeLists[index])
        heap->FreeListBitmap[index / 32] &= ~(1u << (index % 32));
    heap->TotalFree -= (SIZE_T)b->Size * HEAP_UNIT;
}

/* Sets the PreviousSize of the block after b (if any) to b's size. */
static void LinkNext(PHEAP_BLOCK b) {
    PHEAP_BLOCK next = NextBlock(b);
    if (next) {
        next->PreviousSize = b->Size;
        Seal(next);
    }
}

static NTSTATUS Commit(PVOID address, SIZE_T size) {
    PVOID base = address;
    return NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_COMMIT, PAGE_READWRITE);
}

/* Makes a new segment able to hold at least `units`, reserving `reserve` bytes or more. */
static PHEAP_SEGMENT CreateSegment(PHEAP heap, PVOID base, SIZE_T reserve, SIZE_T commit,
    SIZE_T headerBytes) {
    if (!base) {
        SIZE_T size = reserve;
        NTSTATUS status =
            NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
        if (!NT_SUCCESS(status)) return NULL;
        reserve = size;
    }
    if (commit > reserve) commit = reserve;
    if (!NT_SUCCESS(Commit(base, commit))) return NULL;
    PHEAP_SEGMENT segment = (PHEAP_SEGMENT)((PUCHAR)base + headerBytes);
    segment->Signature = HEAP_SEGMENT_SIGNATURE;
    segment->Index = heap->SegmentCount++;
    segment->Heap = heap;
    segment->Base = base;
    segment->ReservedSize = reserve;
    segment->CommittedSize = commit;
    PHEAP_BLOCK first = (PHEAP_BLOCK)((PUCHAR)segment + UNITS(sizeof(HEAP_SEGMENT)) * HEAP_UNIT);
    segment->FirstBlock = first;
    first->Size = (ULONG)(((PUCHAR)base + commit - (PUCHAR)first) / HEAP_UNIT);
    first->PreviousSize = 0;
    first->Flags = HEAP_BLOCK_LAST;
    first->Reserved = 0;
    ListInsertTail(&heap->Segments, &segment->Links);
    InsertFree(heap, first);
    return segment;
}

static PHEAP_BLOCK LastBlock(PHEAP_SEGMENT segment) {
    PHEAP_BLOCK b = segment->FirstBlock;
    while (!(b->Flags & HEAP_BLOCK_LAST)) b = (PHEAP_BLOCK)((PUCHAR)b + b->Size * HEAP_UNIT);
    return b;
}

/* Commits more of a segment so that its last block, free, has at least `units`. */
static PHEAP_BLOCK GrowSegment(PHEAP heap, PHEAP_SEGMENT segment, ULONG units) {
    PHEAP_BLOCK last = LastBlock(segment);
    SIZE_T have = (last->Flags & HEAP_BLOCK_BUSY) ? 0 : last->Size;
    SIZE_T needBytes = ((SIZE_T)units - have) * HEAP_UNIT;
    SIZE_T grow = (needBytes + PAGE - 1) & ~(SIZE_T)(PAGE - 1);
    if (grow < 16 * PAGE) grow = 16 * PAGE;
    if (segment->CommittedSize + grow > segment->ReservedSize)
        grow = segment->ReservedSize - segment->CommittedSize;
    if (grow < needBytes) return NULL;
    PUCHAR end = segment->Base + segment->CommittedSize;
    if (!NT_SUCCESS(Commit(end, grow))) return NULL;
    segment->CommittedSize += grow;
    ULONG added = (ULONG)(grow / HEAP_UNIT);
    if (!(last->Flags & HEAP_BLOCK_BUSY)) {
        RemoveFree(heap, last);
        last->Size += added;
        InsertFree(heap, last);
        return last;
    }
    PHEAP_BLOCK fresh = (PHEAP_BLOCK)end;
    last->Flags &= (UCHAR)~HEAP_BLOCK_LAST;
    Seal(last);
    fresh->Size = added;
    fresh->PreviousSize = last->Size;
    fresh->Flags = HEAP_BLOCK_LAST;
    fresh->Reserved = 0;
    InsertFree(heap, fresh);
    return fresh;
}

static PHEAP_BLOCK FindFree(PHEAP heap, ULONG units) {
    for (ULONG index = units < HEAP_FREE_LISTS ? units : HEAP_FREE_LISTS; index < HEAP_FREE_LISTS;) {
        ULONG word = heap->FreeListBitmap[index / 32] >> (index % 32);
        if (!word) {
            index = (index / 32 + 1) * 32;
            continue;
        }
        index += (ULONG)__builtin_ctz(word);
        return (PHEAP_BLOCK)((PUCHAR)heap->FreeLists[index].Flink - sizeof(HEAP_BLOCK));
    }
    /* The list of large blocks: the best fit. */
    PHEAP_BLOCK best = NULL;
    for (PLIST_ENTRY e = heap->FreeLists[0].Flink; e != &heap->FreeLists[0]; e = e->Flink) {
        PHEAP_BLOCK b = (PHEAP_BLOCK)((PUCHAR)e - sizeof(HEAP_BLOCK));
        if (b->Size >= units && (!best || b->Size < best->Size)) best = b;
    }
    return best;
}

static PHEAP_BLOCK Grow(PHEAP heap, ULONG units) {
    for (PLIST_ENTRY e = heap->Segments.Flink; e != &heap->Segments; e = e->Flink) {
        PHEAP_BLOCK b = GrowSegment(heap, CONTAINING_RECORD(e, HEAP_SEGMENT, Links), units);
        if (b) return b;
    }
    if (!(heap->Flags & HEAP_GROWABLE)) return NULL;
    SIZE_T need = (SIZE_T)units * HEAP_UNIT + sizeof(HEAP_SEGMENT) + HEAP_UNIT;
    SIZE_T reserve = heap->NextSegmentReserve;
    while (reserve < need) reserve *= 2;
    if (heap->NextSegmentReserve < 64u * 1024 * 1024) heap->NextSegmentReserve *= 2;
    SIZE_T commit = (need + PAGE - 1) & ~(SIZE_T)(PAGE - 1);
    PHEAP_SEGMENT segment = CreateSegment(heap, NULL, reserve, commit, 0);
    return segment ? LastBlock(segment) : NULL;
}

/* Carves `units` off the front of free block b, keeping the rest free. */
static void Split(PHEAP heap, PHEAP_BLOCK b, ULONG units) {
    if (b->Size - units < 2) return;
    PHEAP_BLOCK rest = (PHEAP_BLOCK)((PUCHAR)b + (SIZE_T)units * HEAP_UNIT);
    rest->Size = b->Size - units;
    rest->PreviousSize = units;
    rest->Flags = b->Flags & HEAP_BLOCK_LAST;
    rest->Reserved = 0;
    b->Size = units;
    b->Flags &= (UCHAR)~HEAP_BLOCK_LAST;
    LinkNext(rest);
    InsertFree(heap, rest);
}

static void Lock(PHEAP heap, ULONG flags) {
    if (!((heap->Flags | flags) & HEAP_NO_SERIALIZE)) RtlEnterCriticalSection(&heap->Lock);
}
static void Unlock(PHEAP heap, ULONG flags) {
    if (!((heap->Flags | flags) & HEAP_NO_SERIALIZE)) RtlLeaveCriticalSection(&heap->Lock);
}

PVOID NTAPI RtlCreateHeap(ULONG flags, PVOID base, SIZE_T reserve, SIZE_T commit, PVOID lock,
    PVOID parameters) {
    (void)lock;
    (void)parameters;
    if (!reserve) reserve = 1024 * 1024;
    reserve = (reserve + 0xFFFF) & ~(SIZE_T)0xFFFF;
    SIZE_T header = UNITS(sizeof(HEAP)) * HEAP_UNIT;
    SIZE_T minimum = (header + sizeof(HEAP_SEGMENT) + 4 * HEAP_UNIT + PAGE - 1) & ~(SIZE_T)(PAGE - 1);
    if (commit < minimum) commit = minimum;
    commit = (commit + PAGE - 1) & ~(SIZE_T)(PAGE - 1);
    if (!base) {
        SIZE_T size = reserve;
        if (!NT_SUCCESS(NtAllocateVirtualMemory(
                NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE)))
            return NULL;
        reserve = size;
        if (!base) return NULL;
        flags |= HEAP_GROWABLE;
    }
    if (!NT_SUCCESS(Commit(base, header))) return NULL;
    PHEAP heap = base;
    memset(heap, 0, sizeof(*heap));
    heap->Signature = HEAP_SIGNATURE;
    heap->Flags = flags & (HEAP_NO_SERIALIZE | HEAP_GROWABLE | HEAP_GENERATE_EXCEPTIONS);
    RtlInitializeCriticalSection(&heap->Lock);
    ListInit(&heap->Segments);
    ListInit(&heap->VirtualBlocks);
    for (int i = 0; i < HEAP_FREE_LISTS; i++) ListInit(&heap->FreeLists[i]);
    heap->NextSegmentReserve = reserve * 2;
    if (!CreateSegment(heap, base, reserve, commit, header)) return NULL;
    return heap;
}

PVOID NTAPI RtlDestroyHeap(PVOID handle) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return handle;
    while (heap->VirtualBlocks.Flink != &heap->VirtualBlocks) {
        PLIST_ENTRY e = heap->VirtualBlocks.Flink;
        ListRemove(e);
        PVOID base = e;
        SIZE_T size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
    }
    RtlDeleteCriticalSection(&heap->Lock);
    heap->Signature = 0;
    /* The first segment holds the heap itself: release it last. */
    PLIST_ENTRY e = heap->Segments.Blink;
    while (e != &heap->Segments) {
        PHEAP_SEGMENT segment = CONTAINING_RECORD(e, HEAP_SEGMENT, Links);
        e = e->Blink;
        PVOID base = segment->Base;
        SIZE_T size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
    }
    return NULL;
}

static PVOID AllocateVirtual(PHEAP heap, SIZE_T size) {
    SIZE_T total = (sizeof(HEAP_VIRTUAL_BLOCK) + size + PAGE - 1) & ~(SIZE_T)(PAGE - 1);
    if (total < size) return NULL;
    PVOID base = NULL;
    SIZE_T length = total;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(
            NtCurrentProcess(), &base, 0, &length, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)))
        return NULL;
    PHEAP_VIRTUAL_BLOCK v = base;
    v->ReservedSize = length;
    v->RequestedSize = size;
    v->Block.Size = 0xFFFFFFFF;
    v->Block.PreviousSize = 0;
    v->Block.Flags = HEAP_BLOCK_BUSY | HEAP_BLOCK_VIRTUAL;
    v->Block.Unused = 0;
    v->Block.Reserved = 0;
    Seal(&v->Block);
    ListInsertTail(&heap->VirtualBlocks, &v->Links);
    return v + 1;
}

static PVOID Allocate(PHEAP heap, SIZE_T size) {
    if (size >= HEAP_VIRTUAL_THRESHOLD) return AllocateVirtual(heap, size);
    ULONG units = (ULONG)UNITS(size + sizeof(HEAP_BLOCK));
    if (units < 2) units = 2;
    PHEAP_BLOCK b = FindFree(heap, units);
    if (!b) b = Grow(heap, units);
    if (!b) return NULL;
    RemoveFree(heap, b);
    Split(heap, b, units);
    b->Flags |= HEAP_BLOCK_BUSY;
    b->Unused = (UCHAR)((SIZE_T)b->Size * HEAP_UNIT - size > 255 ? 255 : b->Size * HEAP_UNIT - size);
    Seal(b);
    LinkNext(b);
    heap->TotalBusy += (SIZE_T)b->Size * HEAP_UNIT;
    return BLOCK_DATA(b);
}

static void RaiseNoMemory(PHEAP heap, ULONG flags) {
    if ((heap->Flags | flags) & HEAP_GENERATE_EXCEPTIONS) {
        EXCEPTION_RECORD record = {0};
        record.ExceptionCode = (DWORD)STATUS_NO_MEMORY;
        record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
        RtlRaiseException(&record);
    }
}

PVOID NTAPI RtlAllocateHeap(PVOID handle, ULONG flags, SIZE_T size) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return NULL;
    if (size > ((SIZE_T)1 << 40)) {
        RaiseNoMemory(heap, flags);
        return NULL;
    }
    Lock(heap, flags);
    PVOID p = Allocate(heap, size);
    Unlock(heap, flags);
    if (!p) {
        RaiseNoMemory(heap, flags);
        return NULL;
    }
    if (flags & HEAP_ZERO_MEMORY) memset(p, 0, size);
    return p;
}

/* The block of a data pointer, when it is one of this heap's busy blocks. */
static PHEAP_BLOCK BusyBlock(PVOID p) {
    if (!p || ((ULONG_PTR)p & (HEAP_UNIT - 1))) return NULL;
    PHEAP_BLOCK b = DATA_BLOCK(p);
    if (b->Check != BlockCheck(b) || !(b->Flags & HEAP_BLOCK_BUSY)) return NULL;
    if (!(b->Flags & HEAP_BLOCK_VIRTUAL) && b->Size < 2) return NULL;
    return b;
}

static void FreeBlock(PHEAP heap, PHEAP_BLOCK b) {
    if (b->Flags & HEAP_BLOCK_VIRTUAL) {
        PHEAP_VIRTUAL_BLOCK v = CONTAINING_RECORD(b, HEAP_VIRTUAL_BLOCK, Block);
        ListRemove(&v->Links);
        b->Check = 0;
        PVOID base = v;
        SIZE_T size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE);
        return;
    }
    heap->TotalBusy -= (SIZE_T)b->Size * HEAP_UNIT;
    b->Flags &= (UCHAR)~HEAP_BLOCK_BUSY;
    PHEAP_BLOCK next = NextBlock(b);
    if (next && !(next->Flags & HEAP_BLOCK_BUSY)) {
        RemoveFree(heap, next);
        b->Size += next->Size;
        b->Flags |= next->Flags & HEAP_BLOCK_LAST;
        next->Check = 0;
    }
    PHEAP_BLOCK previous = PreviousBlock(b);
    if (previous && !(previous->Flags & HEAP_BLOCK_BUSY)) {
        RemoveFree(heap, previous);
        previous->Size += b->Size;
        previous->Flags |= b->Flags & HEAP_BLOCK_LAST;
        b->Check = 0;
        b = previous;
    }
    LinkNext(b);
    InsertFree(heap, b);
}

BOOLEAN NTAPI RtlFreeHeap(PVOID handle, ULONG flags, PVOID p) {
    PHEAP heap = handle;
    if (!p) return TRUE;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return FALSE;
    Lock(heap, flags);
    PHEAP_BLOCK b = BusyBlock(p);
    if (b) FreeBlock(heap, b);
    Unlock(heap, flags);
    if (!b) {
        DbgPrint("HEAP: free of %p, which is not a busy block of heap %p\n", p, handle);
        RtlSetLastWin32Error(87);
        return FALSE;
    }
    return TRUE;
}

static SIZE_T DataSize(PHEAP_BLOCK b) {
    if (b->Flags & HEAP_BLOCK_VIRTUAL) return CONTAINING_RECORD(b, HEAP_VIRTUAL_BLOCK, Block)->RequestedSize;
    return (SIZE_T)b->Size * HEAP_UNIT - b->Unused;
}

SIZE_T NTAPI RtlSizeHeap(PVOID handle, ULONG flags, PVOID p) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return (SIZE_T)-1;
    Lock(heap, flags);
    PHEAP_BLOCK b = BusyBlock(p);
    SIZE_T size = b ? DataSize(b) : (SIZE_T)-1;
    Unlock(heap, flags);
    return size;
}

PVOID NTAPI RtlReAllocateHeap(PVOID handle, ULONG flags, PVOID p, SIZE_T size) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return NULL;
    if (!p) return NULL;
    if (size > ((SIZE_T)1 << 40)) return NULL;
    Lock(heap, flags);
    PHEAP_BLOCK b = BusyBlock(p);
    if (!b) {
        Unlock(heap, flags);
        return NULL;
    }
    SIZE_T old = DataSize(b);
    PVOID result = NULL;
    if (!(b->Flags & HEAP_BLOCK_VIRTUAL) && size < HEAP_VIRTUAL_THRESHOLD) {
        ULONG units = (ULONG)UNITS(size + sizeof(HEAP_BLOCK));
        if (units < 2) units = 2;
        PHEAP_BLOCK next = NextBlock(b);
        if (units > b->Size && next && !(next->Flags & HEAP_BLOCK_BUSY) &&
            b->Size + next->Size >= units) {
            /* Grow into the free block after it. */
            RemoveFree(heap, next);
            heap->TotalBusy += (SIZE_T)next->Size * HEAP_UNIT;
            b->Size += next->Size;
            b->Flags |= next->Flags & HEAP_BLOCK_LAST;
            next->Check = 0;
        }
        if (units <= b->Size) {
            ULONG before = b->Size;
            Split(heap, b, units);
            heap->TotalBusy -= (SIZE_T)(before - b->Size) * HEAP_UNIT;
            b->Unused = (UCHAR)((SIZE_T)b->Size * HEAP_UNIT - size > 255 ? 255 : b->Size * HEAP_UNIT - size);
            Seal(b);
            LinkNext(b);
            /* A free block after a shrink may border another free one: merge them. */
            PHEAP_BLOCK after = NextBlock(b);
            if (after && !(after->Flags & HEAP_BLOCK_BUSY)) {
                PHEAP_BLOCK beyond = NextBlock(after);
                if (beyond && !(beyond->Flags & HEAP_BLOCK_BUSY)) {
                    RemoveFree(heap, after);
                    RemoveFree(heap, beyond);
                    after->Size += beyond->Size;
                    after->Flags |= beyond->Flags & HEAP_BLOCK_LAST;
                    beyond->Check = 0;
                    LinkNext(after);
                    InsertFree(heap, after);
                }
            }
            result = p;
        }
    }
    if (!result && !(flags & HEAP_REALLOC_IN_PLACE_ONLY)) {
        result = Allocate(heap, size);
        if (result) {
            memcpy(result, p, old < size ? old : size);
            FreeBlock(heap, b);
        }
    }
    Unlock(heap, flags);
    if (!result) {
        RaiseNoMemory(heap, flags);
        return NULL;
    }
    if ((flags & HEAP_ZERO_MEMORY) && size > old) memset((PUCHAR)result + old, 0, size - old);
    return result;
}

BOOLEAN NTAPI RtlValidateHeap(PVOID handle, ULONG flags, PVOID p) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return FALSE;
    Lock(heap, flags);
    BOOLEAN ok = TRUE;
    if (p) {
        ok = BusyBlock(p) != NULL;
    } else {
        for (PLIST_ENTRY e = heap->Segments.Flink; ok && e != &heap->Segments; e = e->Flink) {
            PHEAP_SEGMENT segment = CONTAINING_RECORD(e, HEAP_SEGMENT, Links);
            ULONG previous = 0;
            PUCHAR end = segment->Base + segment->CommittedSize;
            for (PHEAP_BLOCK b = segment->FirstBlock; b; b = NextBlock(b)) {
                if (!Valid(b) || b->PreviousSize != previous || (PUCHAR)b + b->Size * HEAP_UNIT > end) {
                    ok = FALSE;
                    break;
                }
                previous = b->Size;
                if ((b->Flags & HEAP_BLOCK_LAST) && (PUCHAR)b + b->Size * HEAP_UNIT != end) ok = FALSE;
            }
        }
    }
    Unlock(heap, flags);
    return ok;
}

BOOLEAN NTAPI RtlLockHeap(PVOID handle) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return FALSE;
    RtlEnterCriticalSection(&heap->Lock);
    return TRUE;
}

BOOLEAN NTAPI RtlUnlockHeap(PVOID handle) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return FALSE;
    RtlLeaveCriticalSection(&heap->Lock);
    return TRUE;
}

SIZE_T NTAPI RtlCompactHeap(PVOID handle, ULONG flags) {
    PHEAP heap = handle;
    if (!heap || heap->Signature != HEAP_SIGNATURE) return 0;
    SIZE_T largest = 0;
    Lock(heap, flags);
    for (int i = 0; i < HEAP_FREE_LISTS; i++)
        for (PLIST_ENTRY e = heap->FreeLists[i].Flink; e != &heap->FreeLists[i]; e = e->Flink) {
            PHEAP_BLOCK b = (PHEAP_BLOCK)((PUCHAR)e - sizeof(HEAP_BLOCK));
            if ((SIZE_T)b->Size * HEAP_UNIT > largest) largest = (SIZE_T)b->Size * HEAP_UNIT;
        }
    Unlock(heap, flags);
    return largest;
}
