/* stdio.h of the simulated machine's msvcrt.dll: msvcrt's 0x30-byte FILE and _iob. */
#ifndef XCDB_STDIO_H
#define XCDB_STDIO_H

#include <xcdb/crtdefs.h>
#include <stdarg.h>

_CRT_BEGIN_C_HEADER

struct _iobuf {
    char *_ptr;
    int _cnt;
    char *_base;
    int _flag;
    int _file;
    int _charbuf;
    int _bufsiz;
    char *_tmpfname;
};
typedef struct _iobuf FILE;
typedef long long fpos_t;

#define _IOREAD 0x0001
#define _IOWRT 0x0002
#define _IOFBF 0x0000
#define _IOLBF 0x0040
#define _IONBF 0x0004
#define _IOMYBUF 0x0008
#define _IOEOF 0x0010
#define _IOERR 0x0020
#define _IOSTRG 0x0040
#define _IORW 0x0080
#define BUFSIZ 512
#define _NFILE 512
#define FOPEN_MAX 20
#define FILENAME_MAX 260
#define _MAX_PATH 260
#define L_tmpnam 14
#define TMP_MAX 32767
#define EOF (-1)
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define _TWO_DIGIT_EXPONENT 0x1
#define P_tmpdir "\\"

_CRTIMP extern FILE _iob[];
_CRTIMP FILE *__cdecl __iob_func(void);
#define stdin (&_iob[0])
#define stdout (&_iob[1])
#define stderr (&_iob[2])

_CRTIMP FILE *__cdecl fopen(const char *name, const char *mode);
_CRTIMP FILE *__cdecl _wfopen(const wchar_t *name, const wchar_t *mode);
_CRTIMP FILE *__cdecl _fsopen(const char *name, const char *mode, int share);
_CRTIMP FILE *__cdecl freopen(const char *name, const char *mode, FILE *stream);
_CRTIMP FILE *__cdecl _fdopen(int fd, const char *mode);
_CRTIMP int __cdecl fclose(FILE *stream);
_CRTIMP int __cdecl _fcloseall(void);
_CRTIMP size_t __cdecl fread(void *buffer, size_t size, size_t count, FILE *stream);
_CRTIMP size_t __cdecl fwrite(const void *buffer, size_t size, size_t count, FILE *stream);
_CRTIMP int __cdecl fgetc(FILE *stream);
_CRTIMP int __cdecl getc(FILE *stream);
_CRTIMP int __cdecl getchar(void);
_CRTIMP int __cdecl fputc(int c, FILE *stream);
_CRTIMP int __cdecl putc(int c, FILE *stream);
_CRTIMP int __cdecl putchar(int c);
_CRTIMP int __cdecl ungetc(int c, FILE *stream);
_CRTIMP char *__cdecl fgets(char *buffer, int size, FILE *stream);
_CRTIMP char *__cdecl gets(char *buffer);
_CRTIMP int __cdecl fputs(const char *text, FILE *stream);
_CRTIMP int __cdecl puts(const char *text);
_CRTIMP int __cdecl fseek(FILE *stream, long offset, int origin);
_CRTIMP int __cdecl _fseeki64(FILE *stream, long long offset, int origin);
_CRTIMP long __cdecl ftell(FILE *stream);
_CRTIMP long long __cdecl _ftelli64(FILE *stream);
_CRTIMP void __cdecl rewind(FILE *stream);
_CRTIMP int __cdecl fgetpos(FILE *stream, fpos_t *position);
_CRTIMP int __cdecl fsetpos(FILE *stream, const fpos_t *position);
_CRTIMP int __cdecl fflush(FILE *stream);
_CRTIMP int __cdecl _flushall(void);
_CRTIMP int __cdecl feof(FILE *stream);
_CRTIMP int __cdecl ferror(FILE *stream);
_CRTIMP void __cdecl clearerr(FILE *stream);
_CRTIMP int __cdecl setvbuf(FILE *stream, char *buffer, int mode, size_t size);
_CRTIMP void __cdecl setbuf(FILE *stream, char *buffer);
_CRTIMP void __cdecl perror(const char *text);
_CRTIMP int __cdecl remove(const char *name);
_CRTIMP int __cdecl rename(const char *from, const char *to);
_CRTIMP int __cdecl _unlink(const char *name);
_CRTIMP FILE *__cdecl tmpfile(void);
_CRTIMP char *__cdecl tmpnam(char *buffer);
_CRTIMP char *__cdecl _tempnam(const char *directory, const char *prefix);
_CRTIMP int __cdecl _fileno(FILE *stream);
_CRTIMP int __cdecl _flsbuf(int c, FILE *stream);
_CRTIMP int __cdecl _filbuf(FILE *stream);
_CRTIMP void __cdecl _lock_file(FILE *stream);
_CRTIMP void __cdecl _unlock_file(FILE *stream);
_CRTIMP int __cdecl _getw(FILE *stream);
_CRTIMP int __cdecl _putw(int value, FILE *stream);
_CRTIMP int __cdecl _set_output_format(int format);
_CRTIMP int __cdecl _get_output_format(void);

_CRTIMP int __cdecl printf(const char *format, ...);
_CRTIMP int __cdecl fprintf(FILE *stream, const char *format, ...);
_CRTIMP int __cdecl sprintf(char *buffer, const char *format, ...);
_CRTIMP int __cdecl snprintf(char *buffer, size_t count, const char *format, ...);
_CRTIMP int __cdecl _snprintf(char *buffer, size_t count, const char *format, ...);
_CRTIMP int __cdecl _scprintf(const char *format, ...);
_CRTIMP int __cdecl vprintf(const char *format, va_list args);
_CRTIMP int __cdecl vfprintf(FILE *stream, const char *format, va_list args);
_CRTIMP int __cdecl vsprintf(char *buffer, const char *format, va_list args);
_CRTIMP int __cdecl vsnprintf(char *buffer, size_t count, const char *format, va_list args);
_CRTIMP int __cdecl _vsnprintf(char *buffer, size_t count, const char *format, va_list args);
_CRTIMP int __cdecl _vscprintf(const char *format, va_list args);
_CRTIMP int __cdecl scanf(const char *format, ...);
_CRTIMP int __cdecl fscanf(FILE *stream, const char *format, ...);
_CRTIMP int __cdecl sscanf(const char *text, const char *format, ...);
_CRTIMP int __cdecl vscanf(const char *format, va_list args);
_CRTIMP int __cdecl vfscanf(FILE *stream, const char *format, va_list args);
_CRTIMP int __cdecl vsscanf(const char *text, const char *format, va_list args);

_CRTIMP wint_t __cdecl fgetwc(FILE *stream);
_CRTIMP wint_t __cdecl getwc(FILE *stream);
_CRTIMP wint_t __cdecl getwchar(void);
_CRTIMP wint_t __cdecl fputwc(wchar_t c, FILE *stream);
_CRTIMP wint_t __cdecl putwc(wchar_t c, FILE *stream);
_CRTIMP wint_t __cdecl putwchar(wchar_t c);
_CRTIMP wint_t __cdecl ungetwc(wint_t c, FILE *stream);
_CRTIMP wchar_t *__cdecl fgetws(wchar_t *buffer, int size, FILE *stream);
_CRTIMP int __cdecl fputws(const wchar_t *text, FILE *stream);
_CRTIMP int __cdecl _putws(const wchar_t *text);
_CRTIMP int __cdecl wprintf(const wchar_t *format, ...);
_CRTIMP int __cdecl fwprintf(FILE *stream, const wchar_t *format, ...);
_CRTIMP int __cdecl swprintf(wchar_t *buffer, const wchar_t *format, ...);
_CRTIMP int __cdecl _swprintf(wchar_t *buffer, const wchar_t *format, ...);
_CRTIMP int __cdecl _snwprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...);
_CRTIMP int __cdecl _scwprintf(const wchar_t *format, ...);
_CRTIMP int __cdecl vwprintf(const wchar_t *format, va_list args);
_CRTIMP int __cdecl vfwprintf(FILE *stream, const wchar_t *format, va_list args);
_CRTIMP int __cdecl vswprintf(wchar_t *buffer, const wchar_t *format, va_list args);
_CRTIMP int __cdecl _vsnwprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list args);
_CRTIMP int __cdecl _vscwprintf(const wchar_t *format, va_list args);
_CRTIMP int __cdecl swscanf(const wchar_t *text, const wchar_t *format, ...);

#define fileno _fileno
#define fcloseall _fcloseall
#define fdopen _fdopen
#define flushall _flushall
#define unlink _unlink
#define tempnam _tempnam
#define getw _getw
#define putw _putw

_CRT_END_C_HEADER

#endif
