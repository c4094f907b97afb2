/* The environment block: "NAME=VALUE\0" strings of WCHAR ending with an empty one.
   Names compare without regard to case; a leading '=' is part of a name ("=C:"). */
#include "ntdll.h"

static PWSTR OwnedBlock; /* a block this code allocated, freed when replaced */

static SIZE_T BlockLength(PCWSTR block) {
    PCWSTR p = block;
    while (*p) p += wcslen(p) + 1;
    return (SIZE_T)(p - block) + 1;
}

/* The entry "NAME=..." for a name, or NULL. */
static PCWSTR Find(PCWSTR block, PCWSTR name, SIZE_T nameLength) {
    for (PCWSTR p = block; *p; p += wcslen(p) + 1) {
        PCWSTR equals = wcschr(p + 1, '=');
        if (!equals || (SIZE_T)(equals - p) != nameLength) continue;
        SIZE_T i = 0;
        while (i < nameLength && RtlUpcaseUnicodeChar(p[i]) == RtlUpcaseUnicodeChar(name[i])) i++;
        if (i == nameLength) return p;
    }
    return NULL;
}

NTSTATUS NTAPI RtlQueryEnvironmentVariable(PVOID environment, PCWSTR name, SIZE_T nameLength,
    PWSTR value, SIZE_T valueLength, PSIZE_T returnLength) {
    BOOLEAN own = !environment;
    if (own) {
        RtlAcquirePebLock();
        environment = NtCurrentPeb()->ProcessParameters->Environment;
    }
    NTSTATUS status = STATUS_VARIABLE_NOT_FOUND;
    PCWSTR entry = environment ? Find(environment, name, nameLength) : NULL;
    if (entry) {
        PCWSTR v = entry + nameLength + 1;
        SIZE_T n = wcslen(v);
        *returnLength = n;
        if (n + 1 <= valueLength) {
            memcpy(value, v, (n + 1) * sizeof(WCHAR));
            status = STATUS_SUCCESS;
        } else {
            *returnLength = n + 1;
            status = STATUS_BUFFER_TOO_SMALL;
        }
    }
    if (own) RtlReleasePebLock();
    return status;
}

NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID environment, PUNICODE_STRING name, PUNICODE_STRING value) {
    SIZE_T length;
    NTSTATUS status = RtlQueryEnvironmentVariable(environment, name->Buffer, name->Length / sizeof(WCHAR),
        value->Buffer, value->MaximumLength / sizeof(WCHAR), &length);
    if (status == STATUS_SUCCESS) value->Length = (USHORT)(length * sizeof(WCHAR));
    else if (status == STATUS_BUFFER_TOO_SMALL) value->Length = (USHORT)((length - 1) * sizeof(WCHAR));
    return status;
}

/* Sets (value non-NULL) or removes a variable; a new block replaces the old one. */
NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *environment, PUNICODE_STRING name, PUNICODE_STRING value) {
    SIZE_T nameLength = name->Length / sizeof(WCHAR);
    if (!nameLength) return STATUS_INVALID_PARAMETER;
    for (SIZE_T i = 1; i < nameLength; i++)
        if (name->Buffer[i] == '=') return STATUS_INVALID_PARAMETER;
    BOOLEAN own = !environment;
    if (own) {
        RtlAcquirePebLock();
        environment = &NtCurrentPeb()->ProcessParameters->Environment;
    }
    PCWSTR old = *environment;
    SIZE_T oldLength = old ? BlockLength(old) : 1;
    PCWSTR entry = old ? Find(old, name->Buffer, nameLength) : NULL;
    SIZE_T entryLength = entry ? wcslen(entry) + 1 : 0;
    SIZE_T valueLength = value ? value->Length / sizeof(WCHAR) : 0;
    SIZE_T newLength = oldLength - entryLength + (value ? nameLength + 1 + valueLength + 1 : 0);
    PWSTR block = RtlAllocateHeap(RtlpProcessHeap(), 0, newLength * sizeof(WCHAR));
    if (!block) {
        if (own) RtlReleasePebLock();
        return STATUS_NO_MEMORY;
    }
    PWSTR out = block;
    /* Copy every other entry, and insert the new one in its sorted place (as Windows keeps
       the block sorted). */
    BOOLEAN inserted = !value;
    for (PCWSTR p = old; p && *p; p += wcslen(p) + 1) {
        if (p == entry) continue;
        if (!inserted && _wcsicmp(p, name->Buffer) > 0 && p[0] != '=') {
            memcpy(out, name->Buffer, nameLength * sizeof(WCHAR));
            out += nameLength;
            *out++ = '=';
            memcpy(out, value->Buffer, valueLength * sizeof(WCHAR));
            out += valueLength;
            *out++ = 0;
            inserted = TRUE;
        }
        SIZE_T n = wcslen(p) + 1;
        memcpy(out, p, n * sizeof(WCHAR));
        out += n;
    }
    if (!inserted) {
        memcpy(out, name->Buffer, nameLength * sizeof(WCHAR));
        out += nameLength;
        *out++ = '=';
        memcpy(out, value->Buffer, valueLength * sizeof(WCHAR));
        out += valueLength;
        *out++ = 0;
    }
    *out = 0;
    *environment = block;
    if (own) {
        PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
        params->EnvironmentSize = newLength * sizeof(WCHAR);
        params->EnvironmentVersion++;
        if (old == OwnedBlock && old) RtlFreeHeap(RtlpProcessHeap(), 0, (PVOID)old);
        OwnedBlock = block;
        RtlReleasePebLock();
    }
    return STATUS_SUCCESS;
}
