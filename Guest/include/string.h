/* string.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_STRING_H
#define XCDB_STRING_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

_CRTIMP void *__cdecl memcpy(void *destination, const void *source, size_t count);
_CRTIMP void *__cdecl memmove(void *destination, const void *source, size_t count);
_CRTIMP void *__cdecl memset(void *destination, int value, size_t count);
_CRTIMP int __cdecl memcmp(const void *a, const void *b, size_t count);
_CRTIMP void *__cdecl memchr(const void *block, int value, size_t count);
_CRTIMP void *__cdecl _memccpy(void *destination, const void *source, int value, size_t count);
_CRTIMP int __cdecl _memicmp(const void *a, const void *b, size_t count);
_CRTIMP size_t __cdecl strlen(const char *text);
_CRTIMP size_t __cdecl strnlen(const char *text, size_t max);
_CRTIMP char *__cdecl strcpy(char *destination, const char *source);
_CRTIMP char *__cdecl strncpy(char *destination, const char *source, size_t count);
_CRTIMP char *__cdecl strcat(char *destination, const char *source);
_CRTIMP char *__cdecl strncat(char *destination, const char *source, size_t count);
_CRTIMP int __cdecl strcmp(const char *a, const char *b);
_CRTIMP int __cdecl strncmp(const char *a, const char *b, size_t count);
_CRTIMP int __cdecl strcoll(const char *a, const char *b);
_CRTIMP size_t __cdecl strxfrm(char *destination, const char *source, size_t count);
_CRTIMP char *__cdecl strchr(const char *text, int c);
_CRTIMP char *__cdecl strrchr(const char *text, int c);
_CRTIMP char *__cdecl strstr(const char *text, const char *part);
_CRTIMP size_t __cdecl strspn(const char *text, const char *set);
_CRTIMP size_t __cdecl strcspn(const char *text, const char *set);
_CRTIMP char *__cdecl strpbrk(const char *text, const char *set);
_CRTIMP char *__cdecl strtok(char *text, const char *delimiters);
_CRTIMP char *__cdecl strerror(int error);
_CRTIMP char *__cdecl _strerror(const char *prefix);
_CRTIMP char *__cdecl _strdup(const char *text);
_CRTIMP int __cdecl _stricmp(const char *a, const char *b);
_CRTIMP int __cdecl _strnicmp(const char *a, const char *b, size_t count);
_CRTIMP int __cdecl _stricoll(const char *a, const char *b);
_CRTIMP char *__cdecl _strlwr(char *text);
_CRTIMP char *__cdecl _strupr(char *text);
_CRTIMP char *__cdecl _strrev(char *text);
_CRTIMP char *__cdecl _strset(char *text, int c);
_CRTIMP char *__cdecl _strnset(char *text, int c, size_t count);

_CRTIMP size_t __cdecl wcslen(const wchar_t *text);
_CRTIMP size_t __cdecl wcsnlen(const wchar_t *text, size_t max);
_CRTIMP wchar_t *__cdecl wcscpy(wchar_t *destination, const wchar_t *source);
_CRTIMP wchar_t *__cdecl wcsncpy(wchar_t *destination, const wchar_t *source, size_t count);
_CRTIMP wchar_t *__cdecl wcscat(wchar_t *destination, const wchar_t *source);
_CRTIMP wchar_t *__cdecl wcsncat(wchar_t *destination, const wchar_t *source, size_t count);
_CRTIMP int __cdecl wcscmp(const wchar_t *a, const wchar_t *b);
_CRTIMP int __cdecl wcsncmp(const wchar_t *a, const wchar_t *b, size_t count);
_CRTIMP int __cdecl wcscoll(const wchar_t *a, const wchar_t *b);
_CRTIMP size_t __cdecl wcsxfrm(wchar_t *destination, const wchar_t *source, size_t count);
_CRTIMP wchar_t *__cdecl wcschr(const wchar_t *text, wchar_t c);
_CRTIMP wchar_t *__cdecl wcsrchr(const wchar_t *text, wchar_t c);
_CRTIMP wchar_t *__cdecl wcsstr(const wchar_t *text, const wchar_t *part);
_CRTIMP size_t __cdecl wcsspn(const wchar_t *text, const wchar_t *set);
_CRTIMP size_t __cdecl wcscspn(const wchar_t *text, const wchar_t *set);
_CRTIMP wchar_t *__cdecl wcspbrk(const wchar_t *text, const wchar_t *set);
_CRTIMP wchar_t *__cdecl wcstok(wchar_t *text, const wchar_t *delimiters);
_CRTIMP wchar_t *__cdecl _wcsdup(const wchar_t *text);
_CRTIMP int __cdecl _wcsicmp(const wchar_t *a, const wchar_t *b);
_CRTIMP int __cdecl _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t count);
_CRTIMP wchar_t *__cdecl _wcslwr(wchar_t *text);
_CRTIMP wchar_t *__cdecl _wcsupr(wchar_t *text);
_CRTIMP wchar_t *__cdecl _wcsrev(wchar_t *text);

#define strdup _strdup
#define stricmp _stricmp
#define strnicmp _strnicmp
#define strcasecmp _stricmp
#define strncasecmp _strnicmp
#define strlwr _strlwr
#define strupr _strupr
#define strrev _strrev
#define wcsdup _wcsdup
#define wcsicmp _wcsicmp
#define memicmp _memicmp

_CRT_END_C_HEADER

#endif
