/* Console and file I/O over the NT file services. Files live in the sandbox folder the
   executive maps to C:\sandbox (Guest/ABI.md, "Console and files"). */
#include "k32.h"

#define FILE_DEVICE_NAMED_PIPE 0x11

static ULONG DeviceType(HANDLE h) {
    IO_STATUS_BLOCK io;
    FILE_FS_DEVICE_INFORMATION info;
    NTSTATUS status = NtQueryVolumeInformationFile(h, &io, &info, sizeof(info), FileFsDeviceInformation);
    return NT_SUCCESS(status) ? info.DeviceType : 0;
}

BOOL BaseIsConsoleHandle(HANDLE h) { return h && h != INVALID_HANDLE_VALUE && DeviceType(h) == FILE_DEVICE_CONSOLE; }

static BOOL Fail(NTSTATUS status) {
    BaseSetLastNTError(status);
    return FALSE;
}

HANDLE WINAPI GetStdHandle(DWORD which) {
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    switch (which) {
    case STD_INPUT_HANDLE: return params->StandardInput;
    case STD_OUTPUT_HANDLE: return params->StandardOutput;
    case STD_ERROR_HANDLE: return params->StandardError;
    }
    SetLastError(ERROR_INVALID_HANDLE);
    return INVALID_HANDLE_VALUE;
}

BOOL WINAPI SetStdHandle(DWORD which, HANDLE h) {
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    switch (which) {
    case STD_INPUT_HANDLE: params->StandardInput = h; return TRUE;
    case STD_OUTPUT_HANDLE: params->StandardOutput = h; return TRUE;
    case STD_ERROR_HANDLE: params->StandardError = h; return TRUE;
    }
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
}

BOOL WINAPI WriteFile(HANDLE h, LPCVOID buffer, DWORD length, LPDWORD written, LPOVERLAPPED overlapped) {
    IO_STATUS_BLOCK io = {{0}, 0};
    LARGE_INTEGER offset, *where = NULL;
    if (written) *written = 0;
    if (overlapped) {
        offset.LowPart = overlapped->Offset;
        offset.HighPart = (LONG)overlapped->OffsetHigh;
        where = &offset;
    }
    NTSTATUS status = NtWriteFile(h, NULL, NULL, NULL, &io, buffer, length, where, NULL);
    if (!NT_SUCCESS(status)) return Fail(status);
    if (written) *written = (DWORD)io.Information;
    if (overlapped) {
        overlapped->Internal = (ULONG_PTR)status;
        overlapped->InternalHigh = io.Information;
    }
    return TRUE;
}

BOOL WINAPI ReadFile(HANDLE h, LPVOID buffer, DWORD length, LPDWORD read, LPOVERLAPPED overlapped) {
    IO_STATUS_BLOCK io = {{0}, 0};
    LARGE_INTEGER offset, *where = NULL;
    if (read) *read = 0;
    if (overlapped) {
        offset.LowPart = overlapped->Offset;
        offset.HighPart = (LONG)overlapped->OffsetHigh;
        where = &offset;
    }
    NTSTATUS status = NtReadFile(h, NULL, NULL, NULL, &io, buffer, length, where, NULL);
    if (status == STATUS_END_OF_FILE) {
        /* A synchronous read at the end succeeds with nothing read. */
        if (overlapped) return Fail(status);
        return TRUE;
    }
    if (status == STATUS_PIPE_BROKEN) return Fail(status);
    if (!NT_SUCCESS(status)) return Fail(status);
    if (read) *read = (DWORD)io.Information;
    return TRUE;
}

/* The console takes UTF-8 (its output code page is 65001). */
BOOL WINAPI WriteConsoleA(HANDLE h, const void *buffer, DWORD count, LPDWORD written, LPVOID reserved) {
    (void)reserved;
    if (!BaseIsConsoleHandle(h)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return WriteFile(h, buffer, count, written, NULL);
}

BOOL WINAPI WriteConsoleW(HANDLE h, const void *buffer, DWORD count, LPDWORD written, LPVOID reserved) {
    (void)reserved;
    if (!BaseIsConsoleHandle(h)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    const WCHAR *text = buffer;
    DWORD done = 0;
    while (done < count) {
        char utf8[1024];
        DWORD chunk = count - done > 256 ? 256 : count - done;
        /* Keep a surrogate pair together. */
        if (chunk == 256 && text[done + chunk - 1] >= 0xD800 && text[done + chunk - 1] <= 0xDBFF) chunk--;
        ULONG bytes;
        RtlUnicodeToUTF8N(utf8, sizeof(utf8), &bytes, text + done, chunk * sizeof(WCHAR));
        DWORD out;
        if (!WriteFile(h, utf8, bytes, &out, NULL)) {
            if (written) *written = done;
            return FALSE;
        }
        done += chunk;
    }
    if (written) *written = done;
    return TRUE;
}

BOOL WINAPI ReadConsoleA(HANDLE h, LPVOID buffer, DWORD count, LPDWORD read, LPVOID control) {
    (void)control;
    return ReadFile(h, buffer, count, read, NULL);
}

BOOL WINAPI ReadConsoleW(HANDLE h, LPVOID buffer, DWORD count, LPDWORD read, LPVOID control) {
    (void)control;
    char bytes[512];
    DWORD want = count < sizeof(bytes) / 2 ? count : sizeof(bytes) / 2, got = 0;
    if (read) *read = 0;
    if (!ReadFile(h, bytes, want, &got, NULL)) return FALSE;
    ULONG produced;
    RtlUTF8ToUnicodeN(buffer, count * sizeof(WCHAR), &produced, bytes, got);
    if (read) *read = produced / sizeof(WCHAR);
    return TRUE;
}

static DWORD ConsoleModes[3] = {ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT,
    ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT, ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT};

static DWORD *ConsoleModeSlot(HANDLE h) {
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    if (h == params->StandardInput) return &ConsoleModes[0];
    if (h == params->StandardError) return &ConsoleModes[2];
    return &ConsoleModes[1];
}

BOOL WINAPI GetConsoleMode(HANDLE h, LPDWORD mode) {
    if (!BaseIsConsoleHandle(h)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *mode = *ConsoleModeSlot(h);
    return TRUE;
}

BOOL WINAPI SetConsoleMode(HANDLE h, DWORD mode) {
    if (!BaseIsConsoleHandle(h)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *ConsoleModeSlot(h) = mode;
    return TRUE;
}

UINT WINAPI GetConsoleCP(void) { return CP_UTF8; }
UINT WINAPI GetConsoleOutputCP(void) { return CP_UTF8; }
BOOL WINAPI SetConsoleCP(UINT cp) { return cp == CP_UTF8; }
BOOL WINAPI SetConsoleOutputCP(UINT cp) { return cp == CP_UTF8; }
BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE handler, BOOL add) {
    (void)handler;
    (void)add;
    return TRUE;
}
BOOL WINAPI AllocConsole(void) {
    SetLastError(ERROR_ACCESS_DENIED);
    return FALSE;
}
BOOL WINAPI FreeConsole(void) { return TRUE; }
HWND WINAPI GetConsoleWindow(void) { return NULL; }
BOOL WINAPI SetConsoleTitleA(LPCSTR title) {
    (void)title;
    return TRUE;
}
BOOL WINAPI SetConsoleTitleW(LPCWSTR title) {
    (void)title;
    return TRUE;
}
BOOL WINAPI Beep(DWORD frequency, DWORD duration) {
    (void)frequency;
    (void)duration;
    return TRUE;
}

DWORD WINAPI GetFileType(HANDLE h) {
    if (!h || h == INVALID_HANDLE_VALUE) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FILE_TYPE_UNKNOWN;
    }
    IO_STATUS_BLOCK io;
    FILE_FS_DEVICE_INFORMATION info;
    NTSTATUS status = NtQueryVolumeInformationFile(h, &io, &info, sizeof(info), FileFsDeviceInformation);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FILE_TYPE_UNKNOWN;
    }
    SetLastError(0);
    switch (info.DeviceType) {
    case FILE_DEVICE_CONSOLE:
    case FILE_DEVICE_NULL: return FILE_TYPE_CHAR;
    case FILE_DEVICE_NAMED_PIPE: return FILE_TYPE_PIPE;
    case FILE_DEVICE_DISK: return FILE_TYPE_DISK;
    }
    return FILE_TYPE_UNKNOWN;
}

/* ---- Files ---- */

/* The NT name of a DOS path (freed by the caller with RtlFreeUnicodeString). */
static BOOL NtName(LPCWSTR name, PUNICODE_STRING nt) {
    if (!name || !*name) {
        SetLastError(name ? ERROR_PATH_NOT_FOUND : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!RtlDosPathNameToNtPathName_U(name, nt, NULL, NULL)) {
        SetLastError(ERROR_PATH_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}

static BOOL IsName(LPCWSTR name, LPCWSTR device) { return !_wcsicmp(name, device); }

static HANDLE DuplicateStd(HANDLE h) {
    HANDLE copy = NULL;
    NTSTATUS status = NtDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(), &copy, 0, 0, DUPLICATE_SAME_ACCESS);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return INVALID_HANDLE_VALUE;
    }
    return copy;
}

HANDLE WINAPI CreateFileW(LPCWSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa, DWORD disposition,
    DWORD flags, HANDLE template) {
    (void)sa;
    (void)template;
    if (name && (IsName(name, L"CONOUT$") || IsName(name, L"CON"))) {
        PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
        return DuplicateStd(IsName(name, L"CON") && !(access & GENERIC_WRITE) ? params->StandardInput
                                                                                : params->StandardOutput);
    }
    if (name && IsName(name, L"CONIN$")) return DuplicateStd(NtCurrentPeb()->ProcessParameters->StandardInput);
    ULONG ntDisposition;
    switch (disposition) {
    case CREATE_NEW: ntDisposition = FILE_CREATE; break;
    case CREATE_ALWAYS: ntDisposition = FILE_OVERWRITE_IF; break;
    case OPEN_EXISTING: ntDisposition = FILE_OPEN; break;
    case OPEN_ALWAYS: ntDisposition = FILE_OPEN_IF; break;
    case TRUNCATE_EXISTING: ntDisposition = FILE_OVERWRITE; break;
    default: SetLastError(ERROR_INVALID_PARAMETER); return INVALID_HANDLE_VALUE;
    }
    UNICODE_STRING nt;
    if (!NtName(name, &nt)) return INVALID_HANDLE_VALUE;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    ULONG options = FILE_SYNCHRONOUS_IO_NONALERT;
    if (!(flags & FILE_FLAG_BACKUP_SEMANTICS)) options |= FILE_NON_DIRECTORY_FILE;
    if (flags & FILE_FLAG_DELETE_ON_CLOSE) options |= FILE_DELETE_ON_CLOSE;
    if (flags & FILE_FLAG_WRITE_THROUGH) options |= FILE_WRITE_THROUGH;
    ACCESS_MASK ntAccess = access | SYNCHRONIZE | FILE_READ_ATTRIBUTES;
    if (flags & FILE_FLAG_DELETE_ON_CLOSE) ntAccess |= DELETE;
    IO_STATUS_BLOCK io = {{0}, 0};
    HANDLE h = NULL;
    NTSTATUS status = NtCreateFile(&h, ntAccess, &attributes, &io, NULL, flags & 0xFFFF, share, ntDisposition,
        options, NULL, 0);
    RtlFreeUnicodeString(&nt);
    if (!NT_SUCCESS(status)) {
        if (status == STATUS_OBJECT_NAME_COLLISION && disposition == CREATE_NEW) SetLastError(ERROR_FILE_EXISTS);
        else if (status == STATUS_FILE_IS_A_DIRECTORY) SetLastError(ERROR_ACCESS_DENIED);
        else BaseSetLastNTError(status);
        return INVALID_HANDLE_VALUE;
    }
    /* CREATE_ALWAYS and OPEN_ALWAYS tell whether the file was there. */
    if ((disposition == CREATE_ALWAYS && io.Information == FILE_OVERWRITTEN) ||
        (disposition == OPEN_ALWAYS && io.Information == FILE_OPENED))
        SetLastError(ERROR_ALREADY_EXISTS);
    else
        SetLastError(0);
    return h;
}

HANDLE WINAPI CreateFileA(LPCSTR name, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa, DWORD disposition,
    DWORD flags, HANDLE template) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(name ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    HANDLE h = CreateFileW(wide, access, share, sa, disposition, flags, template);
    DWORD error = GetLastError();
    RtlFreeHeap(BaseHeap(), 0, wide);
    SetLastError(error);
    return h;
}

BOOL WINAPI DeleteFileW(LPCWSTR name) {
    UNICODE_STRING nt;
    if (!NtName(name, &nt)) return FALSE;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtDeleteFile(&attributes);
    RtlFreeUnicodeString(&nt);
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

BOOL WINAPI DeleteFileA(LPCSTR name) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL ok = DeleteFileW(wide);
    DWORD error = GetLastError();
    RtlFreeHeap(BaseHeap(), 0, wide);
    SetLastError(error);
    return ok;
}

/* FILE_RENAME_INFORMATION: the new NT name follows the header. */
typedef struct {
    BOOLEAN ReplaceIfExists;
    HANDLE RootDirectory;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_RENAME_INFORMATION;
#define FileRenameInformation 10

BOOL WINAPI MoveFileExW(LPCWSTR from, LPCWSTR to, DWORD flags) {
    UNICODE_STRING source, target;
    if (!NtName(from, &source)) return FALSE;
    if (!NtName(to, &target)) {
        RtlFreeUnicodeString(&source);
        return FALSE;
    }
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &source, OBJ_CASE_INSENSITIVE, NULL, NULL);
    IO_STATUS_BLOCK io;
    HANDLE h = NULL;
    NTSTATUS status = NtOpenFile(&h, DELETE | SYNCHRONIZE, &attributes, &io,
        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeUnicodeString(&source);
    if (NT_SUCCESS(status)) {
        ULONG size = (ULONG)(sizeof(FILE_RENAME_INFORMATION) + target.Length);
        FILE_RENAME_INFORMATION *info = RtlAllocateHeap(BaseHeap(), HEAP_ZERO_MEMORY, size);
        if (!info) {
            status = STATUS_NO_MEMORY;
        } else {
            info->ReplaceIfExists = (flags & MOVEFILE_REPLACE_EXISTING) != 0;
            info->FileNameLength = target.Length;
            memcpy(info->FileName, target.Buffer, target.Length);
            status = NtSetInformationFile(h, &io, info, size, FileRenameInformation);
            RtlFreeHeap(BaseHeap(), 0, info);
        }
        NtClose(h);
    }
    RtlFreeUnicodeString(&target);
    if (status == STATUS_OBJECT_NAME_COLLISION) {
        SetLastError(ERROR_ALREADY_EXISTS);
        return FALSE;
    }
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

BOOL WINAPI MoveFileW(LPCWSTR from, LPCWSTR to) { return MoveFileExW(from, to, 0); }

BOOL WINAPI MoveFileExA(LPCSTR from, LPCSTR to, DWORD flags) {
    PWSTR a = BaseAnsiToWide(from), b = BaseAnsiToWide(to);
    BOOL ok = a && b ? MoveFileExW(a, b, flags) : FALSE;
    DWORD error = a && b ? GetLastError() : ERROR_INVALID_PARAMETER;
    if (a) RtlFreeHeap(BaseHeap(), 0, a);
    if (b) RtlFreeHeap(BaseHeap(), 0, b);
    SetLastError(error);
    return ok;
}

BOOL WINAPI MoveFileA(LPCSTR from, LPCSTR to) { return MoveFileExA(from, to, 0); }

BOOL WINAPI CreateDirectoryW(LPCWSTR name, LPSECURITY_ATTRIBUTES sa) {
    (void)sa;
    UNICODE_STRING nt;
    if (!NtName(name, &nt)) return FALSE;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    IO_STATUS_BLOCK io;
    HANDLE h = NULL;
    NTSTATUS status = NtCreateFile(&h, FILE_READ_ATTRIBUTES | SYNCHRONIZE, &attributes, &io, NULL,
        FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
        FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    RtlFreeUnicodeString(&nt);
    if (!NT_SUCCESS(status)) {
        if (status == STATUS_OBJECT_NAME_COLLISION) SetLastError(ERROR_ALREADY_EXISTS);
        else BaseSetLastNTError(status);
        return FALSE;
    }
    NtClose(h);
    return TRUE;
}

BOOL WINAPI CreateDirectoryA(LPCSTR name, LPSECURITY_ATTRIBUTES sa) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL ok = CreateDirectoryW(wide, sa);
    DWORD error = GetLastError();
    RtlFreeHeap(BaseHeap(), 0, wide);
    SetLastError(error);
    return ok;
}

static BOOL StandardInfo(HANDLE h, FILE_STANDARD_INFORMATION *info) {
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtQueryInformationFile(h, &io, info, sizeof(*info), FileStandardInformation);
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

BOOL WINAPI GetFileSizeEx(HANDLE h, PLARGE_INTEGER size) {
    FILE_STANDARD_INFORMATION info;
    if (!StandardInfo(h, &info)) return FALSE;
    *size = info.EndOfFile;
    return TRUE;
}

DWORD WINAPI GetFileSize(HANDLE h, LPDWORD high) {
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size)) return INVALID_FILE_SIZE;
    if (high) *high = (DWORD)size.HighPart;
    SetLastError(0);
    return size.LowPart;
}

BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER distance, PLARGE_INTEGER result, DWORD method) {
    IO_STATUS_BLOCK io;
    FILE_POSITION_INFORMATION position;
    LONGLONG base = 0;
    if (method == FILE_CURRENT) {
        NTSTATUS status = NtQueryInformationFile(h, &io, &position, sizeof(position), FilePositionInformation);
        if (!NT_SUCCESS(status)) return Fail(status);
        base = position.CurrentByteOffset.QuadPart;
    } else if (method == FILE_END) {
        FILE_STANDARD_INFORMATION info;
        if (!StandardInfo(h, &info)) return FALSE;
        base = info.EndOfFile.QuadPart;
    } else if (method != FILE_BEGIN) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    LONGLONG target = base + distance.QuadPart;
    if (target < 0) {
        SetLastError(ERROR_NEGATIVE_SEEK);
        return FALSE;
    }
    position.CurrentByteOffset.QuadPart = target;
    NTSTATUS status = NtSetInformationFile(h, &io, &position, sizeof(position), FilePositionInformation);
    if (!NT_SUCCESS(status)) return Fail(status);
    if (result) result->QuadPart = target;
    return TRUE;
}

DWORD WINAPI SetFilePointer(HANDLE h, LONG distance, PLONG high, DWORD method) {
    LARGE_INTEGER d, result;
    if (high) {
        d.LowPart = (DWORD)distance;
        d.HighPart = *high;
    } else {
        d.QuadPart = distance;
    }
    if (!SetFilePointerEx(h, d, &result, method)) return INVALID_SET_FILE_POINTER;
    if (high) *high = result.HighPart;
    else if (result.HighPart) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_SET_FILE_POINTER;
    }
    SetLastError(0);
    return result.LowPart;
}

BOOL WINAPI SetEndOfFile(HANDLE h) {
    IO_STATUS_BLOCK io;
    FILE_POSITION_INFORMATION position;
    NTSTATUS status = NtQueryInformationFile(h, &io, &position, sizeof(position), FilePositionInformation);
    if (!NT_SUCCESS(status)) return Fail(status);
    FILE_END_OF_FILE_INFORMATION end;
    end.EndOfFile = position.CurrentByteOffset;
    status = NtSetInformationFile(h, &io, &end, sizeof(end), FileEndOfFileInformation);
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

BOOL WINAPI FlushFileBuffers(HANDLE h) {
    IO_STATUS_BLOCK io;
    NTSTATUS status = NtFlushBuffersFile(h, &io);
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

static BOOL QueryAttributes(LPCWSTR name, FILE_BASIC_INFORMATION *info) {
    UNICODE_STRING nt;
    if (!NtName(name, &nt)) return FALSE;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtQueryAttributesFile(&attributes, info);
    RtlFreeUnicodeString(&nt);
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

DWORD WINAPI GetFileAttributesW(LPCWSTR name) {
    FILE_BASIC_INFORMATION info;
    return QueryAttributes(name, &info) ? info.FileAttributes : INVALID_FILE_ATTRIBUTES;
}

DWORD WINAPI GetFileAttributesA(LPCSTR name) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_FILE_ATTRIBUTES;
    }
    DWORD attributes = GetFileAttributesW(wide);
    DWORD error = GetLastError();
    RtlFreeHeap(BaseHeap(), 0, wide);
    SetLastError(error);
    return attributes;
}

BOOL WINAPI GetFileAttributesExW(LPCWSTR name, GET_FILEEX_INFO_LEVELS level, LPVOID result) {
    if (level != GetFileExInfoStandard) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    FILE_BASIC_INFORMATION info;
    if (!QueryAttributes(name, &info)) return FALSE;
    WIN32_FILE_ATTRIBUTE_DATA *data = result;
    memset(data, 0, sizeof(*data));
    data->dwFileAttributes = info.FileAttributes;
    data->ftCreationTime.dwLowDateTime = info.CreationTime.LowPart;
    data->ftCreationTime.dwHighDateTime = (DWORD)info.CreationTime.HighPart;
    data->ftLastAccessTime.dwLowDateTime = info.LastAccessTime.LowPart;
    data->ftLastAccessTime.dwHighDateTime = (DWORD)info.LastAccessTime.HighPart;
    data->ftLastWriteTime.dwLowDateTime = info.LastWriteTime.LowPart;
    data->ftLastWriteTime.dwHighDateTime = (DWORD)info.LastWriteTime.HighPart;
    /* The size needs the file opened. */
    HANDLE h = CreateFileW(name, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
        OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        LARGE_INTEGER size;
        if (GetFileSizeEx(h, &size)) {
            data->nFileSizeLow = size.LowPart;
            data->nFileSizeHigh = (DWORD)size.HighPart;
        }
        NtClose(h);
    }
    SetLastError(0);
    return TRUE;
}

BOOL WINAPI GetFileAttributesExA(LPCSTR name, GET_FILEEX_INFO_LEVELS level, LPVOID result) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL ok = GetFileAttributesExW(wide, level, result);
    DWORD error = GetLastError();
    RtlFreeHeap(BaseHeap(), 0, wide);
    SetLastError(error);
    return ok;
}

BOOL WINAPI GetFileInformationByHandle(HANDLE h, LPBY_HANDLE_FILE_INFORMATION result) {
    FILE_STANDARD_INFORMATION info;
    if (!StandardInfo(h, &info)) return FALSE;
    memset(result, 0, sizeof(*result));
    result->dwFileAttributes = info.Directory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
    result->nFileSizeLow = info.EndOfFile.LowPart;
    result->nFileSizeHigh = (DWORD)info.EndOfFile.HighPart;
    result->nNumberOfLinks = info.NumberOfLinks;
    return TRUE;
}

/* ---- Paths ---- */

DWORD WINAPI GetFullPathNameW(LPCWSTR name, DWORD size, LPWSTR buffer, LPWSTR *filePart) {
    ULONG bytes = RtlGetFullPathName_U(name, size * sizeof(WCHAR), buffer, filePart);
    if (!bytes) {
        SetLastError(ERROR_INVALID_NAME);
        return 0;
    }
    return bytes / sizeof(WCHAR) + (bytes + sizeof(WCHAR) > size * sizeof(WCHAR) ? 1 : 0);
}

DWORD WINAPI GetFullPathNameA(LPCSTR name, DWORD size, LPSTR buffer, LPSTR *filePart) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    WCHAR full[MAX_PATH * 2];
    PWSTR part = NULL;
    DWORD n = GetFullPathNameW(wide, MAX_PATH * 2, full, &part);
    RtlFreeHeap(BaseHeap(), 0, wide);
    if (!n || n >= MAX_PATH * 2) return 0;
    if (n + 1 > size) return n + 1;
    int written = BaseWideToAnsiBuffer(full, (int)n, buffer, (int)size - 1);
    buffer[written] = 0;
    if (filePart) *filePart = part ? buffer + (part - full) : NULL;
    return (DWORD)written;
}

DWORD WINAPI GetCurrentDirectoryW(DWORD size, LPWSTR buffer) {
    ULONG bytes = RtlGetCurrentDirectory_U(size * sizeof(WCHAR), buffer);
    return bytes / sizeof(WCHAR);
}

DWORD WINAPI GetCurrentDirectoryA(DWORD size, LPSTR buffer) {
    WCHAR wide[MAX_PATH * 2];
    DWORD n = GetCurrentDirectoryW(MAX_PATH * 2, wide);
    if (!n || n >= MAX_PATH * 2) return n;
    if (n + 1 > size) return n + 1;
    int written = BaseWideToAnsiBuffer(wide, (int)n, buffer, (int)size - 1);
    buffer[written] = 0;
    return (DWORD)written;
}

BOOL WINAPI SetCurrentDirectoryW(LPCWSTR path) {
    UNICODE_STRING u;
    RtlInitUnicodeString(&u, path);
    NTSTATUS status = RtlSetCurrentDirectory_U(&u);
    return NT_SUCCESS(status) ? TRUE : Fail(status);
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR path) {
    PWSTR wide = BaseAnsiToWide(path);
    if (!wide) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL ok = SetCurrentDirectoryW(wide);
    DWORD error = GetLastError();
    RtlFreeHeap(BaseHeap(), 0, wide);
    SetLastError(error);
    return ok;
}

/* TMP, then TEMP, then the current directory (the sandbox), with a trailing separator. */
DWORD WINAPI GetTempPathW(DWORD size, LPWSTR buffer) {
    WCHAR path[MAX_PATH + 2];
    DWORD n = GetEnvironmentVariableW(L"TMP", path, MAX_PATH);
    if (!n || n >= MAX_PATH) n = GetEnvironmentVariableW(L"TEMP", path, MAX_PATH);
    if (!n || n >= MAX_PATH) n = GetCurrentDirectoryW(MAX_PATH, path);
    if (!n || n >= MAX_PATH) return 0;
    if (path[n - 1] != '\\') path[n++] = '\\', path[n] = 0;
    if (n + 1 > size) return n + 1;
    memcpy(buffer, path, (n + 1) * sizeof(WCHAR));
    return n;
}

DWORD WINAPI GetTempPathA(DWORD size, LPSTR buffer) {
    WCHAR wide[MAX_PATH + 2];
    DWORD n = GetTempPathW(MAX_PATH + 2, wide);
    if (!n || n > MAX_PATH) return 0;
    if (n + 1 > size) return n + 1;
    int written = BaseWideToAnsiBuffer(wide, (int)n, buffer, (int)size - 1);
    buffer[written] = 0;
    return (DWORD)written;
}
