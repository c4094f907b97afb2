/* The scanf family: one engine over a character source (a string or a FILE stream).
   Conversions: d i u o x X c s [ n p f e g E G a %, with *, widths and the length modifiers
   hh h l ll L I64 I32 j z t w. Wide entry points narrow their input first. */
#include "crt.h"
#include <stdarg.h>
#include "../common/fltconv.h"

typedef struct {
    int (*get)(void *source);
    void (*unget)(int c, void *source);
    void *source;
    int consumed;
} INPUT;

static int Get(INPUT *in) {
    int c = in->get(in->source);
    if (c != EOF) in->consumed++;
    return c;
}

static void Unget(INPUT *in, int c) {
    if (c == EOF) return;
    in->unget(c, in->source);
    in->consumed--;
}

static int IsSpace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int SkipSpace(INPUT *in) {
    int c;
    while ((c = Get(in)) != EOF && IsSpace(c)) {}
    Unget(in, c);
    return c;
}

static int Digit(int c, int base) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
    else return -1;
    return d < base ? d : -1;
}

/* Reads an integer of at most `width` characters; 0 when nothing matched. */
static int ReadInteger(INPUT *in, int base, int width, unsigned long long *value, int *negative) {
    int used = 0, c = Get(in);
    *negative = 0;
    *value = 0;
    if ((c == '+' || c == '-') && used < width) {
        *negative = c == '-';
        used++;
        c = Get(in);
    }
    int digits = 0;
    if ((base == 0 || base == 16) && c == '0' && used < width) {
        used++;
        digits = 1;
        c = Get(in);
        if ((c == 'x' || c == 'X') && used < width) {
            used++;
            base = 16;
            c = Get(in);
            digits = 0;
        } else if (base == 0) {
            base = 8;
        }
    }
    if (base == 0) base = 10;
    while (used < width && Digit(c, base) >= 0) {
        *value = *value * (unsigned)base + (unsigned)Digit(c, base);
        digits++;
        used++;
        c = Get(in);
    }
    Unget(in, c);
    return digits > 0;
}

/* Reads the longest text that can start a floating-point number (at most `width`
   characters) into buffer. */
static int ReadFloatText(INPUT *in, int width, char *buffer, int size) {
    int n = 0, c = Get(in);
    int state = 0; /* 0 sign, 1 digits, 2 fraction, 3 exponent sign, 4 exponent digits */
    int hex = 0;
#define TAKE() \
    do { \
        buffer[n++] = (char)c; \
        c = Get(in); \
    } while (0)
    if ((c == '+' || c == '-') && n < width) TAKE();
    /* inf, infinity, nan */
    if (c == 'i' || c == 'I' || c == 'n' || c == 'N') {
        const char *word = (c == 'i' || c == 'I') ? "infinity" : "nan";
        for (int i = 0; word[i] && n < width && n < size - 1; i++) {
            if ((c | 0x20) != word[i]) {
                if (i == 3 && word[0] == 'i') break;
                break;
            }
            TAKE();
        }
        Unget(in, c);
        buffer[n] = 0;
        return n;
    }
    if (c == '0' && n < width) {
        TAKE();
        if ((c == 'x' || c == 'X') && n < width) {
            hex = 1;
            TAKE();
        }
    }
    state = 1;
    while (n < width && n < size - 1) {
        int isDigit = hex ? Digit(c, 16) >= 0 : (c >= '0' && c <= '9');
        if ((state == 1 || state == 2) && isDigit) TAKE();
        else if (state == 1 && c == '.') {
            state = 2;
            TAKE();
        } else if ((state == 1 || state == 2) && (hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E'))) {
            state = 3;
            TAKE();
        } else if (state == 3 && (c == '+' || c == '-')) {
            state = 4;
            TAKE();
        } else if ((state == 3 || state == 4) && c >= '0' && c <= '9') {
            state = 4;
            TAKE();
        } else {
            break;
        }
    }
#undef TAKE
    Unget(in, c);
    buffer[n] = 0;
    return n;
}

static int Engine(INPUT *in, const char *format, va_list args) {
    int assigned = 0;
    int anyConversion = 0;
    for (const char *p = format; *p; p++) {
        if (IsSpace((unsigned char)*p)) {
            SkipSpace(in);
            continue;
        }
        if (*p != '%' || p[1] == '%') {
            if (*p == '%') {
                p++;
                SkipSpace(in);
            }
            int c = Get(in);
            if (c != (unsigned char)*p) {
                Unget(in, c);
                return c == EOF && !anyConversion && !assigned ? EOF : assigned;
            }
            continue;
        }
        p++;
        int suppress = 0;
        if (*p == '*') suppress = 1, p++;
        int width = 0;
        while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
        int size = 0; /* 'H' char, 'h' short, 'l' long, 'q' 64-bit, 'L' long double, 'w' wide */
        int wide = 0;
        for (int more = 1; more;) {
            switch (*p) {
            case 'h':
                if (p[1] == 'h') size = 'H', p += 2;
                else size = 'h', p++;
                break;
            case 'l':
                if (p[1] == 'l') size = 'q', p += 2;
                else size = 'l', wide = 1, p++;
                break;
            case 'L': size = 'L', p++; break;
            case 'j':
            case 'z':
            case 't': size = 'q', p++; break;
            case 'w': wide = 1, p++; break;
            case 'I':
                if (p[1] == '6' && p[2] == '4') size = 'q', p += 3;
                else if (p[1] == '3' && p[2] == '2') size = 0, p += 3;
                else size = 'q', p++;
                break;
            default: more = 0;
            }
        }
        char conversion = *p;
        if (!conversion) break;
        if (conversion == 'n') {
            if (!suppress) {
                void *target = va_arg(args, void *);
                if (size == 'H') *(signed char *)target = (signed char)in->consumed;
                else if (size == 'h') *(short *)target = (short)in->consumed;
                else if (size == 'q') *(long long *)target = in->consumed;
                else if (size == 'l') *(long *)target = in->consumed;
                else *(int *)target = in->consumed;
            }
            continue;
        }
        if (conversion != 'c' && conversion != '[') {
            if (SkipSpace(in) == EOF) return anyConversion || assigned ? assigned : EOF;
        }
        anyConversion = 1;
        switch (conversion) {
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X':
        case 'p': {
            int base = conversion == 'd' || conversion == 'u' ? 10 : conversion == 'o' ? 8 : conversion == 'i' ? 0 : 16;
            unsigned long long value;
            int negative;
            if (!ReadInteger(in, base, width ? width : 0x7FFFFFFF, &value, &negative)) return assigned;
            if (negative) value = 0 - value;
            if (suppress) break;
            void *target = va_arg(args, void *);
            if (conversion == 'p') *(void **)target = (void *)(uintptr_t)value;
            else if (size == 'H') *(char *)target = (char)value;
            else if (size == 'h') *(short *)target = (short)value;
            else if (size == 'q') *(long long *)target = (long long)value;
            else if (size == 'l') *(long *)target = (long)value;
            else *(int *)target = (int)value;
            assigned++;
            break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case 'a':
        case 'A': {
            char text[512];
            int n = ReadFloatText(in, width ? width : 0x7FFFFFFF, text, sizeof(text));
            if (!n) return assigned;
            const char *end;
            int range;
            double value = xc_strtod(text, &end, &range);
            if (end == text) return assigned;
            if (suppress) break;
            void *target = va_arg(args, void *);
            if (size == 'l' || size == 'L' || size == 'q') *(double *)target = value;
            else *(float *)target = (float)value;
            assigned++;
            break;
        }
        case 'c':
        case 'C': {
            int count = width ? width : 1;
            int toWide = (conversion == 'C') ? !wide || size != 'h' : wide;
            if (conversion == 'c' && size == 'h') toWide = 0;
            char *target = suppress ? NULL : va_arg(args, char *);
            int got = 0;
            for (; got < count; got++) {
                int c = Get(in);
                if (c == EOF) break;
                if (target) {
                    if (toWide) ((wchar_t *)target)[got] = (wchar_t)(unsigned char)c;
                    else target[got] = (char)c;
                }
            }
            if (!got) return assigned ? assigned : EOF;
            if (!suppress) assigned++;
            break;
        }
        case 's':
        case 'S':
        case '[': {
            unsigned char set[256];
            int invert = 0;
            if (conversion == '[') {
                memset(set, 0, sizeof(set));
                p++;
                if (*p == '^') invert = 1, p++;
                if (*p == ']') set[']'] = 1, p++;
                for (; *p && *p != ']'; p++) {
                    if (p[1] == '-' && p[2] && p[2] != ']') {
                        for (int c = (unsigned char)p[0]; c <= (unsigned char)p[2]; c++) set[c] = 1;
                        p += 2;
                    } else {
                        set[(unsigned char)*p] = 1;
                    }
                }
                if (!*p) p--; /* unterminated set: stop at the end */
            }
            int toWide = (conversion == 'S') ? !(size == 'h') : wide;
            char *target = suppress ? NULL : va_arg(args, char *);
            int limit = width ? width : 0x7FFFFFFF, got = 0;
            int c = 0;
            while (got < limit && (c = Get(in)) != EOF) {
                int accept = conversion == '[' ? (set[c] != 0) != invert : !IsSpace(c);
                if (!accept) {
                    Unget(in, c);
                    break;
                }
                if (target) {
                    if (toWide) ((wchar_t *)target)[got] = (wchar_t)(unsigned char)c;
                    else target[got] = (char)c;
                }
                got++;
            }
            if (!got) return c == EOF && !assigned ? EOF : assigned;
            if (target) {
                if (toWide) ((wchar_t *)target)[got] = 0;
                else target[got] = 0;
                assigned++;
            }
            break;
        }
        default: return assigned;
        }
    }
    return assigned;
}

/* ---- Sources ---- */

typedef struct {
    const unsigned char *text;
    size_t position;
} STRING_SOURCE;

static int StringGet(void *source) {
    STRING_SOURCE *s = source;
    int c = s->text[s->position];
    if (!c) return EOF;
    s->position++;
    return c;
}

static void StringUnget(int c, void *source) {
    (void)c;
    STRING_SOURCE *s = source;
    if (s->position) s->position--;
}

static int StreamGet(void *source) { return _crt_stream_getc(source); }
static void StreamUnget(int c, void *source) { _crt_stream_ungetc(c, source); }

int __cdecl vsscanf(const char *text, const char *format, va_list args) {
    if (!text || !format) {
        errno = EINVAL;
        return EOF;
    }
    STRING_SOURCE s = {(const unsigned char *)text, 0};
    INPUT in = {StringGet, StringUnget, &s, 0};
    return Engine(&in, format, args);
}

int __cdecl sscanf(const char *text, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsscanf(text, format, args);
    va_end(args);
    return n;
}

int __cdecl vfscanf(FILE *stream, const char *format, va_list args) {
    if (!stream || !format) {
        errno = EINVAL;
        return EOF;
    }
    if (stream == &_iob[0] && (_iob[1]._flag & _IOWRT)) fflush(&_iob[1]);
    _lock_file(stream);
    INPUT in = {StreamGet, StreamUnget, stream, 0};
    int n = Engine(&in, format, args);
    _unlock_file(stream);
    return n;
}

int __cdecl fscanf(FILE *stream, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfscanf(stream, format, args);
    va_end(args);
    return n;
}

int __cdecl vscanf(const char *format, va_list args) { return vfscanf(&_iob[0], format, args); }

int __cdecl scanf(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vfscanf(&_iob[0], format, args);
    va_end(args);
    return n;
}

/* Wide forms: the text and format narrowed ("C" locale). */
static char *Narrow(const wchar_t *w) {
    size_t n = wcslen(w);
    char *s = malloc(n + 1);
    if (!s) return NULL;
    for (size_t i = 0; i <= n; i++) s[i] = w[i] < 0x100 ? (char)w[i] : '?';
    return s;
}

int __cdecl swscanf(const wchar_t *text, const wchar_t *format, ...) {
    char *t = Narrow(text), *f = Narrow(format);
    int n = EOF;
    if (t && f) {
        /* %s and %c into wide buffers: make them explicit wide conversions. */
        size_t length = strlen(f);
        char *g = malloc(length * 2 + 1);
        if (g) {
            size_t k = 0;
            for (size_t i = 0; i < length; i++) {
                g[k++] = f[i];
                if (f[i] == '%' && i + 1 < length && f[i + 1] != '%') {
                    size_t j = i + 1;
                    while (j < length && (f[j] == '*' || (f[j] >= '0' && f[j] <= '9'))) g[k++] = f[j++];
                    if (j < length && (f[j] == 's' || f[j] == 'c' || f[j] == '[')) g[k++] = 'l';
                    i = j - 1;
                }
            }
            g[k] = 0;
            va_list args;
            va_start(args, format);
            n = vsscanf(t, g, args);
            va_end(args);
            free(g);
        }
    }
    free(t);
    free(f);
    return n;
}
