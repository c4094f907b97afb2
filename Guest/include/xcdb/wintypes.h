/* Basic Windows types and declaration macros shared by every guest header. LLP64: `long` is
   32 bits when compiled for Windows; the code never assumes its width. */
#ifndef XCDB_WINTYPES_H
#define XCDB_WINTYPES_H

#include <stddef.h>
#include <stdint.h>

/* Declaration attributes: functions a module exports are declared dllimport for everyone
   else. A native (Linux) test build of the pure-C parts empties them. */
#if defined(XCDB_NATIVE_TEST)
#define XCDB_IMPORT
#else
#define XCDB_IMPORT __declspec(dllimport)
#endif
#if defined(XCDB_BUILDING_NTDLL) || defined(XCDB_NATIVE_TEST)
#define NTSYSAPI
#else
#define NTSYSAPI XCDB_IMPORT
#endif
#if defined(XCDB_BUILDING_KERNEL32) || defined(XCDB_NATIVE_TEST)
#define WINBASEAPI
#else
#define WINBASEAPI XCDB_IMPORT
#endif
#define NTAPI
#define WINAPI
#define APIENTRY
#define CALLBACK
#define WINAPIV
#define NTSYSCALLAPI NTSYSAPI
#ifndef DECLSPEC_NORETURN
#define DECLSPEC_NORETURN __declspec(noreturn)
#endif
#define DECLSPEC_ALIGN(n) __declspec(align(n))
#define DECLSPEC_IMPORT XCDB_IMPORT
#ifndef CONST
#define CONST const
#endif
#define VOID void
#define IN
#define OUT
#define OPTIONAL
#define UNALIGNED
#define FORCEINLINE static __inline

typedef void *PVOID, *LPVOID, *HANDLE, **PHANDLE, **LPHANDLE;
typedef const void *LPCVOID, *PCVOID;
typedef char CHAR, *PCHAR, *LPSTR, *PSTR, *LPCH, *PCH, CCHAR;
typedef const char *LPCSTR, *PCSTR, *PCSZ, *LPCCH, *PCCH, *PCNZCH;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE, *LPBYTE, BOOLEAN, *PBOOLEAN;
typedef wchar_t WCHAR, *PWCHAR, *PWCH, *LPWSTR, *PWSTR, *LPWCH;
typedef const wchar_t *LPCWSTR, *PCWSTR, *PCWCH, *LPCWCH, *PCNZWCH;
typedef short SHORT, *PSHORT;
typedef unsigned short USHORT, *PUSHORT, WORD, *PWORD, *LPWORD;
typedef int INT, *PINT, *LPINT, BOOL, *PBOOL, *LPBOOL;
typedef unsigned int UINT, *PUINT;
/* As the SDK has them: long is 32 bits on Windows (LLP64). A native test build keeps the
   widths with fixed-size types instead. */
#if defined(XCDB_NATIVE_TEST)
typedef int32_t LONG, *PLONG, *LPLONG;
typedef uint32_t ULONG, *PULONG, DWORD, *PDWORD, *LPDWORD;
#else
typedef long LONG, *PLONG, *LPLONG;
typedef unsigned long ULONG, *PULONG, DWORD, *PDWORD, *LPDWORD;
#endif
typedef int64_t LONGLONG, *PLONGLONG, LONG64, *PLONG64, INT64, *PINT64;
typedef uint64_t ULONGLONG, *PULONGLONG, ULONG64, *PULONG64, DWORD64, *PDWORD64, UINT64;
typedef uint64_t DWORDLONG;
typedef int32_t INT32;
typedef uint32_t UINT32, DWORD32;
typedef int16_t INT16;
typedef uint16_t UINT16;
typedef int8_t INT8;
typedef uint8_t UINT8;
typedef intptr_t INT_PTR, *PINT_PTR, LONG_PTR, *PLONG_PTR, SSIZE_T;
typedef uintptr_t UINT_PTR, *PUINT_PTR, ULONG_PTR, *PULONG_PTR, DWORD_PTR, *PDWORD_PTR;
typedef uintptr_t SIZE_T, *PSIZE_T;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef DWORD ACCESS_MASK, *PACCESS_MASK;
typedef HANDLE HINSTANCE, HMODULE, HLOCAL, HGLOBAL, HWND, HKEY;
typedef WORD ATOM, LANGID;
typedef DWORD LCID, LCTYPE;
typedef LONG_PTR LPARAM, LRESULT;
typedef UINT_PTR WPARAM;
typedef LONG HRESULT;
typedef char TCHAR;
typedef float FLOAT;
typedef double DOUBLE;
typedef INT_PTR(WINAPI *FARPROC)(void);
typedef INT_PTR(WINAPI *NEARPROC)(void);
typedef INT_PTR(WINAPI *PROC)(void);

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
#define MAX_PATH 260
#define ANYSIZE_ARRAY 1

#define MAKEWORD(a, b) ((WORD)(((BYTE)(a)) | ((WORD)((BYTE)(b))) << 8))
#define MAKELONG(a, b) ((LONG)(((WORD)(a)) | ((DWORD)((WORD)(b))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l)&0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w)&0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define CONTAINING_RECORD(address, type, field) ((type *)((char *)(address)-offsetof(type, field)))
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef struct _GUID {
    DWORD Data1;
    WORD Data2;
    WORD Data3;
    BYTE Data4[8];
} GUID;

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;
    WORD wDayOfWeek;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

#endif
