/* Process and thread initialisation (Guest/ABI.md, "Process start", "Thread start") and the
   loader functions: module lookup, dynamic loads, DLL notifications, shutdown.

   The executive has mapped every image and linked it into the PEB's three lists before the
   first instruction runs; ntdll only calls what the images ask to be called: TLS callbacks
   and DLL entry points, in initialisation order, under the loader lock. */
#include "ntdll.h"

RTL_CRITICAL_SECTION LdrpLoaderLock;
static RTL_CRITICAL_SECTION FastPebLock;
static BOOLEAN LdrpProcessInitialized;
static BOOLEAN LdrpShutdownInProgress;
PVOID Kernel32ThreadInitThunkFunction;

typedef BOOL(WINAPI *DLL_ENTRY)(PVOID base, ULONG reason, PVOID reserved);

#define LDRP_DONT_CALL_FOR_THREADS 0x00040000

static PLIST_ENTRY LoadOrder(void) { return &NtCurrentPeb()->Ldr->InLoadOrderModuleList; }
static PLIST_ENTRY InitOrder(void) { return &NtCurrentPeb()->Ldr->InInitializationOrderModuleList; }

PLDR_DATA_TABLE_ENTRY LdrpFindEntryByBase(PVOID base) {
    PLIST_ENTRY head = LoadOrder();
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY entry = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if (entry->DllBase == base) return entry;
    }
    return NULL;
}

NTSTATUS NTAPI LdrFindEntryForAddress(PVOID address, PLDR_DATA_TABLE_ENTRY *result) {
    PLIST_ENTRY head = LoadOrder();
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY entry = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        if ((PUCHAR)address >= (PUCHAR)entry->DllBase &&
            (PUCHAR)address < (PUCHAR)entry->DllBase + entry->SizeOfImage) {
            *result = entry;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NO_MORE_ENTRIES;
}

/* The file-name part of a name, and whether it has an extension. */
static void BaseName(PCWSTR name, SIZE_T length, PCWSTR *start, SIZE_T *baseLength, BOOLEAN *dot) {
    SIZE_T from = 0;
    for (SIZE_T i = 0; i < length; i++)
        if (name[i] == '\\' || name[i] == '/') from = i + 1;
    *start = name + from;
    *baseLength = length - from;
    *dot = FALSE;
    for (SIZE_T i = from; i < length; i++)
        if (name[i] == '.') *dot = TRUE;
}

static BOOLEAN SameName(PCWSTR a, SIZE_T aLength, PCWSTR b, SIZE_T bLength) {
    if (aLength != bLength) return FALSE;
    for (SIZE_T i = 0; i < aLength; i++)
        if (RtlUpcaseUnicodeChar(a[i]) != RtlUpcaseUnicodeChar(b[i])) return FALSE;
    return TRUE;
}

/* A loaded module by name: "KERNEL32", "kernel32.dll", or a path ending in either. */
PLDR_DATA_TABLE_ENTRY LdrpFindEntryByName(PCWSTR name, SIZE_T length) {
    PCWSTR base;
    SIZE_T baseLength;
    BOOLEAN dot;
    BaseName(name, length, &base, &baseLength, &dot);
    PLIST_ENTRY head = LoadOrder();
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY entry = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        PCWSTR module = entry->BaseDllName.Buffer;
        SIZE_T moduleLength = entry->BaseDllName.Length / sizeof(WCHAR);
        if (!module) continue;
        if (SameName(base, baseLength, module, moduleLength)) return entry;
        /* "kernel32" names "kernel32.dll". */
        if (!dot && moduleLength == baseLength + 4 && SameName(base, baseLength, module, baseLength) &&
            SameName(L".dll", 4, module + baseLength, 4))
            return entry;
    }
    return NULL;
}

NTSTATUS NTAPI LdrGetDllHandle(PWSTR path, PULONG characteristics, PUNICODE_STRING name, PVOID *base) {
    (void)path;
    (void)characteristics;
    if (!name || !name->Buffer) return STATUS_INVALID_PARAMETER;
    PLDR_DATA_TABLE_ENTRY entry = LdrpFindEntryByName(name->Buffer, name->Length / sizeof(WCHAR));
    if (!entry) {
        *base = NULL;
        return STATUS_DLL_NOT_FOUND;
    }
    *base = entry->DllBase;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LdrGetProcedureAddress(PVOID base, PANSI_STRING name, ULONG ordinal, PVOID *address) {
    char buffer[256];
    const char *n = NULL;
    if (name && name->Buffer) {
        if (name->Length >= sizeof(buffer)) return STATUS_ENTRYPOINT_NOT_FOUND;
        memcpy(buffer, name->Buffer, name->Length);
        buffer[name->Length] = 0;
        n = buffer;
    }
    if (!RtlImageNtHeader(base)) return STATUS_INVALID_IMAGE_FORMAT;
    PVOID found = LdrpFindExport(base, n, ordinal, 0);
    *address = found;
    if (found) return STATUS_SUCCESS;
    return n ? STATUS_ENTRYPOINT_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
}

/* ---- Notifications ---- */

static void CallTlsCallbacks(PLDR_DATA_TABLE_ENTRY entry, ULONG reason) {
    ULONG size;
    PIMAGE_TLS_DIRECTORY tls =
        RtlImageDirectoryEntryToData(entry->DllBase, TRUE, IMAGE_DIRECTORY_ENTRY_TLS, &size);
    if (!tls || size < sizeof(*tls) || !tls->AddressOfCallBacks) return;
    PUCHAR low = entry->DllBase, high = low + entry->SizeOfImage;
    for (PIMAGE_TLS_CALLBACK *callback = (PIMAGE_TLS_CALLBACK *)tls->AddressOfCallBacks;
         (PUCHAR)callback >= low && (PUCHAR)callback + sizeof(*callback) <= high && *callback;
         callback++) {
        if ((PUCHAR)*callback < low || (PUCHAR)*callback >= high) break;
        (*callback)(entry->DllBase, reason, NULL);
    }
}

static BOOLEAN IsExecutable(PLDR_DATA_TABLE_ENTRY entry) {
    return entry->DllBase == NtCurrentPeb()->ImageBaseAddress;
}

static BOOL CallEntry(PLDR_DATA_TABLE_ENTRY entry, ULONG reason, PVOID reserved) {
    if (!entry->EntryPoint || IsExecutable(entry)) return TRUE;
    return ((DLL_ENTRY)entry->EntryPoint)(entry->DllBase, reason, reserved);
}

/* Process-attaches every module of the initialisation-order list not yet attached. A DLL
   whose entry point fails fails the whole call. */
static NTSTATUS AttachNewModules(PVOID reserved) {
    PLIST_ENTRY head = InitOrder();
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        PLDR_DATA_TABLE_ENTRY entry =
            CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (entry->Flags & LDRP_PROCESS_ATTACH_CALLED) continue;
        entry->Flags |= LDRP_PROCESS_ATTACH_CALLED | LDRP_ENTRY_PROCESSED;
        if (IsExecutable(entry)) continue;
        PLDR_DATA_TABLE_ENTRY previous = NtCurrentPeb()->Ldr->EntryInProgress;
        NtCurrentPeb()->Ldr->EntryInProgress = entry;
        CallTlsCallbacks(entry, DLL_PROCESS_ATTACH);
        BOOL ok = CallEntry(entry, DLL_PROCESS_ATTACH, reserved);
        NtCurrentPeb()->Ldr->EntryInProgress = previous;
        if (!ok) {
            DbgPrint("LDR: %wZ's entry point failed DLL_PROCESS_ATTACH\n", &entry->BaseDllName);
            return STATUS_DLL_INIT_FAILED;
        }
    }
    return STATUS_SUCCESS;
}

void LdrpCallThreadCallouts(ULONG reason) {
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PLIST_ENTRY head = InitOrder();
    if (reason == DLL_THREAD_ATTACH) {
        for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
            PLDR_DATA_TABLE_ENTRY entry =
                CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
            if (!(entry->Flags & LDRP_PROCESS_ATTACH_CALLED) || IsExecutable(entry)) continue;
            CallTlsCallbacks(entry, reason);
            if (!(entry->Flags & LDRP_DONT_CALL_FOR_THREADS)) CallEntry(entry, reason, NULL);
        }
    } else {
        for (PLIST_ENTRY e = head->Blink; e != head; e = e->Blink) {
            PLDR_DATA_TABLE_ENTRY entry =
                CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
            if (!(entry->Flags & LDRP_PROCESS_ATTACH_CALLED) || IsExecutable(entry)) continue;
            if (!(entry->Flags & LDRP_DONT_CALL_FOR_THREADS)) CallEntry(entry, reason, NULL);
            CallTlsCallbacks(entry, reason);
        }
    }
    PLDR_DATA_TABLE_ENTRY exe = LdrpFindEntryByBase(NtCurrentPeb()->ImageBaseAddress);
    if (exe) CallTlsCallbacks(exe, reason);
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID base) {
    PLDR_DATA_TABLE_ENTRY entry = LdrpFindEntryByBase(base);
    if (!entry) return STATUS_DLL_NOT_FOUND;
    entry->Flags |= LDRP_DONT_CALL_FOR_THREADS;
    return STATUS_SUCCESS;
}

/* ---- Dynamic loads ---- */

NTSTATUS NTAPI LdrLoadDll(PWSTR path, PULONG characteristics, PUNICODE_STRING name, PVOID *base) {
    if (!name || !name->Buffer || !name->Length) return STATUS_INVALID_PARAMETER;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    PLDR_DATA_TABLE_ENTRY entry = LdrpFindEntryByName(name->Buffer, name->Length / sizeof(WCHAR));
    NTSTATUS status = STATUS_SUCCESS;
    if (entry) {
        if (entry->ObsoleteLoadCount != 0xFFFF) entry->ObsoleteLoadCount++;
        *base = entry->DllBase;
    } else {
        /* A name without an extension means NAME.dll. */
        WCHAR buffer[MAX_PATH + 8];
        UNICODE_STRING full = *name;
        PCWSTR b;
        SIZE_T l;
        BOOLEAN dot;
        BaseName(name->Buffer, name->Length / sizeof(WCHAR), &b, &l, &dot);
        if (!dot && name->Length / sizeof(WCHAR) + 4 < MAX_PATH) {
            SIZE_T n = name->Length / sizeof(WCHAR);
            memcpy(buffer, name->Buffer, name->Length);
            memcpy(buffer + n, L".dll", 5 * sizeof(WCHAR));
            RtlInitUnicodeString(&full, buffer);
        }
        status = NtXcdbLoadDll(&full, base);
        if (NT_SUCCESS(status) && LdrpProcessInitialized) status = AttachNewModules(NULL);
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    (void)path;
    (void)characteristics;
    return status;
}

/* Images stay mapped once loaded (the machine has no unmapping service); the count is kept
   for the debugger's display. */
NTSTATUS NTAPI LdrUnloadDll(PVOID base) {
    PLDR_DATA_TABLE_ENTRY entry = LdrpFindEntryByBase(base);
    if (!entry) return STATUS_DLL_NOT_FOUND;
    if (entry->ObsoleteLoadCount != 0xFFFF && entry->ObsoleteLoadCount > 1) entry->ObsoleteLoadCount--;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LdrLockLoaderLock(ULONG flags, PULONG disposition, PVOID *cookie) {
    (void)flags;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    if (disposition) *disposition = 1;
    if (cookie) *cookie = &LdrpLoaderLock;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG flags, PVOID cookie) {
    (void)flags;
    (void)cookie;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return STATUS_SUCCESS;
}

/* ---- Start-up ---- */

/* CDB's initial breakpoint: the int 3 the debugger reports as
   "Break instruction exception - code 80000003 (first chance)". Without a debugger the
   breakpoint is handled here and start-up goes on. */
__declspec(noinline) void LdrpDoDebuggerBreak(void) {
    __try {
        __debugbreak();
    } __except (1) {
    }
}

static void InitializeProcess(void) {
    PPEB peb = NtCurrentPeb();
    RtlInitializeCriticalSection(&LdrpLoaderLock);
    RtlInitializeCriticalSection(&FastPebLock);
    peb->LoaderLock = &LdrpLoaderLock;
    peb->FastPebLock = &FastPebLock;
    RtlpInitializeTls();
    RtlpInitializeProcessHeap();
    LdrpRegisterThread(NtCurrentTeb());
    static const WCHAR kernel32[] = L"kernel32.dll";
    PLDR_DATA_TABLE_ENTRY entry = LdrpFindEntryByName(kernel32, 12);
    if (entry) Kernel32ThreadInitThunkFunction = LdrpFindExport(entry->DllBase, "BaseThreadInitThunk", 0, 0);
    peb->Ldr->Initialized = TRUE;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    LdrpProcessInitialized = TRUE;
    if (peb->BeingDebugged) LdrpDoDebuggerBreak();
    NTSTATUS status = AttachNewModules((PVOID)1);
    PLDR_DATA_TABLE_ENTRY exe = LdrpFindEntryByBase(peb->ImageBaseAddress);
    if (NT_SUCCESS(status) && exe) CallTlsCallbacks(exe, DLL_PROCESS_ATTACH);
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    if (!NT_SUCCESS(status)) NtTerminateProcess(NtCurrentProcess(), status);
}

/* Called by LdrInitializeThunk (below) on every new thread with the CONTEXT the executive
   prepared; ends by continuing it. */
DECLSPEC_NORETURN void LdrpInitialize(PCONTEXT context) {
    if (!LdrpProcessInitialized) {
        InitializeProcess();
    } else {
        LdrpRegisterThread(NtCurrentTeb());
        LdrpCallThreadCallouts(DLL_THREAD_ATTACH);
    }
    NTSTATUS status = NtContinue(context, TRUE);
    RtlRaiseStatus(status);
}

/* The first instruction of every thread. The executive enters with rcx = the CONTEXT to
   continue; the frame pointer lets the unwinder pass this frame whatever the entry rsp. */
__attribute__((naked)) void LdrInitializeThunk(void) {
    __asm__(".seh_proc LdrInitializeThunk\n\t"
            "pushq %rbp\n\t"
            ".seh_pushreg %rbp\n\t"
            "movq %rsp, %rbp\n\t"
            ".seh_setframe %rbp, 0\n\t"
            ".seh_endprologue\n\t"
            "andq $-16, %rsp\n\t"
            "subq $0x20, %rsp\n\t"
            "callq LdrpInitialize\n\t"
            "int3\n\t"
            ".seh_endproc");
}

/* ---- Shutdown ---- */

void NTAPI LdrShutdownThread(void) {
    if (!LdrpShutdownInProgress) LdrpCallThreadCallouts(DLL_THREAD_DETACH);
}

void NTAPI LdrShutdownProcess(void) {
    RtlEnterCriticalSection(&LdrpLoaderLock);
    if (LdrpShutdownInProgress) {
        RtlLeaveCriticalSection(&LdrpLoaderLock);
        return;
    }
    LdrpShutdownInProgress = TRUE;
    NtCurrentPeb()->Ldr->ShutdownInProgress = TRUE;
    NtCurrentPeb()->Ldr->ShutdownThreadId = NtCurrentTeb()->ClientId.UniqueThread;
    PLDR_DATA_TABLE_ENTRY exe = LdrpFindEntryByBase(NtCurrentPeb()->ImageBaseAddress);
    if (exe) CallTlsCallbacks(exe, DLL_PROCESS_DETACH);
    PLIST_ENTRY head = InitOrder();
    for (PLIST_ENTRY e = head->Blink; e != head; e = e->Blink) {
        PLDR_DATA_TABLE_ENTRY entry =
            CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks);
        if (!(entry->Flags & LDRP_PROCESS_ATTACH_CALLED) || IsExecutable(entry)) continue;
        CallEntry(entry, DLL_PROCESS_DETACH, (PVOID)1);
        CallTlsCallbacks(entry, DLL_PROCESS_DETACH);
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

/* ---- PEB lock and parameters ---- */

void NTAPI RtlAcquirePebLock(void) { RtlEnterCriticalSection(&FastPebLock); }
void NTAPI RtlReleasePebLock(void) { RtlLeaveCriticalSection(&FastPebLock); }
PVOID NTAPI RtlGetCurrentPeb(void) { return NtCurrentPeb(); }
PRTL_USER_PROCESS_PARAMETERS NTAPI RtlGetCurrentProcessParameters(void) {
    return NtCurrentPeb()->ProcessParameters;
}

void NTAPI RtlGetNtVersionNumbers(PULONG major, PULONG minor, PULONG build) {
    PPEB peb = NtCurrentPeb();
    if (major) *major = peb->OSMajorVersion;
    if (minor) *minor = peb->OSMinorVersion;
    if (build) *build = 0xF0000000u | peb->OSBuildNumber;
}

/* RTL_OSVERSIONINFOW (0x114 bytes) or RTL_OSVERSIONINFOEXW (0x11C). */
NTSTATUS NTAPI RtlGetVersion(PVOID information) {
    PULONG info = information;
    PPEB peb = NtCurrentPeb();
    ULONG size = info[0];
    if (size != 0x114 && size != 0x11C) return STATUS_INVALID_PARAMETER;
    memset(info + 1, 0, size - 4);
    info[1] = peb->OSMajorVersion;
    info[2] = peb->OSMinorVersion;
    info[3] = peb->OSBuildNumber;
    info[4] = peb->OSPlatformId;
    if (size == 0x11C) ((PUCHAR)info)[0x11A] = 1; /* wProductType: VER_NT_WORKSTATION */
    return STATUS_SUCCESS;
}
