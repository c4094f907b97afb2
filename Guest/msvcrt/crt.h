/* Declarations shared by the files of msvcrt. */
#ifndef XCDB_MSVCRT_INTERNAL_H
#define XCDB_MSVCRT_INTERNAL_H

#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <ctype.h>

/* ---- Per-thread data (init.c) ---- */
typedef struct _tiddata {
    int terrno;
    unsigned long tdoserrno;
    unsigned int holdrand;
    char *token;
    wchar_t *wtoken;
    struct tm tmbuf;
    char asctimebuf[32];
    char strerrorbuf[128];
    char tmpnambuf[L_tmpnam + 8];
    char ecvtbuf[352];
} _tiddata, *_ptiddata;
_ptiddata _getptd(void);
void _freeptd(void);

/* ---- Locks (init.c): msvcrt's numbered process locks ---- */
#define _SIGNAL_LOCK 0
#define _IOB_SCAN_LOCK 1
#define _TMPNAM_LOCK 2
#define _CONIO_LOCK 3
#define _HEAP_LOCK 4
#define _EXIT_LOCK1 8
#define _OSFHND_LOCK 10
#define _SETLOCALE_LOCK 11
#define _ENV_LOCK 12
#define _TOTAL_LOCKS 36
_CRTIMP void __cdecl _lock(int which);
_CRTIMP void __cdecl _unlock(int which);

/* ---- Start-up and exit (startup.c) ---- */
void _crt_init_environment(void);
void _crt_flush_on_exit(void);
extern int _crt_exiting;

/* ---- Low-level I/O (lowio.c) ---- */
#define FOPEN 0x01
#define FEOFLAG 0x02
#define FCRLF 0x04
#define FPIPE 0x08
#define FNOINHERIT 0x10
#define FAPPEND 0x20
#define FDEV 0x40
#define FTEXT 0x80
#define _NHANDLE_ 512
typedef struct {
    HANDLE handle;
    unsigned char flags;
    char pipech;
    CRITICAL_SECTION lock;
} ioinfo;
extern ioinfo _crt_fds[_NHANDLE_];
void _crt_init_fds(void);
int _crt_alloc_fd(HANDLE handle, unsigned char flags);
void _crt_set_errno_from_win32(unsigned long error);
int _crt_write_raw(int fd, const void *buffer, unsigned int count);

/* ---- Streams (stdio.c) ---- */
#define _IOB_ENTRIES 20
void _crt_init_streams(void);
int _crt_flush(FILE *stream);
int _crt_flushall_streams(int closing);
FILE *_crt_new_stream(void);
int _crt_stream_putn(FILE *stream, const char *text, size_t count);
int _crt_stream_getc(FILE *stream);
int _crt_stream_ungetc(int c, FILE *stream);
/* Temporary buffering of an unbuffered stream for the length of one call (as msvcrt's
   _stbuf/_ftbuf do), so one printf is one write. */
int _crt_stbuf(FILE *stream, char *buffer, int size);
void _crt_ftbuf(int used, FILE *stream);

/* ---- Text ---- */
extern const unsigned short _crt_ctype_table[257];
unsigned short _crt_wctype(wint_t c);
double _crt_strtod(const char *text, char **end);
int _crt_wide_to_ansi(const wchar_t *wide, size_t length, char *buffer, size_t size);

#define _CRT_HEAP (GetProcessHeap())

#endif
