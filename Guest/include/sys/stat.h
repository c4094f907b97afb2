/* sys/stat.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_SYS_STAT_H
#define XCDB_SYS_STAT_H

#include <sys/types.h>

_CRT_BEGIN_C_HEADER

struct _stat64 {
    _dev_t st_dev;
    _ino_t st_ino;
    unsigned short st_mode;
    short st_nlink;
    short st_uid;
    short st_gid;
    _dev_t st_rdev;
    long long st_size;
    __time64_t st_atime;
    __time64_t st_mtime;
    __time64_t st_ctime;
};
struct _stat {
    _dev_t st_dev;
    _ino_t st_ino;
    unsigned short st_mode;
    short st_nlink;
    short st_uid;
    short st_gid;
    _dev_t st_rdev;
    _off_t st_size;
    __time32_t st_atime;
    __time32_t st_mtime;
    __time32_t st_ctime;
};
#define stat _stat64
#define fstat _fstat64
#define _S_IFMT 0xF000
#define _S_IFDIR 0x4000
#define _S_IFCHR 0x2000
#define _S_IFREG 0x8000
#define _S_IREAD 0x0100
#define _S_IWRITE 0x0080
#define _S_IEXEC 0x0040
#define S_IFMT _S_IFMT
#define S_IFDIR _S_IFDIR
#define S_IFCHR _S_IFCHR
#define S_IFREG _S_IFREG
#define S_IREAD _S_IREAD
#define S_IWRITE _S_IWRITE
#define S_IEXEC _S_IEXEC
#define S_ISDIR(m) (((m)&_S_IFMT) == _S_IFDIR)
#define S_ISREG(m) (((m)&_S_IFMT) == _S_IFREG)

_CRTIMP int __cdecl _stat64(const char *name, struct _stat64 *result);
_CRTIMP int __cdecl _fstat64(int fd, struct _stat64 *result);
_CRTIMP int __cdecl _stat(const char *name, struct _stat *result);
_CRTIMP int __cdecl _fstat(int fd, struct _stat *result);
_CRTIMP int __cdecl _mkdir(const char *name);

_CRT_END_C_HEADER

#endif
