/* The body of the printf engine, instantiated by format.c with TCHAR (the output and format
   character type), ENGINE (the function's name) and WIDE_OUTPUT. */

#define PASTE2(a, b) a##b
#define PASTE(a, b) PASTE2(a, b)
#define F(name) PASTE(name, WIDE_OUTPUT)

static void F(emit)(xc_out *out, const TCHAR *text, size_t count) {
    if (count) {
        out->write(out, text, count);
        out->total += count;
    }
}

static void F(pad)(xc_out *out, TCHAR c, long count) {
    TCHAR buffer[32];
    for (int i = 0; i < 32; i++) buffer[i] = c;
    while (count > 0) {
        long n = count > 32 ? 32 : count;
        F(emit)(out, buffer, (size_t)n);
        count -= n;
    }
}

static void F(emit_ascii)(xc_out *out, const char *text, size_t count) {
#if WIDE_OUTPUT
    TCHAR buffer[64];
    while (count) {
        size_t n = count > 64 ? 64 : count;
        for (size_t i = 0; i < n; i++) buffer[i] = (TCHAR)(unsigned char)text[i];
        F(emit)(out, buffer, n);
        text += n;
        count -= n;
    }
#else
    F(emit)(out, text, count);
#endif
}

/* A field: prefix (sign, 0x), zeros, body, padded to width. */
static void F(field)(xc_out *out, int flags, long width, const char *prefix, size_t prefixLength,
    long zeros, const char *body, size_t bodyLength) {
    long length = (long)(prefixLength + bodyLength) + (zeros > 0 ? zeros : 0);
    long padding = width > length ? width - length : 0;
    if (!(flags & FLAG_LEFT) && !(flags & FLAG_ZERO)) F(pad)(out, ' ', padding);
    F(emit_ascii)(out, prefix, prefixLength);
    if (!(flags & FLAG_LEFT) && (flags & FLAG_ZERO)) F(pad)(out, '0', padding);
    F(pad)(out, '0', zeros);
    F(emit_ascii)(out, body, bodyLength);
    if (flags & FLAG_LEFT) F(pad)(out, ' ', padding);
}

/* Strings of the other width are converted one unit at a time: wide to narrow keeps units
   below 256 and writes '?' for others; narrow to wide widens bytes. */
static void F(emit_narrow_string)(xc_out *out, const char *s, long precision, long width, int flags) {
    size_t length = 0;
    if (precision < 0) while (s[length]) length++;
    else while ((long)length < precision && s[length]) length++;
    long padding = width > (long)length ? width - (long)length : 0;
    if (!(flags & FLAG_LEFT)) F(pad)(out, (flags & FLAG_ZERO) ? '0' : ' ', padding);
    F(emit_ascii)(out, s, length);
    if (flags & FLAG_LEFT) F(pad)(out, ' ', padding);
}

static void F(emit_wide_string)(xc_out *out, const xc_wchar *s, long precision, long width, int flags) {
    size_t length = 0;
    if (precision < 0) while (s[length]) length++;
    else while ((long)length < precision && s[length]) length++;
    long padding = width > (long)length ? width - (long)length : 0;
    if (!(flags & FLAG_LEFT)) F(pad)(out, (flags & FLAG_ZERO) ? '0' : ' ', padding);
#if WIDE_OUTPUT
    F(emit)(out, s, length);
#else
    char buffer[64];
    size_t done = 0;
    while (done < length) {
        size_t n = length - done > 64 ? 64 : length - done;
        for (size_t i = 0; i < n; i++) buffer[i] = s[done + i] < 256 ? (char)s[done + i] : '?';
        F(emit)(out, buffer, n);
        done += n;
    }
#endif
    if (flags & FLAG_LEFT) F(pad)(out, ' ', padding);
}

static const char F(null_text)[] = "(null)";
static const xc_wchar F(null_wide)[] = {'(', 'n', 'u', 'l', 'l', ')', 0};

static void F(format_integer)(xc_out *out, int flags, long width, long precision, uint64_t value,
    int negative, int base, int upper, char conversion) {
    char digits[72];
    int n = 0;
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    while (value) {
        digits[sizeof(digits) - 1 - n++] = set[value % (unsigned)base];
        value /= (unsigned)base;
    }
    char prefix[3];
    size_t prefixLength = 0;
    if (conversion == 'd' || conversion == 'i') {
        if (negative) prefix[prefixLength++] = '-';
        else if (flags & FLAG_PLUS) prefix[prefixLength++] = '+';
        else if (flags & FLAG_SPACE) prefix[prefixLength++] = ' ';
    }
    if ((flags & FLAG_ALT) && base == 16 && n) {
        prefix[prefixLength++] = '0';
        prefix[prefixLength++] = upper ? 'X' : 'x';
    }
    long zeros = 0;
    if (precision >= 0) {
        flags &= ~FLAG_ZERO;
        zeros = precision - n;
    } else if (!n) {
        zeros = 1; /* "0" */
    }
    if ((flags & FLAG_ALT) && base == 8 && zeros <= 0 && (!n || digits[sizeof(digits) - n] != '0'))
        zeros = 1;
    F(field)(out, flags, width, prefix, prefixLength, zeros, digits + sizeof(digits) - n, (size_t)n);
}

static void F(format_special)(xc_out *out, int flags, long width, int negative, int nan, int upper) {
    char text[5];
    size_t n = 0;
    if (negative) text[n++] = '-';
    else if (flags & FLAG_PLUS) text[n++] = '+';
    else if (flags & FLAG_SPACE) text[n++] = ' ';
    const char *word = nan ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    for (int i = 0; i < 3; i++) text[n++] = word[i];
    F(field)(out, flags & ~FLAG_ZERO, width, "", 0, 0, text, n);
}

/* %f, %e, %g from the exact digits. */
static void F(format_float)(xc_out *out, int flags, long width, long precision, double value, char conversion) {
    uint64_t bits;
    __builtin_memcpy(&bits, &value, 8);
    int negative = (int)(bits >> 63);
    int upper = conversion >= 'A' && conversion <= 'Z';
    char lowerConversion = (char)(upper ? conversion + 32 : conversion);
    if ((bits & 0x7FF0000000000000ull) == 0x7FF0000000000000ull) {
        F(format_special)(out, flags, width, negative, (bits & 0xFFFFFFFFFFFFFull) != 0, upper);
        return;
    }
    if (precision < 0) precision = 6;
    if (precision > 1000) precision = 1000;
    char local[XC_MAX_DIGITS + 8];
    int exponent;
    int count = xc_exact_digits(negative ? -value : value, local, &exponent);
    char prefix[2];
    size_t prefixLength = 0;
    if (negative) prefix[prefixLength++] = '-';
    else if (flags & FLAG_PLUS) prefix[prefixLength++] = '+';
    else if (flags & FLAG_SPACE) prefix[prefixLength++] = ' ';

    int style = lowerConversion; /* 'f' or 'e' after %g's choice */
    int strip = 0;
    if (lowerConversion == 'g') {
        long p = precision ? precision : 1;
        int e = exponent;
        int c = xc_round_digits(local, count, (int)p, &e);
        /* X: the decimal exponent of the rounded value in %e form. */
        long x = c ? e - 1 : 0;
        if (p > x && x >= -4) {
            style = 'f';
            precision = p - 1 - x;
        } else {
            style = 'e';
            precision = p - 1;
        }
        count = c;
        exponent = e;
        strip = !(flags & FLAG_ALT);
    }
    /* Body text: at most digits + zeros; built in pieces. */
    char head[XC_MAX_DIGITS + 1400]; /* 309 integer digits, '.', 1000 fraction digits */
    size_t h = 0;
    long fractionZeros = 0; /* zeros after the digits in the fraction */
    const char *tail = "";
    size_t tailLength = 0;
    char exponentText[8];
    if (style == 'f') {
        count = xc_round_digits(local, count, (int)(exponent + precision), &exponent);
        /* integer part: a double has at most 309 integer digits */
        if (count == 0 || exponent <= 0) {
            head[h++] = '0';
        } else {
            for (int i = 0; i < exponent; i++) head[h++] = i < count ? local[i] : '0';
        }
        long fractionDigits = precision;
        if (strip) {
            /* %g: drop trailing zeros of the fraction */
            long significant = count - (exponent > 0 ? exponent : 0);
            if (exponent < 0) significant = count - exponent;
            if (count == 0) significant = 0;
            if (significant < fractionDigits) fractionDigits = significant > 0 ? significant : 0;
        }
        if (fractionDigits > 0 || (flags & FLAG_ALT)) head[h++] = '.';
        long produced = 0;
        for (long i = 0; i < fractionDigits && h < sizeof(head) - 1; i++) {
            long index = exponent + i; /* digit index of the i-th fraction digit */
            if (index >= count) break;
            head[h++] = index >= 0 ? local[index] : '0';
            produced++;
        }
        fractionZeros = fractionDigits - produced;
    } else {
        count = xc_round_digits(local, count, (int)(precision + 1), &exponent);
        int e = count ? exponent - 1 : 0;
        head[h++] = count ? local[0] : '0';
        long fractionDigits = precision;
        if (strip) {
            long significant = count > 1 ? count - 1 : 0;
            if (significant < fractionDigits) fractionDigits = significant;
        }
        if (fractionDigits > 0 || (flags & FLAG_ALT)) head[h++] = '.';
        long produced = 0;
        for (long i = 1; i <= fractionDigits && i < count && h < sizeof(head) - 1; i++) {
            head[h++] = local[i];
            produced++;
        }
        fractionZeros = fractionDigits - produced;
        size_t t = 0;
        exponentText[t++] = upper ? 'E' : 'e';
        exponentText[t++] = e < 0 ? '-' : '+';
        int a = e < 0 ? -e : e;
        if (a >= 100) exponentText[t++] = (char)('0' + a / 100);
        exponentText[t++] = (char)('0' + a / 10 % 10);
        exponentText[t++] = (char)('0' + a % 10);
        tail = exponentText;
        tailLength = t;
    }
    long length = (long)(prefixLength + h + tailLength) + fractionZeros;
    long padding = width > length ? width - length : 0;
    if (!(flags & FLAG_LEFT) && !(flags & FLAG_ZERO)) F(pad)(out, ' ', padding);
    F(emit_ascii)(out, prefix, prefixLength);
    if (!(flags & FLAG_LEFT) && (flags & FLAG_ZERO)) F(pad)(out, '0', padding);
    F(emit_ascii)(out, head, h);
    F(pad)(out, '0', fractionZeros);
    F(emit_ascii)(out, tail, tailLength);
    if (flags & FLAG_LEFT) F(pad)(out, ' ', padding);
}

/* %a: hexadecimal significand, binary exponent, as glibc writes it. */
static void F(format_hex_float)(xc_out *out, int flags, long width, long precision, double value, int upper) {
    uint64_t bits;
    __builtin_memcpy(&bits, &value, 8);
    int negative = (int)(bits >> 63);
    if ((bits & 0x7FF0000000000000ull) == 0x7FF0000000000000ull) {
        F(format_special)(out, flags, width, negative, (bits & 0xFFFFFFFFFFFFFull) != 0, upper);
        return;
    }
    int biased = (int)((bits >> 52) & 0x7FF);
    uint64_t fraction = bits & 0xFFFFFFFFFFFFFull;
    int lead = biased ? 1 : 0;
    int e = biased ? biased - 1023 : (fraction ? -1022 : 0);
    if (precision >= 0 && precision < 13) {
        int drop = (13 - (int)precision) * 4;
        uint64_t rest = fraction & ((1ull << drop) - 1), half = 1ull << (drop - 1);
        fraction >>= drop;
        uint64_t lastDigitOdd = precision ? (fraction & 1) : (uint64_t)(lead & 1);
        if (rest > half || (rest == half && lastDigitOdd)) fraction++;
        if (fraction >> (precision * 4)) {
            fraction &= (1ull << (precision * 4)) - 1;
            lead++;
        }
        fraction <<= drop;
    }
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char body[64];
    size_t n = 0;
    body[n++] = (char)('0' + lead);
    char hex[13];
    int used = 13;
    for (int i = 0; i < 13; i++) hex[i] = set[(fraction >> (48 - 4 * i)) & 15];
    if (precision < 0) {
        while (used > 0 && hex[used - 1] == '0') used--;
    } else {
        used = (int)(precision < 13 ? precision : 13);
    }
    if (used > 0 || (flags & FLAG_ALT) || precision > 13) body[n++] = '.';
    for (int i = 0; i < used; i++) body[n++] = hex[i];
    long extraZeros = precision > 13 ? precision - 13 : 0;
    char tail[8];
    size_t t = 0;
    tail[t++] = upper ? 'P' : 'p';
    tail[t++] = e < 0 ? '-' : '+';
    int a = e < 0 ? -e : e;
    char rev[6];
    int r = 0;
    do rev[r++] = (char)('0' + a % 10), a /= 10;
    while (a);
    while (r) tail[t++] = rev[--r];
    char prefix[4];
    size_t p = 0;
    if (negative) prefix[p++] = '-';
    else if (flags & FLAG_PLUS) prefix[p++] = '+';
    else if (flags & FLAG_SPACE) prefix[p++] = ' ';
    prefix[p++] = '0';
    prefix[p++] = upper ? 'X' : 'x';
    long length = (long)(p + n + t) + extraZeros;
    long padding = width > length ? width - length : 0;
    if (!(flags & FLAG_LEFT) && !(flags & FLAG_ZERO)) F(pad)(out, ' ', padding);
    F(emit_ascii)(out, prefix, p);
    if (!(flags & FLAG_LEFT) && (flags & FLAG_ZERO)) F(pad)(out, '0', padding);
    F(emit_ascii)(out, body, n);
    F(pad)(out, '0', extraZeros);
    F(emit_ascii)(out, tail, t);
    if (flags & FLAG_LEFT) F(pad)(out, ' ', padding);
}

int ENGINE(xc_out *out, int mode, const TCHAR *format, va_list args) {
    out->total = 0;
    out->error = 0;
    const TCHAR *p = format;
    while (*p) {
        const TCHAR *start = p;
        while (*p && *p != '%') p++;
        F(emit)(out, start, (size_t)(p - start));
        if (!*p) break;
        const TCHAR *spec = p;
        p++; /* '%' */
        int flags = 0;
        for (;; p++) {
            if (*p == '-') flags |= FLAG_LEFT;
            else if (*p == '+') flags |= FLAG_PLUS;
            else if (*p == ' ') flags |= FLAG_SPACE;
            else if (*p == '#') flags |= FLAG_ALT;
            else if (*p == '0') flags |= FLAG_ZERO;
            else break;
        }
        long width = 0;
        if (*p == '*') {
            width = va_arg(args, int);
            if (width < 0) flags |= FLAG_LEFT, width = -width;
            p++;
        } else {
            while (*p >= '0' && *p <= '9') {
                if (width < 100000000) width = width * 10 + (*p - '0');
                p++;
            }
        }
        long precision = -1;
        if (*p == '.') {
            p++;
            precision = 0;
            if (*p == '*') {
                precision = va_arg(args, int);
                if (precision < 0) precision = -1;
                p++;
            } else {
                while (*p >= '0' && *p <= '9') {
                    if (precision < 100000000) precision = precision * 10 + (*p - '0');
                    p++;
                }
            }
        }
        if (flags & FLAG_LEFT) flags &= ~FLAG_ZERO;
        if (flags & FLAG_PLUS) flags &= ~FLAG_SPACE;
        /* Length: 0 int, 'H' char, 'h' short, 'l' long, 'q' 64-bit, 'L' long double, 'w' wide. */
        int size = 0, wide = -1;
        for (int more = 1; more;) {
            switch (*p) {
            case 'h':
                if (p[1] == 'h') size = 'H', p += 2;
                else size = 'h', wide = 0, p++;
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
        TCHAR c = *p;
        if (!c) break;
        p++;
        switch (c) {
        case '%': F(emit)(out, &c, 1); break;
        case 'd':
        case 'i': {
            int64_t v;
            if (size == 'q') v = va_arg(args, int64_t);
            else if (size == 'l') v = va_arg(args, long);
            else if (size == 'h') v = (short)va_arg(args, int);
            else if (size == 'H') v = (signed char)va_arg(args, int);
            else v = va_arg(args, int);
            uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            F(format_integer)(out, flags, width, precision, magnitude, v < 0, 10, 0, 'd');
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            uint64_t v;
            if (size == 'q') v = va_arg(args, uint64_t);
            else if (size == 'l') v = va_arg(args, unsigned long);
            else if (size == 'h') v = (unsigned short)va_arg(args, unsigned);
            else if (size == 'H') v = (unsigned char)va_arg(args, unsigned);
            else v = va_arg(args, unsigned);
            int base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            F(format_integer)(out, flags, width, precision, v, 0, base, c == 'X', (char)c);
            break;
        }
        case 'p': {
            uint64_t v = (uint64_t)(uintptr_t)va_arg(args, void *);
            /* msvcrt: the pointer as 16 upper-case hex digits */
            F(format_integer)(out, flags & ~FLAG_ALT, width, 16, v, 0, 16, 1, 'X');
            break;
        }
        case 'c':
        case 'C': {
            int w = wide >= 0 ? wide : (c == 'C') != WIDE_OUTPUT;
            if (w) {
                xc_wchar ch[2] = {(xc_wchar)va_arg(args, int), 0};
                F(emit_wide_string)(out, ch, 1, width, flags & ~FLAG_ZERO);
            } else {
                char ch[2] = {(char)va_arg(args, int), 0};
                /* a NUL character still counts */
                long padding = width > 1 ? width - 1 : 0;
                if (!(flags & FLAG_LEFT)) F(pad)(out, ' ', padding);
                F(emit_ascii)(out, ch, 1);
                if (flags & FLAG_LEFT) F(pad)(out, ' ', padding);
            }
            break;
        }
        case 's':
        case 'S': {
            int w = wide >= 0 ? wide : (c == 'S') != WIDE_OUTPUT;
            const void *s = va_arg(args, const void *);
            if (w) F(emit_wide_string)(out, s ? s : F(null_wide), precision, width, flags & ~FLAG_ZERO);
            else F(emit_narrow_string)(out, s ? s : F(null_text), precision, width, flags & ~FLAG_ZERO);
            break;
        }
        case 'Z': {
            const xc_nt_string *s = va_arg(args, const xc_nt_string *);
            if (!s || !s->Buffer) {
                F(emit_narrow_string)(out, F(null_text), precision, width, flags);
            } else if (wide == 1) {
                long units = s->Length / 2;
                F(emit_wide_string)(out, s->Buffer, precision >= 0 && precision < units ? precision : units,
                    width, flags);
            } else {
                long units = s->Length;
                F(emit_narrow_string)(out, s->Buffer, precision >= 0 && precision < units ? precision : units,
                    width, flags);
            }
            (void)mode;
            break;
        }
        case 'n': {
            void *target = va_arg(args, void *);
            if (size == 'q') *(int64_t *)target = (int64_t)out->total;
            else if (size == 'h') *(short *)target = (short)out->total;
            else if (size == 'H') *(signed char *)target = (signed char)out->total;
            else if (size == 'l') *(long *)target = (long)out->total;
            else *(int *)target = (int)out->total;
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': {
            double v = size == 'L' ? (double)va_arg(args, long double) : va_arg(args, double);
            F(format_float)(out, flags, width, precision, v, (char)c);
            break;
        }
        case 'a':
        case 'A': {
            double v = size == 'L' ? (double)va_arg(args, long double) : va_arg(args, double);
            F(format_hex_float)(out, flags, width, precision, v, c == 'A');
            break;
        }
        default:
            /* An unknown conversion is written as it stands. */
            F(emit)(out, spec, (size_t)(p - spec));
            break;
        }
        if (out->error) return -1;
    }
    return out->error ? -1 : (int)out->total;
}

#undef F
