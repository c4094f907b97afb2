/* x64 unwinding as Windows does it: function tables (each loaded image's .pdata, found
   through the loader list, plus tables added at run time) and context capture and restore.
   RtlVirtualUnwind is in virtualunwind.c. */
#include "ntdll.h"

/* ---- Function tables ---- */

typedef struct _DYNAMIC_TABLE {
    struct _DYNAMIC_TABLE *Next;
    PRUNTIME_FUNCTION Table;
    DWORD Count;
    DWORD64 Base;
} DYNAMIC_TABLE;
static DYNAMIC_TABLE *DynamicTables;
static volatile LONG DynamicTablesLock;

static PRUNTIME_FUNCTION Search(PRUNTIME_FUNCTION table, DWORD count, DWORD rva) {
    LONG low = 0, high = (LONG)count - 1;
    while (low <= high) {
        LONG mid = (low + high) / 2;
        if (rva < table[mid].BeginAddress) high = mid - 1;
        else if (rva >= table[mid].EndAddress) low = mid + 1;
        else return &table[mid];
    }
    return NULL;
}

PRUNTIME_FUNCTION NTAPI RtlLookupFunctionEntry(
    DWORD64 pc, PDWORD64 imageBase, PUNWIND_HISTORY_TABLE history) {
    (void)history;
    *imageBase = 0;
    PLDR_DATA_TABLE_ENTRY entry;
    if (NT_SUCCESS(LdrFindEntryForAddress((PVOID)pc, &entry))) {
        ULONG size;
        PRUNTIME_FUNCTION table =
            RtlImageDirectoryEntryToData(entry->DllBase, TRUE, IMAGE_DIRECTORY_ENTRY_EXCEPTION, &size);
        *imageBase = (DWORD64)entry->DllBase;
        if (!table) return NULL;
        return Search(table, size / sizeof(RUNTIME_FUNCTION), (DWORD)(pc - (DWORD64)entry->DllBase));
    }
    PRUNTIME_FUNCTION found = NULL;
    RtlpAcquireSpinLock(&DynamicTablesLock);
    for (DYNAMIC_TABLE *t = DynamicTables; t && !found; t = t->Next) {
        if (pc < t->Base || pc - t->Base > 0xFFFFFFFFull) continue;
        found = Search(t->Table, t->Count, (DWORD)(pc - t->Base));
        if (found) *imageBase = t->Base;
    }
    RtlpReleaseSpinLock(&DynamicTablesLock);
    return found;
}

BOOLEAN NTAPI RtlAddFunctionTable(PRUNTIME_FUNCTION table, DWORD count, DWORD64 base) {
    DYNAMIC_TABLE *t = RtlAllocateHeap(RtlpProcessHeap(), 0, sizeof(*t));
    if (!t) return FALSE;
    t->Table = table;
    t->Count = count;
    t->Base = base;
    RtlpAcquireSpinLock(&DynamicTablesLock);
    t->Next = DynamicTables;
    DynamicTables = t;
    RtlpReleaseSpinLock(&DynamicTablesLock);
    return TRUE;
}

BOOLEAN NTAPI RtlDeleteFunctionTable(PRUNTIME_FUNCTION table) {
    DYNAMIC_TABLE *found = NULL;
    RtlpAcquireSpinLock(&DynamicTablesLock);
    for (DYNAMIC_TABLE **p = &DynamicTables; *p; p = &(*p)->Next)
        if ((*p)->Table == table) {
            found = *p;
            *p = found->Next;
            break;
        }
    RtlpReleaseSpinLock(&DynamicTablesLock);
    if (found) RtlFreeHeap(RtlpProcessHeap(), 0, found);
    return found != NULL;
}

/* ---- Context capture and restore ---- */

/* Fills a CONTEXT with the caller's registers as they are at the return address. */
__attribute__((naked)) void NTAPI RtlCaptureContext(PCONTEXT context) {
    __asm__(".seh_proc RtlCaptureContext\n\t"
            "pushfq\n\t"
            ".seh_stackalloc 8\n\t"
            ".seh_endprologue\n\t"
            "movq %rax, 0x78(%rcx)\n\t"
            "movq %rcx, 0x80(%rcx)\n\t"
            "movq %rdx, 0x88(%rcx)\n\t"
            "movq %rbx, 0x90(%rcx)\n\t"
            "leaq 0x10(%rsp), %rax\n\t"
            "movq %rax, 0x98(%rcx)\n\t"
            "movq %rbp, 0xa0(%rcx)\n\t"
            "movq %rsi, 0xa8(%rcx)\n\t"
            "movq %rdi, 0xb0(%rcx)\n\t"
            "movq %r8, 0xb8(%rcx)\n\t"
            "movq %r9, 0xc0(%rcx)\n\t"
            "movq %r10, 0xc8(%rcx)\n\t"
            "movq %r11, 0xd0(%rcx)\n\t"
            "movq %r12, 0xd8(%rcx)\n\t"
            "movq %r13, 0xe0(%rcx)\n\t"
            "movq %r14, 0xe8(%rcx)\n\t"
            "movq %r15, 0xf0(%rcx)\n\t"
            "movw %cs, 0x38(%rcx)\n\t"
            "movw %ds, 0x3a(%rcx)\n\t"
            "movw %es, 0x3c(%rcx)\n\t"
            "movw %fs, 0x3e(%rcx)\n\t"
            "movw %gs, 0x40(%rcx)\n\t"
            "movw %ss, 0x42(%rcx)\n\t"
            "fxsave 0x100(%rcx)\n\t"
            "stmxcsr 0x34(%rcx)\n\t"
            "movq 8(%rsp), %rax\n\t"
            "movq %rax, 0xf8(%rcx)\n\t"
            "movl (%rsp), %eax\n\t"
            "movl %eax, 0x44(%rcx)\n\t"
            "movl $0x10000f, 0x30(%rcx)\n\t"
            "movq 0x78(%rcx), %rax\n\t"
            "addq $8, %rsp\n\t"
            "ret\n\t"
            ".seh_endproc");
}

/* Loads a context into the thread. With a STATUS_LONGJUMP record, the non-volatile registers
   come from the _JUMP_BUFFER it carries (what longjmp's unwind ends in). */
DECLSPEC_NORETURN void NTAPI RtlRestoreContext(PCONTEXT c, PEXCEPTION_RECORD record) {
    if (record && record->ExceptionCode == (DWORD)STATUS_LONGJUMP && record->NumberParameters >= 1) {
        const DWORD64 *jb = (const DWORD64 *)record->ExceptionInformation[0];
        c->Rbx = jb[1];
        c->Rsp = jb[2];
        c->Rbp = jb[3];
        c->Rsi = jb[4];
        c->Rdi = jb[5];
        c->R12 = jb[6];
        c->R13 = jb[7];
        c->R14 = jb[8];
        c->R15 = jb[9];
        c->Rip = jb[10];
        c->MxCsr = (DWORD)jb[11];
        c->FltSave.MxCsr = c->MxCsr;
        c->FltSave.ControlWord = (WORD)(jb[11] >> 32);
        memcpy(&c->Xmm6, jb + 12, 10 * sizeof(M128A));
    }
    NTSTATUS status = NtContinue(c, FALSE);
    RtlRaiseStatus(status);
}
