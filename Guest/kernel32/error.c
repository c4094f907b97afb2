/* Last error, exceptions, the unhandled-exception filter, debugger helpers and system
   message texts. */
#include "k32.h"

DWORD WINAPI GetLastError(void) { return NtCurrentTeb()->LastErrorValue; }
void WINAPI SetLastError(DWORD error) { NtCurrentTeb()->LastErrorValue = error; }

static UINT ErrorMode;
UINT WINAPI SetErrorMode(UINT mode) {
    UINT old = ErrorMode;
    ErrorMode = mode;
    return old;
}
UINT WINAPI GetErrorMode(void) { return ErrorMode; }

void WINAPI RaiseException(DWORD code, DWORD flags, DWORD count, const ULONG_PTR *arguments) {
    EXCEPTION_RECORD record;
    memset(&record, 0, sizeof(record));
    record.ExceptionCode = code;
    record.ExceptionFlags = flags & EXCEPTION_NONCONTINUABLE;
    record.ExceptionAddress = (PVOID)RaiseException;
    if (arguments) {
        if (count > EXCEPTION_MAXIMUM_PARAMETERS) count = EXCEPTION_MAXIMUM_PARAMETERS;
        record.NumberParameters = count;
        memcpy(record.ExceptionInformation, arguments, count * sizeof(ULONG_PTR));
    }
    RtlRaiseException(&record);
}

static LPTOP_LEVEL_EXCEPTION_FILTER TopLevelFilter;

LPTOP_LEVEL_EXCEPTION_FILTER WINAPI SetUnhandledExceptionFilter(LPTOP_LEVEL_EXCEPTION_FILTER filter) {
    return __atomic_exchange_n(&TopLevelFilter, filter, __ATOMIC_SEQ_CST);
}

/* ntdll calls this after the debugger passed on the second chance: the program's own filter
   decides; without one the process ends (EXCEPTION_EXECUTE_HANDLER). */
LONG WINAPI UnhandledExceptionFilter(struct _EXCEPTION_POINTERS *info) {
    LPTOP_LEVEL_EXCEPTION_FILTER filter = TopLevelFilter;
    if (filter) {
        LONG verdict = filter(info);
        if (verdict != EXCEPTION_CONTINUE_SEARCH) return verdict;
    }
    return EXCEPTION_EXECUTE_HANDLER;
}

PVOID WINAPI AddVectoredExceptionHandler(ULONG first, PVECTORED_EXCEPTION_HANDLER handler) {
    return RtlAddVectoredExceptionHandler(first, handler);
}

ULONG WINAPI RemoveVectoredExceptionHandler(PVOID handle) { return RtlRemoveVectoredExceptionHandler(handle); }

BOOL WINAPI IsDebuggerPresent(void) { return NtCurrentPeb()->BeingDebugged; }

void WINAPI DebugBreak(void) { DbgBreakPoint(); }

/* The debugger prints the text of DBG_PRINTEXCEPTION_C; without one nothing handles it and
   the handler here swallows it. */
void WINAPI OutputDebugStringA(LPCSTR text) {
    if (!text) text = "";
    ULONG_PTR arguments[2] = {strlen(text) + 1, (ULONG_PTR)text};
    __try {
        RaiseException((DWORD)DBG_PRINTEXCEPTION_C, 0, 2, arguments);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
    }
}

void WINAPI OutputDebugStringW(LPCWSTR text) {
    PSTR ansi = BaseWideToAnsi(text ? text : L"");
    OutputDebugStringA(ansi ? ansi : "");
    if (ansi) RtlFreeHeap(BaseHeap(), 0, ansi);
}

void WINAPI FatalAppExitA(UINT action, LPCSTR text) {
    (void)action;
    OutputDebugStringA(text);
    ExitProcess(0xC0000015u);
}

/* ---- FormatMessage ---- */

static const struct {
    DWORD code;
    const char *text;
} SystemMessages[] = {
    {0, "The operation completed successfully."},
    {1, "Incorrect function."},
    {2, "The system cannot find the file specified."},
    {3, "The system cannot find the path specified."},
    {4, "The system cannot open the file."},
    {5, "Access is denied."},
    {6, "The handle is invalid."},
    {8, "Not enough memory resources are available to process this command."},
    {13, "The data is invalid."},
    {14, "Not enough memory resources are available to complete this operation."},
    {18, "There are no more files."},
    {32, "The process cannot access the file because it is being used by another process."},
    {38, "Reached the end of the file."},
    {50, "The request is not supported."},
    {80, "The file exists."},
    {87, "The parameter is incorrect."},
    {109, "The pipe has been ended."},
    {120, "This function is not supported on this system."},
    {122, "The data area passed to a system call is too small."},
    {123, "The filename, directory name, or volume label syntax is incorrect."},
    {126, "The specified module could not be found."},
    {127, "The specified procedure could not be found."},
    {131, "An attempt was made to move the file pointer before the beginning of the file."},
    {145, "The directory is not empty."},
    {161, "The specified path is invalid."},
    {183, "Cannot create a file when that file already exists."},
    {203, "The system could not find the environment option that was entered."},
    {206, "The filename or extension is too long."},
    {234, "More data is available."},
    {258, "The wait operation timed out."},
    {259, "No more data is available."},
    {267, "The directory name is invalid."},
    {288, "Attempt to release mutex not owned by caller."},
    {298, "Too many posts were made to a semaphore."},
    {317, "The system cannot find message text for message number 0x%1 in the message file for %2."},
    {487, "Attempt to access invalid address."},
    {534, "Arithmetic result exceeded 32 bits."},
    {735, "{Wait Abandoned} The wait was abandoned."},
    {995, "The I/O operation has been aborted because of either a thread exit or an application request."},
    {997, "Overlapped I/O operation is in progress."},
    {998, "Invalid access to memory location."},
    {1001, "Recursion too deep; the stack overflowed."},
    {1004, "Invalid flags."},
    {1113, "No mapping for the Unicode character exists in the target multi-byte code page."},
    {1114, "A dynamic link library (DLL) initialization routine failed."},
    {1168, "Element not found."},
    {1460, "This operation returned because the timeout period expired."},
};

typedef struct {
    char *buffer;
    DWORD capacity, used;
    BOOL overflow;
} MESSAGE;

static void Append(MESSAGE *m, const char *text, DWORD length) {
    for (DWORD i = 0; i < length; i++) {
        if (m->used + 1 >= m->capacity) {
            m->overflow = TRUE;
            return;
        }
        m->buffer[m->used++] = text[i];
    }
}

/* Expands a message: %1..%99 inserts (with an optional !printf-format!), %0, %n, %%, and
   escapes of '.', '!' and ' '. Inserts come from an array (ARGUMENT_ARRAY) or a va_list. */
static void Expand(MESSAGE *m, const char *source, DWORD flags, va_list *arguments) {
    const ULONG_PTR *array = (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY) ? (const ULONG_PTR *)arguments : NULL;
    for (const char *p = source; *p; p++) {
        if (*p != '%' || (flags & FORMAT_MESSAGE_IGNORE_INSERTS)) {
            if (*p == '\n' && (p == source || p[-1] != '\r')) Append(m, "\r\n", 2);
            else Append(m, p, 1);
            continue;
        }
        p++;
        if (*p == '0') return;
        if (*p == 'n') {
            Append(m, "\r\n", 2);
            continue;
        }
        if (*p >= '1' && *p <= '9') {
            int index = *p - '0';
            if (p[1] >= '0' && p[1] <= '9') index = index * 10 + (*++p - '0');
            char spec[16] = "%s";
            if (p[1] == '!') {
                const char *end = p + 2;
                while (*end && *end != '!') end++;
                if (*end == '!' && end - (p + 2) < 12) {
                    spec[0] = '%';
                    memcpy(spec + 1, p + 2, (size_t)(end - (p + 2)));
                    spec[1 + (end - (p + 2))] = 0;
                    p = end;
                }
            }
            ULONG_PTR value;
            if (array) value = array[index - 1];
            else if (arguments) value = va_arg(*arguments, ULONG_PTR);
            else value = 0;
            char text[512];
            int n = _snprintf(text, sizeof(text) - 1, spec, value);
            if (n < 0) n = sizeof(text) - 1;
            Append(m, text, (DWORD)n);
            continue;
        }
        if (*p) Append(m, p, 1);
        else break;
    }
}

DWORD WINAPI FormatMessageA(DWORD flags, LPCVOID source, DWORD id, DWORD language, LPSTR buffer, DWORD size,
    va_list *arguments) {
    (void)language;
    const char *text = NULL;
    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        text = source;
    } else if (flags & FORMAT_MESSAGE_FROM_SYSTEM) {
        for (SIZE_T i = 0; i < sizeof(SystemMessages) / sizeof(SystemMessages[0]); i++)
            if (SystemMessages[i].code == id) text = SystemMessages[i].text;
    }
    if (!text) {
        SetLastError(ERROR_MR_MID_NOT_FOUND);
        return 0;
    }
    char local[4096];
    MESSAGE m = {local, sizeof(local), 0, FALSE};
    Expand(&m, text, flags, arguments);
    if (!(flags & FORMAT_MESSAGE_FROM_STRING) && (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) == 0)
        Append(&m, "\r\n", 2);
    local[m.used] = 0;
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        DWORD bytes = m.used + 1 > size ? m.used + 1 : size;
        char *result = RtlAllocateHeap(BaseHeap(), 0, bytes);
        if (!result) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return 0;
        }
        memcpy(result, local, m.used + 1);
        *(char **)buffer = result;
        return m.used;
    }
    if (m.used + 1 > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    memcpy(buffer, local, m.used + 1);
    return m.used;
}

DWORD WINAPI FormatMessageW(DWORD flags, LPCVOID source, DWORD id, DWORD language, LPWSTR buffer, DWORD size,
    va_list *arguments) {
    PSTR ansiSource = NULL;
    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        ansiSource = BaseWideToAnsi(source);
        if (!ansiSource) return 0;
        source = ansiSource;
    }
    char *ansi = NULL;
    DWORD n = FormatMessageA(flags | FORMAT_MESSAGE_ALLOCATE_BUFFER, source, id, language, (LPSTR)&ansi, 0, arguments);
    if (ansiSource) RtlFreeHeap(BaseHeap(), 0, ansiSource);
    if (!n && !ansi) return 0;
    PWSTR wide = BaseAnsiToWide(ansi);
    RtlFreeHeap(BaseHeap(), 0, ansi);
    if (!wide) return 0;
    DWORD length = (DWORD)wcslen(wide);
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        *(PWSTR *)buffer = wide;
        return length;
    }
    if (length + 1 > size) {
        RtlFreeHeap(BaseHeap(), 0, wide);
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    memcpy(buffer, wide, (length + 1) * sizeof(WCHAR));
    RtlFreeHeap(BaseHeap(), 0, wide);
    return length;
}
