/* The heap's layout, for ntdll and for a debugger's !heap.

   A heap is a list of segments. Each segment is one reservation from NtAllocateVirtualMemory,
   committed from its start as it fills. The first segment begins with the HEAP header; every
   segment has a HEAP_SEGMENT header (in the first segment right after the HEAP), then blocks
   back to back up to the end of its committed range:

     HEAP_BLOCK (16 bytes)     Size and PreviousSize in 16-byte units (the header included;
                               PreviousSize 0 for a segment's first block), Flags (BUSY 0x01,
                               VIRTUAL 0x08, LAST 0x10: the segment's last block), Unused (bytes
                               of a busy block beyond what was asked for, header included),
                               Check (the other fields XORed with HEAP_BLOCK_CHECK, to catch a
                               stray pointer or an overwritten header)
     data                      16-byte aligned; a free block keeps its LIST_ENTRY here, linked
                               into HEAP.FreeLists[Size] (sizes below 128 units) or
                               HEAP.FreeLists[0] (larger ones)

   Requests above HEAP_VIRTUAL_THRESHOLD bytes get a reservation of their own: a
   HEAP_VIRTUAL_BLOCK (links in HEAP.VirtualBlocks, sizes) followed by a HEAP_BLOCK with the
   VIRTUAL flag and the data. */
#ifndef XCDB_NTDLL_HEAP_H
#define XCDB_NTDLL_HEAP_H

#include <winternl.h>

#define HEAP_SIGNATURE 0x50414548u       /* "HEAP" */
#define HEAP_SEGMENT_SIGNATURE 0x47455348u /* "HSEG" */
#define HEAP_BLOCK_CHECK 0xB10CB10Cu
#define HEAP_UNIT 16
#define HEAP_FREE_LISTS 128
#define HEAP_VIRTUAL_THRESHOLD (512 * 1024)

#define HEAP_BLOCK_BUSY 0x01
#define HEAP_BLOCK_VIRTUAL 0x08
#define HEAP_BLOCK_LAST 0x10

typedef struct _HEAP_BLOCK {
    ULONG Size;
    ULONG PreviousSize;
    UCHAR Flags;
    UCHAR Unused;
    USHORT Reserved;
    ULONG Check;
} HEAP_BLOCK, *PHEAP_BLOCK;

typedef struct _HEAP_SEGMENT {
    ULONG Signature;
    ULONG Index;
    LIST_ENTRY Links;           /* in HEAP.Segments */
    struct _HEAP *Heap;
    PUCHAR Base;                /* the reservation */
    SIZE_T ReservedSize;
    SIZE_T CommittedSize;       /* from Base */
    PHEAP_BLOCK FirstBlock;
    SIZE_T Padding;
} HEAP_SEGMENT, *PHEAP_SEGMENT;

typedef struct _HEAP_VIRTUAL_BLOCK {
    LIST_ENTRY Links;           /* in HEAP.VirtualBlocks */
    SIZE_T ReservedSize;
    SIZE_T RequestedSize;
    HEAP_BLOCK Block;
} HEAP_VIRTUAL_BLOCK, *PHEAP_VIRTUAL_BLOCK;

typedef struct _HEAP {
    ULONG Signature;
    ULONG Flags;
    RTL_CRITICAL_SECTION Lock;
    LIST_ENTRY Segments;
    LIST_ENTRY VirtualBlocks;
    ULONG SegmentCount;
    ULONG FreeListBitmap[HEAP_FREE_LISTS / 32];
    SIZE_T NextSegmentReserve;
    SIZE_T TotalFree;           /* bytes in free blocks */
    SIZE_T TotalBusy;           /* bytes in busy blocks, headers included */
    LIST_ENTRY FreeLists[HEAP_FREE_LISTS];
} HEAP, *PHEAP;

#endif
