/* Code pages and text: the ANSI and OEM code page is 1252, the console's 65001 (UTF-8).
   ntdll does the per-character work. */
#include "k32.h"

#define ACP 1252

static UINT Resolve(UINT cp) {
    if (cp == CP_ACP || cp == CP_OEMCP || cp == CP_THREAD_ACP || cp == 2 /* CP_MACCP */) return ACP;
    return cp;
}

UINT WINAPI GetACP(void) { return ACP; }
UINT WINAPI GetOEMCP(void) { return ACP; }

BOOL WINAPI IsValidCodePage(UINT cp) {
    cp = Resolve(cp);
    return cp == ACP || cp == CP_UTF8 || cp == 20127 || cp == 28591 || cp == 1200;
}

BOOL WINAPI GetCPInfo(UINT cp, LPCPINFO info) {
    cp = Resolve(cp);
    if (!IsValidCodePage(cp) || cp == 1200) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    memset(info, 0, sizeof(*info));
    info->MaxCharSize = cp == CP_UTF8 ? 4 : 1;
    info->DefaultChar[0] = '?';
    return TRUE;
}

BOOL WINAPI IsDBCSLeadByteEx(UINT cp, BYTE c) {
    (void)cp;
    (void)c;
    return FALSE; /* no double-byte code pages */
}

BOOL WINAPI IsDBCSLeadByte(BYTE c) { return IsDBCSLeadByteEx(ACP, c); }

static WCHAR RtlpAnsiCharToUnicode(UCHAR c) {
    WCHAR w;
    RtlMultiByteToUnicodeN(&w, sizeof(w), NULL, (const CHAR *)&c, 1);
    return w;
}

static CHAR RtlpUnicodeCharToAnsi(WCHAR c) {
    CHAR a;
    RtlUnicodeToMultiByteN(&a, 1, NULL, &c, sizeof(c));
    return a;
}

static BOOL ValidUtf8(const BYTE *s, int n) {
    for (int i = 0; i < n;) {
        BYTE c = s[i];
        int need = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (need < 0 || (need == 1 && c < 0xC2)) return FALSE;
        for (int j = 1; j <= need; j++)
            if (i + j >= n || (s[i + j] & 0xC0) != 0x80) return FALSE;
        i += need + 1;
    }
    return TRUE;
}

int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, LPCCH source, int length, LPWSTR destination, int size) {
    if (!source || size < 0 || (size && !destination) || length == 0 || length < -1) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    cp = Resolve(cp);
    if (length == -1) length = (int)strlen(source) + 1;
    if (cp == CP_UTF8) {
        if ((flags & MB_ERR_INVALID_CHARS) && !ValidUtf8((const BYTE *)source, length)) {
            SetLastError(ERROR_NO_UNICODE_TRANSLATION);
            return 0;
        }
        ULONG bytes;
        RtlUTF8ToUnicodeN(NULL, 0, &bytes, source, (ULONG)length);
        int needed = (int)(bytes / sizeof(WCHAR));
        if (!size) return needed;
        if (needed > size) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        RtlUTF8ToUnicodeN(destination, (ULONG)size * sizeof(WCHAR), &bytes, source, (ULONG)length);
        return (int)(bytes / sizeof(WCHAR));
    }
    if (!IsValidCodePage(cp)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (!size) return length;
    if (length > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (int i = 0; i < length; i++) {
        BYTE c = (BYTE)source[i];
        destination[i] = cp == ACP ? RtlpAnsiCharToUnicode(c) : (cp == 20127 && c > 0x7F) ? 0xFFFD : c;
    }
    return length;
}

int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, LPCWCH source, int length, LPSTR destination, int size,
    LPCCH defaultChar, LPBOOL usedDefault) {
    (void)flags;
    if (!source || size < 0 || (size && !destination) || length == 0 || length < -1) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    cp = Resolve(cp);
    if (length == -1) length = (int)wcslen(source) + 1;
    if (usedDefault) *usedDefault = FALSE;
    if (cp == CP_UTF8) {
        ULONG bytes;
        RtlUnicodeToUTF8N(NULL, 0, &bytes, source, (ULONG)length * sizeof(WCHAR));
        if (!size) return (int)bytes;
        if ((int)bytes > size) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        RtlUnicodeToUTF8N(destination, (ULONG)size, &bytes, source, (ULONG)length * sizeof(WCHAR));
        return (int)bytes;
    }
    if (!IsValidCodePage(cp)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (!size) return length;
    if (length > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    char fallback = defaultChar ? *defaultChar : '?';
    for (int i = 0; i < length; i++) {
        WCHAR c = source[i];
        char out;
        if (cp == ACP) out = RtlpUnicodeCharToAnsi(c);
        else out = (cp == 20127 ? c < 0x80 : c < 0x100) ? (char)c : '?';
        if (out == '?' && c != '?') {
            out = fallback;
            if (usedDefault) *usedDefault = TRUE;
        }
        destination[i] = out;
    }
    return length;
}

PWSTR BaseAnsiToWide(LPCSTR text) {
    if (!text) return NULL;
    int n = (int)strlen(text) + 1;
    PWSTR wide = RtlAllocateHeap(BaseHeap(), 0, (SIZE_T)n * sizeof(WCHAR));
    if (!wide) return NULL;
    for (int i = 0; i < n; i++) wide[i] = RtlpAnsiCharToUnicode((UCHAR)text[i]);
    return wide;
}

PSTR BaseWideToAnsi(LPCWSTR text) {
    if (!text) return NULL;
    int n = (int)wcslen(text) + 1;
    PSTR ansi = RtlAllocateHeap(BaseHeap(), 0, (SIZE_T)n);
    if (!ansi) return NULL;
    for (int i = 0; i < n; i++) ansi[i] = RtlpUnicodeCharToAnsi(text[i]);
    return ansi;
}

int BaseWideToAnsiBuffer(LPCWSTR text, int length, LPSTR buffer, int size) {
    int n = length < size ? length : size;
    for (int i = 0; i < n; i++) buffer[i] = RtlpUnicodeCharToAnsi(text[i]);
    return n;
}

/* ---- Locale ---- */

LCID WINAPI GetUserDefaultLCID(void) { return 0x0409; }
LCID WINAPI GetSystemDefaultLCID(void) { return 0x0409; }
LANGID WINAPI GetUserDefaultLangID(void) { return 0x0409; }
LCID WINAPI GetThreadLocale(void) { return 0x0409; }

int WINAPI GetLocaleInfoW(LCID locale, LCTYPE type, LPWSTR buffer, int size) {
    (void)locale;
    const WCHAR *value;
    switch (type & 0xFFFF) {
    case LOCALE_IDEFAULTANSICODEPAGE: value = L"1252"; break;
    case LOCALE_SDECIMAL: value = L"."; break;
    case LOCALE_STHOUSAND: value = L","; break;
    case 0x59: value = L"en"; break;  /* LOCALE_SISO639LANGNAME */
    case 0x5A: value = L"US"; break;  /* LOCALE_SISO3166CTRYNAME */
    case 0x5C: value = L"en-US"; break; /* LOCALE_SNAME */
    default: SetLastError(ERROR_INVALID_FLAGS); return 0;
    }
    int n = (int)wcslen(value) + 1;
    if (!size) return n;
    if (n > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    memcpy(buffer, value, (SIZE_T)n * sizeof(WCHAR));
    return n;
}

int WINAPI GetLocaleInfoA(LCID locale, LCTYPE type, LPSTR buffer, int size) {
    WCHAR wide[64];
    int n = GetLocaleInfoW(locale, type, wide, 64);
    if (!n) return 0;
    if (!size) return n;
    if (n > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    return BaseWideToAnsiBuffer(wide, n, buffer, size);
}

static WORD CharType(WCHAR c) {
    WORD t = C1_DEFINED;
    if (c < 0x20 || c == 0x7F) t |= C1_CNTRL;
    if (c == ' ' || c == '\t') t |= C1_BLANK;
    if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0) t |= C1_SPACE;
    if (c >= '0' && c <= '9') t |= C1_DIGIT | C1_XDIGIT;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) t |= C1_XDIGIT;
    if (RtlUpcaseUnicodeChar(c) != c) t |= C1_LOWER | C1_ALPHA;
    else if (RtlDowncaseUnicodeChar(c) != c) t |= C1_UPPER | C1_ALPHA;
    else if (c == 0xAA || c == 0xBA || c == 0xDF || (c >= 0x100 && c != 0xFFFD && c > 0x2FF)) t |= C1_ALPHA;
    if ((c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
        (c >= 0x7B && c <= 0x7E) || (c >= 0xA1 && c <= 0xBF && c != 0xAA && c != 0xBA) || c == 0xD7 || c == 0xF7)
        t |= C1_PUNCT;
    return t;
}

BOOL WINAPI GetStringTypeW(DWORD type, LPCWCH text, int length, LPWORD result) {
    if (type != CT_CTYPE1) {
        memset(result, 0, (SIZE_T)(length < 0 ? (int)wcslen(text) + 1 : length) * sizeof(WORD));
        return TRUE;
    }
    if (length == -1) length = (int)wcslen(text) + 1;
    for (int i = 0; i < length; i++) result[i] = CharType(text[i]);
    return TRUE;
}

BOOL WINAPI GetStringTypeA(LCID locale, DWORD type, LPCSTR text, int length, LPWORD result) {
    (void)locale;
    if (length == -1) length = (int)strlen(text) + 1;
    for (int i = 0; i < length; i++) {
        WCHAR c = RtlpAnsiCharToUnicode((UCHAR)text[i]);
        result[i] = type == CT_CTYPE1 ? CharType(c) : 0;
    }
    return TRUE;
}

int WINAPI LCMapStringW(LCID locale, DWORD flags, LPCWSTR source, int length, LPWSTR destination, int size) {
    (void)locale;
    if (length == -1) length = (int)wcslen(source) + 1;
    if (!size) return length;
    if (length > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (int i = 0; i < length; i++) {
        WCHAR c = source[i];
        if (flags & LCMAP_UPPERCASE) c = RtlUpcaseUnicodeChar(c);
        else if (flags & LCMAP_LOWERCASE) c = RtlDowncaseUnicodeChar(c);
        destination[i] = c;
    }
    return length;
}

int WINAPI LCMapStringA(LCID locale, DWORD flags, LPCSTR source, int length, LPSTR destination, int size) {
    (void)locale;
    if (length == -1) length = (int)strlen(source) + 1;
    if (!size) return length;
    if (length > size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (int i = 0; i < length; i++) {
        WCHAR c = RtlpAnsiCharToUnicode((UCHAR)source[i]);
        if (flags & LCMAP_UPPERCASE) c = RtlUpcaseUnicodeChar(c);
        else if (flags & LCMAP_LOWERCASE) c = RtlDowncaseUnicodeChar(c);
        destination[i] = RtlpUnicodeCharToAnsi(c);
    }
    return length;
}

static int Compare(const WCHAR *a, int na, const WCHAR *b, int nb, BOOL ignoreCase) {
    int n = na < nb ? na : nb;
    for (int i = 0; i < n; i++) {
        WCHAR x = a[i], y = b[i];
        if (ignoreCase) x = RtlUpcaseUnicodeChar(x), y = RtlUpcaseUnicodeChar(y);
        if (x != y) return x < y ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
    }
    return na == nb ? CSTR_EQUAL : na < nb ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
}

int WINAPI CompareStringW(LCID locale, DWORD flags, PCNZWCH a, int na, PCNZWCH b, int nb) {
    (void)locale;
    if (na < 0) na = (int)wcslen(a);
    if (nb < 0) nb = (int)wcslen(b);
    return Compare(a, na, b, nb, (flags & NORM_IGNORECASE) != 0);
}

int WINAPI CompareStringA(LCID locale, DWORD flags, PCNZCH a, int na, PCNZCH b, int nb) {
    (void)locale;
    if (na < 0) na = (int)strlen(a);
    if (nb < 0) nb = (int)strlen(b);
    int n = na < nb ? na : nb;
    for (int i = 0; i < n; i++) {
        WCHAR x = RtlpAnsiCharToUnicode((UCHAR)a[i]), y = RtlpAnsiCharToUnicode((UCHAR)b[i]);
        if (flags & NORM_IGNORECASE) x = RtlUpcaseUnicodeChar(x), y = RtlUpcaseUnicodeChar(y);
        if (x != y) return x < y ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
    }
    return na == nb ? CSTR_EQUAL : na < nb ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
}

int WINAPI lstrlenA(LPCSTR s) { return s ? (int)strlen(s) : 0; }
int WINAPI lstrlenW(LPCWSTR s) { return s ? (int)wcslen(s) : 0; }
LPSTR WINAPI lstrcpyA(LPSTR d, LPCSTR s) { return memcpy(d, s, strlen(s) + 1); }
LPWSTR WINAPI lstrcpyW(LPWSTR d, LPCWSTR s) { return memcpy(d, s, (wcslen(s) + 1) * sizeof(WCHAR)); }
LPSTR WINAPI lstrcatA(LPSTR d, LPCSTR s) {
    lstrcpyA(d + strlen(d), s);
    return d;
}
LPWSTR WINAPI lstrcatW(LPWSTR d, LPCWSTR s) {
    lstrcpyW(d + wcslen(d), s);
    return d;
}
int WINAPI lstrcmpA(LPCSTR a, LPCSTR b) { return CompareStringA(0, 0, a, -1, b, -1) - 2; }
int WINAPI lstrcmpW(LPCWSTR a, LPCWSTR b) { return CompareStringW(0, 0, a, -1, b, -1) - 2; }
int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b) { return CompareStringA(0, NORM_IGNORECASE, a, -1, b, -1) - 2; }
int WINAPI lstrcmpiW(LPCWSTR a, LPCWSTR b) { return CompareStringW(0, NORM_IGNORECASE, a, -1, b, -1) - 2; }
