/* The printf family over the engine in common/format.c: streams (one write per call on a
   console, through the temporary buffer), strings with msvcrt's _snprintf contract, counts. */
#include "crt.h"
#include "../common/format.h"

typedef struct {
    xc_out out;
    FILE *stream;
} STREAM_OUT;

static void StreamWrite(xc_out *out, const void *text, size_t count) {
    STREAM_OUT *s = (STREAM_OUT *)out;
    if (_crt_stream_putn(s->stream, text, count) == EOF) out->error = 1;
}

static void StreamWriteWide(xc_out *out, const void *text, size_t count) {
    STREAM_OUT *s = (STREAM_OUT *)out;
    const wchar_t *w = text;
    char chunk[256];
    while (count) {
        size_t n = count > sizeof(chunk) ? sizeof(chunk) : count;
        for (size_t i = 0; i < n; i++) chunk[i] = w[i] < 0x100 ? (char)w[i] : '?';
        if (_crt_stream_putn(s->stream, chunk, n) == EOF) {
            out->error = 1;
            return;
        }
        w += n;
        count -= n;
    }
}

int __cdecl vfprintf(FILE *stream, const char *format, va_list args) {
    if (!stream || !format) {
        errno = EINVAL;
        return -1;
    }
    STREAM_OUT s = {{StreamWrite, 0, 0}, stream};
    _lock_file(stream);
    int used = _crt_stbuf(stream, NULL, 0);
    int n = xc_vformat(&s.out, 0, format, args);
    _crt_ftbuf(used, stream);
    _unlock_file(stream);
    return n;
}

int __cdecl fprintf(FILE *stream, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfprintf(stream, format, args);
    va_end(args);
    return n;
}

int __cdecl vprintf(const char *format, va_list args) { return vfprintf(&_iob[1], format, args); }

int __cdecl printf(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfprintf(&_iob[1], format, args);
    va_end(args);
    return n;
}

int __cdecl vfwprintf(FILE *stream, const wchar_t *format, va_list args) {
    STREAM_OUT s = {{StreamWriteWide, 0, 0}, stream};
    _lock_file(stream);
    int used = _crt_stbuf(stream, NULL, 0);
    int n = xc_vwformat(&s.out, 0, (const uint16_t *)format, args);
    _crt_ftbuf(used, stream);
    _unlock_file(stream);
    return n;
}

int __cdecl fwprintf(FILE *stream, const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfwprintf(stream, format, args);
    va_end(args);
    return n;
}

int __cdecl vwprintf(const wchar_t *format, va_list args) { return vfwprintf(&_iob[1], format, args); }

int __cdecl wprintf(const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfwprintf(&_iob[1], format, args);
    va_end(args);
    return n;
}

/* ---- Into memory ---- */

typedef struct {
    xc_out out;
    char *buffer;
    size_t capacity; /* characters */
    size_t used;
    size_t unit;
} BUFFER_OUT;

static void BufferWrite(xc_out *out, const void *text, size_t count) {
    BUFFER_OUT *b = (BUFFER_OUT *)out;
    size_t room = b->capacity > b->used ? b->capacity - b->used : 0;
    size_t n = count < room ? count : room;
    if (n) memcpy(b->buffer + b->used * b->unit, text, n * b->unit);
    b->used += n;
}

static void Terminate(BUFFER_OUT *b, size_t at) {
    if (b->unit == 1) b->buffer[at] = 0;
    else ((wchar_t *)b->buffer)[at] = 0;
}

/* _vsnprintf: the length, or -1 when it did not fit (written up to count, no NUL). */
static int Bounded(void *buffer, size_t count, size_t unit, const void *format, va_list args, int c99) {
    BUFFER_OUT b = {{BufferWrite, 0, 0}, buffer, count, 0, unit};
    int n = unit == 1 ? xc_vformat(&b.out, 0, format, args) : xc_vwformat(&b.out, 0, format, args);
    if (n < 0) return -1;
    if (c99) {
        /* C99 snprintf: always terminated (when count > 0), returns the full length. */
        if (count) Terminate(&b, (size_t)n < count ? (size_t)n : count - 1);
        return n;
    }
    if ((size_t)n < count) {
        Terminate(&b, (size_t)n);
        return n;
    }
    return (size_t)n == count ? n : -1;
}

int __cdecl _vsnprintf(char *buffer, size_t count, const char *format, va_list args) {
    return Bounded(buffer, count, 1, format, args, 0);
}

int __cdecl _snprintf(char *buffer, size_t count, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

int __cdecl vsnprintf(char *buffer, size_t count, const char *format, va_list args) {
    return Bounded(buffer, count, 1, format, args, 1);
}

int __cdecl snprintf(char *buffer, size_t count, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

int __cdecl vsprintf(char *buffer, const char *format, va_list args) {
    return Bounded(buffer, 0x7FFFFFFF, 1, format, args, 0);
}

int __cdecl sprintf(char *buffer, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsprintf(buffer, format, args);
    va_end(args);
    return n;
}

static void CountWrite(xc_out *out, const void *text, size_t count) {
    (void)out;
    (void)text;
    (void)count;
}

int __cdecl _vscprintf(const char *format, va_list args) {
    xc_out out = {CountWrite, 0, 0};
    return xc_vformat(&out, 0, format, args);
}

int __cdecl _scprintf(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vscprintf(format, args);
    va_end(args);
    return n;
}

int __cdecl _vsnwprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list args) {
    return Bounded(buffer, count, 2, format, args, 0);
}

int __cdecl _snwprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnwprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

int __cdecl vswprintf(wchar_t *buffer, const wchar_t *format, va_list args) {
    return Bounded(buffer, 0x3FFFFFFF, 2, format, args, 0);
}

int __cdecl swprintf(wchar_t *buffer, const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vswprintf(buffer, format, args);
    va_end(args);
    return n;
}

int __cdecl _swprintf(wchar_t *buffer, const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vswprintf(buffer, format, args);
    va_end(args);
    return n;
}

int __cdecl _vscwprintf(const wchar_t *format, va_list args) {
    xc_out out = {CountWrite, 0, 0};
    return xc_vwformat(&out, 0, (const uint16_t *)format, args);
}

int __cdecl _scwprintf(const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vscwprintf(format, args);
    va_end(args);
    return n;
}

static int OutputFormat;
int __cdecl _set_output_format(int format) {
    int old = OutputFormat;
    OutputFormat = format;
    return old;
}
int __cdecl _get_output_format(void) { return OutputFormat; }
