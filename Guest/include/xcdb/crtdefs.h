/* Definitions shared by the C library headers of the simulated machine's msvcrt.dll. */
#ifndef XCDB_CRTDEFS_H
#define XCDB_CRTDEFS_H

#include <stddef.h>
#include <stdint.h>

#if defined(XCDB_BUILDING_MSVCRT) || defined(XCDB_NATIVE_TEST)
#define _CRTIMP
#else
#define _CRTIMP __declspec(dllimport)
#endif
#define _CRTIMP_DATA _CRTIMP
#ifndef __cdecl
#define __cdecl
#endif
#define _CRTNOALIAS
#define _CRTRESTRICT
#ifdef __cplusplus
#define _CRT_BEGIN_C_HEADER extern "C" {
#define _CRT_END_C_HEADER }
#else
#define _CRT_BEGIN_C_HEADER
#define _CRT_END_C_HEADER
#endif
#ifndef _CRT_NORETURN
#define _CRT_NORETURN __declspec(noreturn)
#endif

#ifndef _WCHAR_T_DEFINED
#define _WCHAR_T_DEFINED
#endif
typedef unsigned short wint_t;
typedef unsigned short wctype_t;
typedef int errno_t;
typedef long long __time64_t;
typedef long __time32_t;
typedef __time64_t time_t;
typedef long _off_t;
typedef long off_t;
typedef long long _off64_t;
typedef long long off64_t;
typedef long long ssize_t;
typedef unsigned int _dev_t;
typedef unsigned short _ino_t;
#define _TIME_T_DEFINED
#define _WINT_T
#define WEOF ((wint_t)0xFFFF)

#endif
