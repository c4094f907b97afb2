/* Virtual memory and heaps. HeapAlloc, HeapReAlloc and HeapSize are ntdll's (forwarded in
   kernel32.def); the functions here add the Win32 conventions (BOOL results, last error). */
#include "k32.h"

LPVOID WINAPI VirtualAllocEx(HANDLE process, LPVOID address, SIZE_T size, DWORD type, DWORD protect) {
    PVOID base = address;
    SIZE_T length = size;
    NTSTATUS status = NtAllocateVirtualMemory(process, &base, 0, &length, type, protect);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return base;
}

LPVOID WINAPI VirtualAlloc(LPVOID address, SIZE_T size, DWORD type, DWORD protect) {
    return VirtualAllocEx(NtCurrentProcess(), address, size, type, protect);
}

BOOL WINAPI VirtualFreeEx(HANDLE process, LPVOID address, SIZE_T size, DWORD type) {
    if ((type & MEM_RELEASE) && size) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    PVOID base = address;
    SIZE_T length = size;
    NTSTATUS status = NtFreeVirtualMemory(process, &base, &length, type);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI VirtualFree(LPVOID address, SIZE_T size, DWORD type) {
    return VirtualFreeEx(NtCurrentProcess(), address, size, type);
}

BOOL WINAPI VirtualProtectEx(HANDLE process, LPVOID address, SIZE_T size, DWORD protect, PDWORD old) {
    PVOID base = address;
    SIZE_T length = size;
    ULONG previous;
    NTSTATUS status = NtProtectVirtualMemory(process, &base, &length, protect, &previous);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    if (old) *old = previous;
    return TRUE;
}

BOOL WINAPI VirtualProtect(LPVOID address, SIZE_T size, DWORD protect, PDWORD old) {
    return VirtualProtectEx(NtCurrentProcess(), address, size, protect, old);
}

SIZE_T WINAPI VirtualQueryEx(HANDLE process, LPCVOID address, PMEMORY_BASIC_INFORMATION info, SIZE_T length) {
    SIZE_T returned = 0;
    NTSTATUS status = NtQueryVirtualMemory(process, (PVOID)address, 0, info, length, &returned);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return 0;
    }
    return returned;
}

SIZE_T WINAPI VirtualQuery(LPCVOID address, PMEMORY_BASIC_INFORMATION info, SIZE_T length) {
    return VirtualQueryEx(NtCurrentProcess(), address, info, length);
}

BOOL WINAPI IsBadReadPtr(const void *pointer, UINT_PTR size) {
    if (!size) return FALSE;
    if (!pointer) return TRUE;
    const BYTE *p = pointer, *end = p + size;
    while (p < end) {
        MEMORY_BASIC_INFORMATION info;
        if (!VirtualQuery(p, &info, sizeof(info)) || info.State != MEM_COMMIT ||
            (info.Protect & (PAGE_NOACCESS | PAGE_GUARD)) || !(info.Protect & 0xEE))
            return TRUE;
        p = (const BYTE *)info.BaseAddress + info.RegionSize;
    }
    return FALSE;
}

BOOL WINAPI IsBadWritePtr(LPVOID pointer, UINT_PTR size) {
    if (!size) return FALSE;
    if (!pointer) return TRUE;
    const BYTE *p = pointer, *end = p + size;
    while (p < end) {
        MEMORY_BASIC_INFORMATION info;
        if (!VirtualQuery(p, &info, sizeof(info)) || info.State != MEM_COMMIT ||
            !(info.Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
            return TRUE;
        p = (const BYTE *)info.BaseAddress + info.RegionSize;
    }
    return FALSE;
}

BOOL WINAPI ReadProcessMemory(HANDLE process, LPCVOID address, LPVOID buffer, SIZE_T size, SIZE_T *read) {
    if (process != NtCurrentProcess() || IsBadReadPtr(address, size)) {
        SetLastError(ERROR_NOACCESS);
        return FALSE;
    }
    memcpy(buffer, address, size);
    if (read) *read = size;
    return TRUE;
}

BOOL WINAPI WriteProcessMemory(HANDLE process, LPVOID address, LPCVOID buffer, SIZE_T size, SIZE_T *written) {
    if (process != NtCurrentProcess() || IsBadWritePtr(address, size)) {
        SetLastError(ERROR_NOACCESS);
        return FALSE;
    }
    memcpy(address, buffer, size);
    if (written) *written = size;
    return TRUE;
}

BOOL WINAPI FlushInstructionCache(HANDLE process, LPCVOID address, SIZE_T size) {
    (void)process;
    (void)address;
    (void)size;
    return TRUE;
}

BOOL WINAPI GlobalMemoryStatusEx(LPMEMORYSTATUSEX status) {
    if (status->dwLength != sizeof(*status)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONG pages = *(volatile ULONG *)(XCDB_USER_SHARED_DATA + KUSER_NumberOfPhysicalPages);
    DWORDLONG total = pages ? (DWORDLONG)pages * 0x1000 : (DWORDLONG)1 << 30;
    status->dwMemoryLoad = 0;
    status->ullTotalPhys = status->ullAvailPhys = total;
    status->ullTotalPageFile = status->ullAvailPageFile = total;
    status->ullTotalVirtual = status->ullAvailVirtual = 0x7FFFFFFE0000ull;
    status->ullAvailExtendedVirtual = 0;
    return TRUE;
}

/* ---- Heaps ---- */

HANDLE WINAPI GetProcessHeap(void) { return NtCurrentPeb()->ProcessHeap; }

DWORD WINAPI GetProcessHeaps(DWORD count, PHANDLE heaps) { return RtlGetProcessHeaps(count, heaps); }

HANDLE WINAPI HeapCreate(DWORD options, SIZE_T initial, SIZE_T maximum) {
    ULONG flags = (options & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS)) | (maximum ? 0 : HEAP_GROWABLE);
    HANDLE heap = RtlCreateHeap(flags, NULL, maximum ? maximum : 0x100000, initial, NULL, NULL);
    if (!heap) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return heap;
}

BOOL WINAPI HeapDestroy(HANDLE heap) {
    if (heap == NtCurrentPeb()->ProcessHeap || RtlDestroyHeap(heap)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, LPVOID p) { return RtlFreeHeap(heap, flags, p) ? TRUE : FALSE; }

BOOL WINAPI HeapValidate(HANDLE heap, DWORD flags, LPCVOID p) { return RtlValidateHeap(heap, flags, (PVOID)p); }

SIZE_T WINAPI HeapCompact(HANDLE heap, DWORD flags) { return RtlCompactHeap(heap, flags); }

BOOL WINAPI HeapLock(HANDLE heap) { return RtlLockHeap(heap); }

BOOL WINAPI HeapUnlock(HANDLE heap) { return RtlUnlockHeap(heap); }

/* Local and global memory: fixed blocks of the process heap (no movable handles). */
HLOCAL WINAPI LocalAlloc(UINT flags, SIZE_T size) {
    PVOID p = RtlAllocateHeap(BaseHeap(), (flags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, size ? size : 1);
    if (!p) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

HLOCAL WINAPI LocalReAlloc(HLOCAL memory, SIZE_T size, UINT flags) {
    PVOID p = RtlReAllocateHeap(BaseHeap(), (flags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, memory, size ? size : 1);
    if (!p) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

HLOCAL WINAPI LocalFree(HLOCAL memory) {
    if (!memory || RtlFreeHeap(BaseHeap(), 0, memory)) return NULL;
    SetLastError(ERROR_INVALID_HANDLE);
    return memory;
}

SIZE_T WINAPI LocalSize(HLOCAL memory) {
    SIZE_T size = RtlSizeHeap(BaseHeap(), 0, memory);
    return size == (SIZE_T)-1 ? 0 : size;
}

HGLOBAL WINAPI GlobalAlloc(UINT flags, SIZE_T size) { return LocalAlloc(flags & GMEM_ZEROINIT, size); }
HGLOBAL WINAPI GlobalReAlloc(HGLOBAL memory, SIZE_T size, UINT flags) {
    return LocalReAlloc(memory, size, flags & GMEM_ZEROINIT);
}
HGLOBAL WINAPI GlobalFree(HGLOBAL memory) { return LocalFree(memory); }
SIZE_T WINAPI GlobalSize(HGLOBAL memory) { return LocalSize(memory); }
LPVOID WINAPI GlobalLock(HGLOBAL memory) { return memory; }
BOOL WINAPI GlobalUnlock(HGLOBAL memory) {
    (void)memory;
    return TRUE;
}
