/* DOS paths: full-path resolution against the current directory, and the NT form the file
   services take (\??\C:\sandbox\name.txt). */
#include "ntdll.h"

static BOOLEAN IsSeparator(WCHAR c) { return c == '\\' || c == '/'; }
static BOOLEAN IsLetter(WCHAR c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Appends `length` characters of a relative path to `out` (which holds at least a root, such
   as "C:\"), resolving "." and ".." and collapsing separators. `root` is how much of out no
   ".." may remove. Returns the new length. */
static SIZE_T AppendPath(PWSTR out, SIZE_T used, SIZE_T root, SIZE_T capacity, PCWSTR path, SIZE_T length) {
    SIZE_T i = 0;
    while (i < length) {
        while (i < length && IsSeparator(path[i])) i++;
        SIZE_T start = i;
        while (i < length && !IsSeparator(path[i])) i++;
        SIZE_T n = i - start;
        if (!n) break;
        if (n == 1 && path[start] == '.') continue;
        if (n == 2 && path[start] == '.' && path[start + 1] == '.') {
            /* drop the last component */
            if (used > root) {
                used--; /* its trailing separator */
                while (used > root && !IsSeparator(out[used - 1])) used--;
            }
            continue;
        }
        if (used + n + 1 >= capacity) return (SIZE_T)-1;
        memcpy(out + used, path + start, n * sizeof(WCHAR));
        used += n;
        out[used++] = '\\';
    }
    return used;
}

/* The full DOS path of `name` in `out` (capacity characters); its length, or 0 on error. */
static SIZE_T FullPath(PCWSTR name, PWSTR out, SIZE_T capacity) {
    SIZE_T length = wcslen(name);
    if (!length || capacity < 8) return 0;
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    PCWSTR cwd = params->CurrentDirectory.DosPath.Buffer;
    SIZE_T cwdLength = params->CurrentDirectory.DosPath.Length / sizeof(WCHAR);
    SIZE_T used = 0, root;
    BOOLEAN trailing = IsSeparator(name[length - 1]);
    if (length >= 4 && IsSeparator(name[0]) && IsSeparator(name[1]) && (name[2] == '?' || name[2] == '.') &&
        IsSeparator(name[3])) {
        /* \\?\ and \\.\ paths are taken as they are */
        if (length + 1 > capacity) return 0;
        memcpy(out, name, (length + 1) * sizeof(WCHAR));
        return length;
    }
    if (IsSeparator(name[0]) && length > 1 && IsSeparator(name[1])) {
        /* UNC: \\server\share\rest */
        out[0] = out[1] = '\\';
        used = 2;
        SIZE_T i = 2;
        for (int part = 0; part < 2 && i < length; part++) {
            while (i < length && !IsSeparator(name[i]) && used + 2 < capacity) out[used++] = name[i++];
            out[used++] = '\\';
            while (i < length && IsSeparator(name[i])) i++;
        }
        root = used;
        used = AppendPath(out, used, root, capacity, name + i, length - i);
    } else if (length >= 2 && IsLetter(name[0]) && name[1] == ':') {
        out[0] = RtlUpcaseUnicodeChar(name[0]);
        out[1] = ':';
        out[2] = '\\';
        used = root = 3;
        if (length >= 3 && IsSeparator(name[2])) {
            used = AppendPath(out, used, root, capacity, name + 3, length - 3);
        } else {
            /* C:relative: relative to the current directory when it is on that drive */
            if (cwd && cwdLength >= 3 && RtlUpcaseUnicodeChar(cwd[0]) == out[0])
                used = AppendPath(out, used, root, capacity, cwd + 3, cwdLength - 3);
            if (used != (SIZE_T)-1) used = AppendPath(out, used, root, capacity, name + 2, length - 2);
        }
    } else {
        if (!cwd || cwdLength < 3) return 0;
        out[0] = cwd[0];
        out[1] = ':';
        out[2] = '\\';
        used = root = 3;
        if (!IsSeparator(name[0])) used = AppendPath(out, used, root, capacity, cwd + 3, cwdLength - 3);
        if (used != (SIZE_T)-1) used = AppendPath(out, used, root, capacity, name, length);
    }
    if (used == (SIZE_T)-1) return 0;
    /* No trailing separator except for a root or when the name had one. */
    if (used > root && IsSeparator(out[used - 1]) && !trailing) used--;
    out[used] = 0;
    return used;
}

ULONG NTAPI RtlGetFullPathName_U(PCWSTR name, ULONG size, PWSTR buffer, PWSTR *filePart) {
    WCHAR full[MAX_PATH * 2];
    SIZE_T length = FullPath(name, full, MAX_PATH * 2);
    if (!length) return 0;
    ULONG bytes = (ULONG)(length * sizeof(WCHAR));
    if (bytes + sizeof(WCHAR) > size) return bytes + sizeof(WCHAR);
    memcpy(buffer, full, bytes + sizeof(WCHAR));
    if (filePart) {
        PWSTR last = NULL;
        for (SIZE_T i = 0; i < length; i++)
            if (IsSeparator(buffer[i])) last = buffer + i + 1;
        *filePart = last && *last ? last : NULL;
    }
    return bytes;
}

BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR dos, PUNICODE_STRING nt, PWSTR *filePart, PVOID relative) {
    (void)relative;
    WCHAR full[MAX_PATH * 2];
    SIZE_T length = FullPath(dos, full, MAX_PATH * 2);
    if (!length) return FALSE;
    PCWSTR prefix = L"\\??\\";
    SIZE_T skip = 0;
    if (length >= 4 && full[0] == '\\' && full[1] == '\\' && (full[2] == '?' || full[2] == '.') && full[3] == '\\') {
        skip = 4; /* \\?\X -> \??\X */
    } else if (full[0] == '\\' && full[1] == '\\') {
        prefix = L"\\??\\UNC\\";
        skip = 2;
    }
    SIZE_T prefixLength = wcslen(prefix);
    SIZE_T total = prefixLength + length - skip;
    if ((total + 1) * sizeof(WCHAR) > 0xFFFE) return FALSE;
    PWSTR buffer = RtlAllocateHeap(RtlpProcessHeap(), 0, (total + 1) * sizeof(WCHAR));
    if (!buffer) return FALSE;
    memcpy(buffer, prefix, prefixLength * sizeof(WCHAR));
    memcpy(buffer + prefixLength, full + skip, (length - skip + 1) * sizeof(WCHAR));
    nt->Buffer = buffer;
    nt->Length = (USHORT)(total * sizeof(WCHAR));
    nt->MaximumLength = (USHORT)((total + 1) * sizeof(WCHAR));
    if (filePart) {
        PWSTR last = NULL;
        for (SIZE_T i = 0; i < total; i++)
            if (buffer[i] == '\\') last = buffer + i + 1;
        *filePart = last && *last ? last : NULL;
    }
    return TRUE;
}

ULONG NTAPI RtlGetCurrentDirectory_U(ULONG size, PWSTR buffer) {
    RtlAcquirePebLock();
    PUNICODE_STRING cwd = &NtCurrentPeb()->ProcessParameters->CurrentDirectory.DosPath;
    ULONG length = cwd->Length;
    /* Without its trailing separator, unless it is a root ("C:\"). */
    if (length > 3 * sizeof(WCHAR) && cwd->Buffer[length / sizeof(WCHAR) - 1] == '\\') length -= sizeof(WCHAR);
    ULONG result;
    if (length + sizeof(WCHAR) > size) {
        result = length + sizeof(WCHAR);
    } else {
        memcpy(buffer, cwd->Buffer, length);
        buffer[length / sizeof(WCHAR)] = 0;
        result = length;
    }
    RtlReleasePebLock();
    return result;
}

NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING path) {
    WCHAR name[MAX_PATH * 2];
    if (path->Length / sizeof(WCHAR) >= MAX_PATH * 2 - 1) return STATUS_NAME_TOO_LONG;
    memcpy(name, path->Buffer, path->Length);
    name[path->Length / sizeof(WCHAR)] = 0;
    WCHAR full[MAX_PATH * 2];
    SIZE_T length = FullPath(name, full, MAX_PATH * 2 - 1);
    if (!length) return STATUS_OBJECT_NAME_INVALID;
    if (full[length - 1] != '\\') full[length++] = '\\', full[length] = 0;
    UNICODE_STRING nt;
    if (!RtlDosPathNameToNtPathName_U(full, &nt, NULL, NULL)) return STATUS_OBJECT_NAME_INVALID;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    FILE_BASIC_INFORMATION info;
    NTSTATUS status = NtQueryAttributesFile(&attributes, &info);
    RtlFreeUnicodeString(&nt);
    if (!NT_SUCCESS(status)) return status;
    if (!(info.FileAttributes & 0x10)) return STATUS_NOT_A_DIRECTORY;
    RtlAcquirePebLock();
    PUNICODE_STRING cwd = &NtCurrentPeb()->ProcessParameters->CurrentDirectory.DosPath;
    USHORT bytes = (USHORT)(length * sizeof(WCHAR));
    if (cwd->MaximumLength < bytes + sizeof(WCHAR)) {
        PWSTR buffer = RtlAllocateHeap(RtlpProcessHeap(), 0, MAX_PATH * 2 * sizeof(WCHAR));
        if (!buffer) {
            RtlReleasePebLock();
            return STATUS_NO_MEMORY;
        }
        cwd->Buffer = buffer;
        cwd->MaximumLength = MAX_PATH * 2 * sizeof(WCHAR);
    }
    memcpy(cwd->Buffer, full, bytes + sizeof(WCHAR));
    cwd->Length = bytes;
    RtlReleasePebLock();
    return STATUS_SUCCESS;
}
