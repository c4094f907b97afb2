/* io.h of the simulated machine's msvcrt.dll: low-level file descriptors. */
#ifndef XCDB_IO_H
#define XCDB_IO_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

_CRTIMP int __cdecl _open(const char *name, int flags, ...);
_CRTIMP int __cdecl _wopen(const wchar_t *name, int flags, ...);
_CRTIMP int __cdecl _sopen(const char *name, int flags, int share, ...);
_CRTIMP int __cdecl _creat(const char *name, int mode);
_CRTIMP int __cdecl _close(int fd);
_CRTIMP int __cdecl _read(int fd, void *buffer, unsigned int count);
_CRTIMP int __cdecl _write(int fd, const void *buffer, unsigned int count);
_CRTIMP long __cdecl _lseek(int fd, long offset, int origin);
_CRTIMP long long __cdecl _lseeki64(int fd, long long offset, int origin);
_CRTIMP long __cdecl _tell(int fd);
_CRTIMP long long __cdecl _telli64(int fd);
_CRTIMP int __cdecl _eof(int fd);
_CRTIMP long __cdecl _filelength(int fd);
_CRTIMP long long __cdecl _filelengthi64(int fd);
_CRTIMP int __cdecl _chsize(int fd, long size);
_CRTIMP int __cdecl _commit(int fd);
_CRTIMP int __cdecl _dup(int fd);
_CRTIMP int __cdecl _dup2(int fd, int target);
_CRTIMP int __cdecl _isatty(int fd);
_CRTIMP int __cdecl _setmode(int fd, int mode);
_CRTIMP intptr_t __cdecl _get_osfhandle(int fd);
_CRTIMP int __cdecl _open_osfhandle(intptr_t handle, int flags);
_CRTIMP int __cdecl _access(const char *name, int mode);
_CRTIMP int __cdecl _waccess(const wchar_t *name, int mode);
_CRTIMP int __cdecl _unlink(const char *name);
_CRTIMP int __cdecl _wunlink(const wchar_t *name);
_CRTIMP int __cdecl _chmod(const char *name, int mode);
_CRTIMP char *__cdecl _mktemp(char *pattern);
_CRTIMP int __cdecl _umask(int mode);

#define open _open
#define close _close
#define read _read
#define write _write
#define lseek _lseek
#define isatty _isatty
#define access _access
#define dup _dup
#define dup2 _dup2
#define setmode _setmode
#define creat _creat
#define chsize _chsize
#define eof _eof
#define filelength _filelength
#define tell _tell
#define mktemp _mktemp
#define umask _umask

_CRT_END_C_HEADER

#endif
