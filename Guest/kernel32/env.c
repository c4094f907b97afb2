/* Environment variables over ntdll's environment block. */
#include "k32.h"

DWORD WINAPI GetEnvironmentVariableW(LPCWSTR name, LPWSTR buffer, DWORD size) {
    SIZE_T length = 0;
    NTSTATUS status = RtlQueryEnvironmentVariable(NULL, name, wcslen(name), buffer, size, &length);
    if (status == STATUS_SUCCESS) return (DWORD)length;
    if (status == STATUS_BUFFER_TOO_SMALL) return (DWORD)length;
    BaseSetLastNTError(status);
    return 0;
}

DWORD WINAPI GetEnvironmentVariableA(LPCSTR name, LPSTR buffer, DWORD size) {
    PWSTR wideName = BaseAnsiToWide(name);
    if (!wideName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    SIZE_T length = 0;
    WCHAR small[256];
    PWSTR value = small;
    NTSTATUS status = RtlQueryEnvironmentVariable(NULL, wideName, wcslen(wideName), value, 256, &length);
    if (status == STATUS_BUFFER_TOO_SMALL) {
        value = RtlAllocateHeap(BaseHeap(), 0, length * sizeof(WCHAR));
        status = value ? RtlQueryEnvironmentVariable(NULL, wideName, wcslen(wideName), value, length, &length)
                       : STATUS_NO_MEMORY;
    }
    RtlFreeHeap(BaseHeap(), 0, wideName);
    DWORD result = 0;
    if (status == STATUS_SUCCESS) {
        /* The ANSI length (single-byte code page: the same count). */
        if (length + 1 > size) {
            result = (DWORD)length + 1;
        } else {
            result = (DWORD)BaseWideToAnsiBuffer(value, (int)length, buffer, (int)size - 1);
            buffer[result] = 0;
        }
    } else {
        BaseSetLastNTError(status);
    }
    if (value != small && value) RtlFreeHeap(BaseHeap(), 0, value);
    return result;
}

BOOL WINAPI SetEnvironmentVariableW(LPCWSTR name, LPCWSTR value) {
    UNICODE_STRING n, v;
    RtlInitUnicodeString(&n, name);
    if (value) RtlInitUnicodeString(&v, value);
    NTSTATUS status = RtlSetEnvironmentVariable(NULL, &n, value ? &v : NULL);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SetEnvironmentVariableA(LPCSTR name, LPCSTR value) {
    PWSTR n = BaseAnsiToWide(name), v = BaseAnsiToWide(value);
    BOOL ok = n && (v || !value) ? SetEnvironmentVariableW(n, v) : FALSE;
    if (!n) SetLastError(ERROR_INVALID_PARAMETER);
    if (n) RtlFreeHeap(BaseHeap(), 0, n);
    if (v) RtlFreeHeap(BaseHeap(), 0, v);
    return ok;
}

/* A copy of the block, which the caller frees with FreeEnvironmentStrings. */
LPWCH WINAPI GetEnvironmentStringsW(void) {
    RtlAcquirePebLock();
    PCWSTR block = NtCurrentPeb()->ProcessParameters->Environment;
    SIZE_T length = 1;
    if (block) {
        PCWSTR p = block;
        while (*p) p += wcslen(p) + 1;
        length = (SIZE_T)(p - block) + 1;
    }
    PWSTR copy = RtlAllocateHeap(BaseHeap(), 0, length * sizeof(WCHAR) + sizeof(WCHAR));
    if (copy) {
        if (block) memcpy(copy, block, length * sizeof(WCHAR));
        else copy[0] = 0;
        copy[length] = 0;
    }
    RtlReleasePebLock();
    if (!copy) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return copy;
}

LPCH WINAPI GetEnvironmentStringsA(void) {
    PWSTR wide = GetEnvironmentStringsW();
    if (!wide) return NULL;
    PCWSTR p = wide;
    while (*p) p += wcslen(p) + 1;
    int length = (int)(p - wide) + 1;
    LPSTR ansi = RtlAllocateHeap(BaseHeap(), 0, (SIZE_T)length + 1);
    if (ansi) {
        BaseWideToAnsiBuffer(wide, length, ansi, length);
        ansi[length] = 0;
    }
    RtlFreeHeap(BaseHeap(), 0, wide);
    return ansi;
}

LPCH WINAPI GetEnvironmentStrings(void) { return GetEnvironmentStringsA(); }

BOOL WINAPI FreeEnvironmentStringsW(LPWCH block) { return RtlFreeHeap(BaseHeap(), 0, block); }
BOOL WINAPI FreeEnvironmentStringsA(LPCH block) { return RtlFreeHeap(BaseHeap(), 0, block); }

/* %NAME% references replaced by their values (unknown ones stay as written). */
DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR source, LPWSTR destination, DWORD size) {
    DWORD used = 0;
    for (LPCWSTR p = source; *p;) {
        LPCWSTR end = *p == '%' ? p + 1 : NULL;
        while (end && *end && *end != '%') end++;
        if (end && *end == '%' && end > p + 1) {
            WCHAR name[256], value[1024];
            SIZE_T n = (SIZE_T)(end - p - 1), length;
            if (n < 256) {
                memcpy(name, p + 1, n * sizeof(WCHAR));
                name[n] = 0;
                if (RtlQueryEnvironmentVariable(NULL, name, n, value, 1024, &length) == STATUS_SUCCESS) {
                    for (SIZE_T i = 0; i < length; i++, used++)
                        if (used < size) destination[used] = value[i];
                    p = end + 1;
                    continue;
                }
            }
        }
        if (used < size) destination[used] = *p;
        used++;
        p++;
    }
    if (used < size) destination[used] = 0;
    return used + 1;
}

DWORD WINAPI ExpandEnvironmentStringsA(LPCSTR source, LPSTR destination, DWORD size) {
    PWSTR wide = BaseAnsiToWide(source);
    if (!wide) return 0;
    WCHAR out[4096];
    DWORD n = ExpandEnvironmentStringsW(wide, out, 4096);
    RtlFreeHeap(BaseHeap(), 0, wide);
    if (n > 4096) return n;
    if (n > size) return n;
    BaseWideToAnsiBuffer(out, (int)n, destination, (int)size);
    return n;
}
