/* Reading mapped PE images: headers, directories, exports (by name and ordinal, following
   forwarders). Every offset read from an image is checked against its size, so a damaged
   image gives "not found" instead of a wild read. */
#include "ntdll.h"

PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID base) {
    if (!base) return NULL;
    PIMAGE_DOS_HEADER dos = base;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE) return NULL;
    if (dos->e_lfanew <= 0 || dos->e_lfanew > 0x10000000) return NULL;
    PIMAGE_NT_HEADERS nt = (PIMAGE_NT_HEADERS)((PUCHAR)base + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE) return NULL;
    if (nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC) return NULL;
    return nt;
}

PVOID NTAPI RtlImageDirectoryEntryToData(PVOID base, BOOLEAN mapped, USHORT directory, PULONG size) {
    (void)mapped;
    PIMAGE_NT_HEADERS nt = RtlImageNtHeader(base);
    if (!nt || directory >= nt->OptionalHeader.NumberOfRvaAndSizes ||
        directory >= IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        return NULL;
    IMAGE_DATA_DIRECTORY d = nt->OptionalHeader.DataDirectory[directory];
    if (!d.VirtualAddress || (ULONGLONG)d.VirtualAddress + d.Size > nt->OptionalHeader.SizeOfImage)
        return NULL;
    if (size) *size = d.Size;
    return (PUCHAR)base + d.VirtualAddress;
}

static BOOLEAN InImage(PIMAGE_NT_HEADERS nt, ULONG rva, ULONG length) {
    return (ULONGLONG)rva + length <= nt->OptionalHeader.SizeOfImage;
}

/* The export `name` (or, when name is NULL, `ordinal`) of the image at base; forwarders are
   followed through other loaded (or loadable) modules, `depth` limiting the chain. */
PVOID LdrpFindExport(PVOID base, const char *name, ULONG ordinal, int depth) {
    if (depth > 16) return NULL;
    PIMAGE_NT_HEADERS nt = RtlImageNtHeader(base);
    ULONG size;
    PIMAGE_EXPORT_DIRECTORY exports =
        RtlImageDirectoryEntryToData(base, TRUE, IMAGE_DIRECTORY_ENTRY_EXPORT, &size);
    if (!nt || !exports) return NULL;
    PUCHAR b = base;
    if (!InImage(nt, exports->AddressOfFunctions, exports->NumberOfFunctions * 4) ||
        !InImage(nt, exports->AddressOfNames, exports->NumberOfNames * 4) ||
        !InImage(nt, exports->AddressOfNameOrdinals, exports->NumberOfNames * 2))
        return NULL;
    PULONG functions = (PULONG)(b + exports->AddressOfFunctions);
    PULONG names = (PULONG)(b + exports->AddressOfNames);
    PUSHORT ordinals = (PUSHORT)(b + exports->AddressOfNameOrdinals);
    ULONG index;
    if (name) {
        /* The linker sorts the name table: binary search. */
        LONG low = 0, high = (LONG)exports->NumberOfNames - 1;
        index = 0xFFFFFFFF;
        while (low <= high) {
            LONG mid = (low + high) / 2;
            if (!InImage(nt, names[mid], 1)) return NULL;
            int c = strcmp(name, (const char *)(b + names[mid]));
            if (c == 0) {
                index = ordinals[mid];
                break;
            }
            if (c < 0) high = mid - 1;
            else low = mid + 1;
        }
        if (index == 0xFFFFFFFF) return NULL;
    } else {
        if (ordinal < exports->Base) return NULL;
        index = ordinal - exports->Base;
    }
    if (index >= exports->NumberOfFunctions || !functions[index]) return NULL;
    ULONG rva = functions[index];
    if (!InImage(nt, rva, 1)) return NULL;
    ULONG exportStart = (ULONG)((PUCHAR)exports - b);
    if (rva < exportStart || rva >= exportStart + size) return b + rva;

    /* A forwarder: "DLL.Function" or "DLL.#Ordinal". */
    const char *forward = (const char *)(b + rva);
    const char *dot = strrchr(forward, '.');
    if (!dot || dot == forward || dot - forward > 200) return NULL;
    WCHAR dll[210];
    SIZE_T n = 0;
    for (const char *p = forward; p < dot; p++) dll[n++] = (WCHAR)(UCHAR)*p;
    const WCHAR suffix[] = L".dll";
    for (SIZE_T i = 0; i < 5; i++) dll[n + i] = suffix[i];
    UNICODE_STRING dllName = {(USHORT)((n + 4) * sizeof(WCHAR)), (USHORT)((n + 5) * sizeof(WCHAR)), dll};
    PVOID target;
    if (!NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &dllName, &target)) &&
        !NT_SUCCESS(LdrLoadDll(NULL, NULL, &dllName, &target)))
        return NULL;
    if (dot[1] == '#') {
        ULONG value = 0;
        RtlCharToInteger(dot + 2, 10, &value);
        return LdrpFindExport(target, NULL, value, depth + 1);
    }
    return LdrpFindExport(target, dot + 1, 0, depth + 1);
}

PVOID NTAPI RtlPcToFileHeader(PVOID pc, PVOID *base) {
    PLDR_DATA_TABLE_ENTRY entry;
    *base = NT_SUCCESS(LdrFindEntryForAddress(pc, &entry)) ? entry->DllBase : NULL;
    return *base;
}
