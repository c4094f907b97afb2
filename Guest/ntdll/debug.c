/* Debugger services and ntdll's printf family: DbgBreakPoint, DbgPrint (raised as
   DBG_PRINTEXCEPTION_C, which the debugger prints), _vsnprintf/_snprintf/sprintf and their wide
   forms over the shared engine in common/format.c. */
#include "ntdll.h"
#include "../common/format.h"

__attribute__((naked)) void NTAPI DbgBreakPoint(void) { __asm__("int3\n\tret"); }

__attribute__((naked)) void NTAPI DbgUserBreakPoint(void) { __asm__("int3\n\tret"); }

typedef struct {
    xc_out out;
    char *buffer;
    size_t capacity; /* characters the buffer holds */
    size_t used;
    size_t unit;     /* 1 or 2 */
} BUFFER_OUT;

static void BufferWrite(xc_out *out, const void *text, size_t count) {
    BUFFER_OUT *b = (BUFFER_OUT *)out;
    size_t room = b->capacity > b->used ? b->capacity - b->used : 0;
    size_t n = count < room ? count : room;
    memcpy(b->buffer + b->used * b->unit, text, n * b->unit);
    b->used += n;
}

/* msvcrt's _vsnprintf contract: the count written, or -1 when it did not fit (no NUL then). */
static int Snprintf(void *buffer, size_t count, size_t unit, const void *format, va_list args, int wide) {
    BUFFER_OUT b = {{BufferWrite, 0, 0}, buffer, count, 0, unit};
    int n = wide ? xc_vwformat(&b.out, XC_FORMAT_NT, format, args) : xc_vformat(&b.out, XC_FORMAT_NT, format, args);
    if (n < 0) return -1;
    if ((size_t)n < count) {
        if (unit == 1) ((char *)buffer)[n] = 0;
        else ((WCHAR *)buffer)[n] = 0;
        return n;
    }
    if ((size_t)n == count) return n; /* exactly full: no NUL, as msvcrt does */
    return -1;
}

int _vsnprintf(char *buffer, size_t count, const char *format, va_list args) {
    return Snprintf(buffer, count, 1, format, args, 0);
}

int _snprintf(char *buffer, size_t count, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

int sprintf(char *buffer, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = Snprintf(buffer, (size_t)0x7FFFFFFF, 1, format, args, 0);
    va_end(args);
    return n;
}

int vsprintf(char *buffer, const char *format, va_list args) {
    return Snprintf(buffer, (size_t)0x7FFFFFFF, 1, format, args, 0);
}

int _vsnwprintf(WCHAR *buffer, size_t count, const WCHAR *format, va_list args) {
    return Snprintf(buffer, count, 2, format, args, 1);
}

int _snwprintf(WCHAR *buffer, size_t count, const WCHAR *format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnwprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

int swprintf(WCHAR *buffer, const WCHAR *format, ...) {
    va_list args;
    va_start(args, format);
    int n = Snprintf(buffer, (size_t)0x3FFFFFFF, 2, format, args, 1);
    va_end(args);
    return n;
}

/* Raises DBG_PRINTEXCEPTION_C as OutputDebugStringA does; without a debugger to take it the
   exception is handled here. */
static void RaiseDebugPrint(const char *text, size_t length) {
    EXCEPTION_RECORD record = {0};
    record.ExceptionCode = (DWORD)DBG_PRINTEXCEPTION_C;
    record.NumberParameters = 2;
    record.ExceptionInformation[0] = length + 1;
    record.ExceptionInformation[1] = (ULONG_PTR)text;
    __try {
        RtlRaiseException(&record);
    } __except (1) {
    }
}

ULONG vDbgPrintEx(ULONG component, ULONG level, PCSTR format, va_list args) {
    (void)component;
    (void)level;
    char text[512];
    int n = _vsnprintf(text, sizeof(text) - 1, format, args);
    if (n < 0) n = sizeof(text) - 1;
    text[n] = 0;
    RaiseDebugPrint(text, (size_t)n);
    return STATUS_SUCCESS;
}

ULONG __cdecl DbgPrint(PCSTR format, ...) {
    va_list args;
    va_start(args, format);
    ULONG status = vDbgPrintEx(0, 0, format, args);
    va_end(args);
    return status;
}

ULONG __cdecl DbgPrintEx(ULONG component, ULONG level, PCSTR format, ...) {
    va_list args;
    va_start(args, format);
    ULONG status = vDbgPrintEx(component, level, format, args);
    va_end(args);
    return status;
}

/* The caller's return addresses, skipping `skip` frames, through the unwinder. */
USHORT NTAPI RtlCaptureStackBackTrace(ULONG skip, ULONG count, PVOID *trace, PULONG hash) {
    CONTEXT context;
    RtlCaptureContext(&context);
    ULONG found = 0, sum = 0;
    skip++; /* this function */
    for (int depth = 0; depth < 512 && found < count; depth++) {
        DWORD64 base, establisher;
        PVOID data;
        PRUNTIME_FUNCTION fe = RtlLookupFunctionEntry(context.Rip, &base, NULL);
        if (fe) {
            RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, context.Rip, fe, &context, &data, &establisher, NULL);
        } else {
            context.Rip = *(PDWORD64)context.Rsp;
            context.Rsp += 8;
        }
        if (!context.Rip) break;
        if (skip) {
            skip--;
            continue;
        }
        trace[found++] = (PVOID)context.Rip;
        sum += (ULONG)context.Rip;
    }
    if (hash) *hash = sum;
    return (USHORT)found;
}

ULONG NTAPI RtlRandom(PULONG seed) {
    *seed = *seed * 0x7FFFFFED + 0x7FFFFFC3;
    return *seed % 0x7FFFFFFF;
}

ULONG NTAPI RtlRandomEx(PULONG seed) { return RtlRandom(seed); }

void NTAPI RtlSecondsSince1970ToTime(ULONG seconds, PLARGE_INTEGER time) {
    time->QuadPart = (LONGLONG)seconds * 10000000 + 116444736000000000LL;
}

BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER time, PULONG seconds) {
    LONGLONG s = (time->QuadPart - 116444736000000000LL) / 10000000;
    if (s < 0 || s > 0xFFFFFFFFLL) return FALSE;
    *seconds = (ULONG)s;
    return TRUE;
}
