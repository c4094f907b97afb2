/* Counted strings (UNICODE_STRING, ANSI_STRING) and the code-page conversions under them.
   The ANSI code page of the simulated machine is 1252 (Windows-1252); its first 256 code points
   map to Unicode as Latin-1 except 0x80-0x9F, which the table below gives. UTF-8 is code page
   65001. */
#include "ntdll.h"

static const WCHAR Cp1252High[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020,
    0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018,
    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153,
    0x009D, 0x017E, 0x0178};

WCHAR RtlpAnsiCharToUnicode(UCHAR c) {
    return c >= 0x80 && c < 0xA0 ? Cp1252High[c - 0x80] : (WCHAR)c;
}

/* The 1252 byte for a UTF-16 unit, or '?' when it has none. */
CHAR RtlpUnicodeCharToAnsi(WCHAR c) {
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return (CHAR)c;
    for (int i = 0; i < 32; i++)
        if (Cp1252High[i] == c) return (CHAR)(0x80 + i);
    return '?';
}

WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR c) {
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c >= 0x100 && c <= 0x17F && (c & 1) && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F)
        return c - 1;
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}

WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x17F && !(c & 1) && c != 0x130 && c != 0x138 && c != 0x148 && c != 0x17E)
        return c + 1;
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

void NTAPI RtlInitUnicodeString(PUNICODE_STRING d, PCWSTR s) {
    SIZE_T length = s ? wcslen(s) * sizeof(WCHAR) : 0;
    if (length > 0xFFFC) length = 0xFFFC;
    d->Length = (USHORT)length;
    d->MaximumLength = s ? (USHORT)(length + sizeof(WCHAR)) : 0;
    d->Buffer = (PWSTR)s;
}

void NTAPI RtlInitAnsiString(PANSI_STRING d, PCSTR s) {
    SIZE_T length = s ? strlen(s) : 0;
    if (length > 0xFFFE) length = 0xFFFE;
    d->Length = (USHORT)length;
    d->MaximumLength = s ? (USHORT)(length + 1) : 0;
    d->Buffer = (PCHAR)s;
}

void NTAPI RtlInitString(PSTRING d, PCSTR s) { RtlInitAnsiString(d, s); }

NTSTATUS NTAPI RtlMultiByteToUnicodeN(
    PWCH d, ULONG dBytes, PULONG resultBytes, const CHAR *s, ULONG sBytes) {
    ULONG n = dBytes / sizeof(WCHAR);
    if (n > sBytes) n = sBytes;
    for (ULONG i = 0; i < n; i++) d[i] = RtlpAnsiCharToUnicode((UCHAR)s[i]);
    if (resultBytes) *resultBytes = n * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToMultiByteN(
    PCHAR d, ULONG dBytes, PULONG resultBytes, PCWCH s, ULONG sBytes) {
    ULONG n = sBytes / sizeof(WCHAR);
    if (n > dBytes) n = dBytes;
    for (ULONG i = 0; i < n; i++) d[i] = RtlpUnicodeCharToAnsi(s[i]);
    if (resultBytes) *resultBytes = n;
    return STATUS_SUCCESS;
}

/* UTF-8 <-> UTF-16. Invalid input becomes U+FFFD, as Windows does. */
NTSTATUS NTAPI RtlUTF8ToUnicodeN(
    PWSTR d, ULONG dBytes, PULONG resultBytes, const CHAR *src, ULONG sBytes) {
    const UCHAR *s = (const UCHAR *)src;
    ULONG out = 0, capacity = dBytes / sizeof(WCHAR), i = 0;
    NTSTATUS status = STATUS_SUCCESS;
    while (i < sBytes) {
        ULONG c = s[i], need = 0, min = 0;
        if (c < 0x80) need = 0;
        else if ((c & 0xE0) == 0xC0) need = 1, c &= 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0) need = 2, c &= 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0) need = 3, c &= 0x07, min = 0x10000;
        else need = 99;
        ULONG j = 1;
        if (need == 99) c = 0xFFFD;
        else {
            for (; j <= need; j++) {
                if (i + j >= sBytes || (s[i + j] & 0xC0) != 0x80) break;
                c = (c << 6) | (s[i + j] & 0x3F);
            }
            if (j <= need || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
        }
        i += j;
        ULONG units = c >= 0x10000 ? 2 : 1;
        if (d) {
            if (out + units > capacity) {
                status = STATUS_BUFFER_TOO_SMALL;
                break;
            }
            if (units == 2) {
                d[out] = (WCHAR)(0xD800 + ((c - 0x10000) >> 10));
                d[out + 1] = (WCHAR)(0xDC00 + ((c - 0x10000) & 0x3FF));
            } else {
                d[out] = (WCHAR)c;
            }
        }
        out += units;
    }
    if (resultBytes) *resultBytes = out * sizeof(WCHAR);
    return status;
}

NTSTATUS NTAPI RtlUnicodeToUTF8N(
    PCHAR dst, ULONG dBytes, PULONG resultBytes, PCWCH s, ULONG sBytes) {
    UCHAR *d = (UCHAR *)dst;
    ULONG n = sBytes / sizeof(WCHAR), out = 0;
    NTSTATUS status = STATUS_SUCCESS;
    for (ULONG i = 0; i < n; i++) {
        ULONG c = s[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        UCHAR bytes[4];
        ULONG count;
        if (c < 0x80) bytes[0] = (UCHAR)c, count = 1;
        else if (c < 0x800) bytes[0] = (UCHAR)(0xC0 | (c >> 6)), bytes[1] = (UCHAR)(0x80 | (c & 0x3F)), count = 2;
        else if (c < 0x10000)
            bytes[0] = (UCHAR)(0xE0 | (c >> 12)), bytes[1] = (UCHAR)(0x80 | ((c >> 6) & 0x3F)),
            bytes[2] = (UCHAR)(0x80 | (c & 0x3F)), count = 3;
        else
            bytes[0] = (UCHAR)(0xF0 | (c >> 18)), bytes[1] = (UCHAR)(0x80 | ((c >> 12) & 0x3F)),
            bytes[2] = (UCHAR)(0x80 | ((c >> 6) & 0x3F)), bytes[3] = (UCHAR)(0x80 | (c & 0x3F)),
            count = 4;
        if (d) {
            if (out + count > dBytes) {
                status = STATUS_BUFFER_TOO_SMALL;
                break;
            }
            for (ULONG k = 0; k < count; k++) d[out + k] = bytes[k];
        }
        out += count;
    }
    if (resultBytes) *resultBytes = out;
    return status;
}

NTSTATUS NTAPI RtlAnsiStringToUnicodeString(
    PUNICODE_STRING d, PCANSI_STRING s, BOOLEAN allocate) {
    ULONG bytes = (ULONG)s->Length * sizeof(WCHAR);
    if (bytes + sizeof(WCHAR) > 0xFFFF) return STATUS_INVALID_PARAMETER_2;
    if (allocate) {
        d->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
        d->Buffer = RtlAllocateHeap(RtlpProcessHeap(), 0, d->MaximumLength);
        if (!d->Buffer) return STATUS_NO_MEMORY;
    } else if (bytes > d->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    ULONG written;
    RtlMultiByteToUnicodeN(d->Buffer, bytes, &written, s->Buffer, s->Length);
    d->Length = (USHORT)written;
    if (written + sizeof(WCHAR) <= d->MaximumLength) d->Buffer[written / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringToAnsiString(
    PANSI_STRING d, PCUNICODE_STRING s, BOOLEAN allocate) {
    ULONG bytes = s->Length / sizeof(WCHAR);
    if (allocate) {
        d->MaximumLength = (USHORT)(bytes + 1);
        d->Buffer = RtlAllocateHeap(RtlpProcessHeap(), 0, d->MaximumLength);
        if (!d->Buffer) return STATUS_NO_MEMORY;
    } else if (bytes >= d->MaximumLength) {
        if (!d->MaximumLength) return STATUS_BUFFER_OVERFLOW;
        bytes = d->MaximumLength - 1u;
    }
    ULONG written;
    RtlUnicodeToMultiByteN(d->Buffer, bytes, &written, s->Buffer, s->Length);
    d->Length = (USHORT)written;
    d->Buffer[written] = 0;
    return bytes < s->Length / sizeof(WCHAR) ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

void NTAPI RtlFreeUnicodeString(PUNICODE_STRING s) {
    if (s->Buffer) RtlFreeHeap(RtlpProcessHeap(), 0, s->Buffer);
    s->Buffer = NULL;
    s->Length = s->MaximumLength = 0;
}

void NTAPI RtlFreeAnsiString(PANSI_STRING s) {
    if (s->Buffer) RtlFreeHeap(RtlpProcessHeap(), 0, s->Buffer);
    s->Buffer = NULL;
    s->Length = s->MaximumLength = 0;
}

BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING d, PCWSTR s) {
    SIZE_T bytes = (wcslen(s) + 1) * sizeof(WCHAR);
    if (bytes > 0xFFFE) return FALSE;
    d->Buffer = RtlAllocateHeap(RtlpProcessHeap(), 0, bytes);
    if (!d->Buffer) return FALSE;
    memcpy(d->Buffer, s, bytes);
    d->MaximumLength = (USHORT)bytes;
    d->Length = (USHORT)(bytes - sizeof(WCHAR));
    return TRUE;
}

BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING d, PCSTR s) {
    ANSI_STRING a;
    RtlInitAnsiString(&a, s);
    return NT_SUCCESS(RtlAnsiStringToUnicodeString(d, &a, TRUE));
}

LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b, BOOLEAN insensitive) {
    USHORT n = a->Length < b->Length ? a->Length : b->Length;
    for (USHORT i = 0; i < n / sizeof(WCHAR); i++) {
        WCHAR x = a->Buffer[i], y = b->Buffer[i];
        if (insensitive) x = RtlUpcaseUnicodeChar(x), y = RtlUpcaseUnicodeChar(y);
        if (x != y) return (LONG)x - (LONG)y;
    }
    return (LONG)a->Length - (LONG)b->Length;
}

BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b, BOOLEAN insensitive) {
    return a->Length == b->Length && RtlCompareUnicodeString(a, b, insensitive) == 0;
}

void NTAPI RtlCopyUnicodeString(PUNICODE_STRING d, PCUNICODE_STRING s) {
    if (!s) {
        d->Length = 0;
        return;
    }
    USHORT n = s->Length < d->MaximumLength ? s->Length : d->MaximumLength;
    memcpy(d->Buffer, s->Buffer, n);
    d->Length = n;
    if (n + sizeof(WCHAR) <= d->MaximumLength) d->Buffer[n / sizeof(WCHAR)] = 0;
}

NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING d, PCUNICODE_STRING s) {
    if ((ULONG)d->Length + s->Length > d->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
    memcpy((char *)d->Buffer + d->Length, s->Buffer, s->Length);
    d->Length += s->Length;
    if (d->Length + sizeof(WCHAR) <= d->MaximumLength) d->Buffer[d->Length / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING d, PCWSTR s) {
    UNICODE_STRING u;
    RtlInitUnicodeString(&u, s);
    return RtlAppendUnicodeStringToString(d, &u);
}

NTSTATUS NTAPI RtlIntegerToChar(ULONG value, ULONG base, LONG length, PCHAR string) {
    if (!base) base = 10;
    if (base != 2 && base != 8 && base != 10 && base != 16) return STATUS_INVALID_PARAMETER;
    char digits[33];
    int n = 0;
    do {
        ULONG d = value % base;
        digits[n++] = (char)(d < 10 ? '0' + d : 'A' + d - 10);
        value /= base;
    } while (value);
    if (length > 0 && n >= length) return STATUS_BUFFER_OVERFLOW;
    for (int i = 0; i < n; i++) string[i] = digits[n - 1 - i];
    if (length <= 0 || n < length) string[n] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCharToInteger(PCSZ s, ULONG base, PULONG value) {
    while (*s == ' ' || *s == '\t') s++;
    int negative = 0;
    if (*s == '+' || *s == '-') negative = *s++ == '-';
    if (!base) {
        base = 10;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s += 2;
        else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) base = 8, s += 2;
        else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) base = 2, s += 2;
    }
    ULONG v = 0;
    for (;; s++) {
        ULONG d;
        if (*s >= '0' && *s <= '9') d = (ULONG)(*s - '0');
        else if (*s >= 'a' && *s <= 'z') d = (ULONG)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'Z') d = (ULONG)(*s - 'A' + 10);
        else break;
        if (d >= base) break;
        v = v * base + d;
    }
    *value = negative ? (ULONG)-(LONG)v : v;
    return STATUS_SUCCESS;
}
