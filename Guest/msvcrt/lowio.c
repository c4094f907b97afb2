/* Low-level I/O: file descriptors over kernel32 handles, with msvcrt's text mode (CR LF on
   output, CR LF to LF and Ctrl-Z as the end on input). */
#include "crt.h"
#include <stdarg.h>
#include <sys/stat.h>

ioinfo _crt_fds[_NHANDLE_];

/* Win32 errors to errno values, as msvcrt's _dosmaperr does. */
void _crt_set_errno_from_win32(unsigned long error) {
    _doserrno = error;
    int e;
    switch (error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
    case ERROR_MOD_NOT_FOUND:
    case ERROR_NO_MORE_FILES:
    case ERROR_FILENAME_EXCED_RANGE: e = ENOENT; break;
    case ERROR_TOO_MANY_OPEN_FILES: e = EMFILE; break;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_DIRECTORY: e = EACCES; break;
    case ERROR_INVALID_HANDLE: e = EBADF; break;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY: e = ENOMEM; break;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS: e = EEXIST; break;
    case ERROR_BROKEN_PIPE: e = EPIPE; break;
    case ERROR_DISK_FULL: e = ENOSPC; break;
    case ERROR_DIR_NOT_EMPTY: e = ENOTEMPTY; break;
    case ERROR_NEGATIVE_SEEK: e = EINVAL; break;
    default: e = EINVAL; break;
    }
    errno = e;
}

void _crt_init_fds(void) {
    for (int i = 0; i < _NHANDLE_; i++) {
        InitializeCriticalSection(&_crt_fds[i].lock);
        _crt_fds[i].handle = INVALID_HANDLE_VALUE;
    }
    DWORD which[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    for (int fd = 0; fd < 3; fd++) {
        HANDLE h = GetStdHandle(which[fd]);
        if (!h || h == INVALID_HANDLE_VALUE) continue;
        DWORD type = GetFileType(h);
        if (type == FILE_TYPE_UNKNOWN) continue;
        _crt_fds[fd].handle = h;
        _crt_fds[fd].flags = FOPEN | FTEXT | (type == FILE_TYPE_CHAR ? FDEV : 0) | (type == FILE_TYPE_PIPE ? FPIPE : 0);
        _crt_fds[fd].pipech = '\n';
    }
}

int _crt_alloc_fd(HANDLE handle, unsigned char flags) {
    _lock(_OSFHND_LOCK);
    for (int fd = 0; fd < _NHANDLE_; fd++)
        if (!(_crt_fds[fd].flags & FOPEN)) {
            _crt_fds[fd].handle = handle;
            _crt_fds[fd].flags = flags | FOPEN;
            _crt_fds[fd].pipech = '\n';
            _unlock(_OSFHND_LOCK);
            return fd;
        }
    _unlock(_OSFHND_LOCK);
    errno = EMFILE;
    _doserrno = 0;
    return -1;
}

static int Valid(int fd) {
    if (fd < 0 || fd >= _NHANDLE_ || !(_crt_fds[fd].flags & FOPEN)) {
        errno = EBADF;
        _doserrno = 0;
        return 0;
    }
    return 1;
}

intptr_t __cdecl _get_osfhandle(int fd) {
    if (!Valid(fd)) return -1;
    return (intptr_t)_crt_fds[fd].handle;
}

int __cdecl _open_osfhandle(intptr_t handle, int flags) {
    DWORD type = GetFileType((HANDLE)handle);
    if (type == FILE_TYPE_UNKNOWN) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    unsigned char f = 0;
    if (flags & _O_APPEND) f |= FAPPEND;
    if (flags & _O_TEXT) f |= FTEXT;
    if (flags & _O_NOINHERIT) f |= FNOINHERIT;
    if (type == FILE_TYPE_CHAR) f |= FDEV;
    if (type == FILE_TYPE_PIPE) f |= FPIPE;
    return _crt_alloc_fd((HANDLE)handle, f);
}

int __cdecl _isatty(int fd) {
    if (fd < 0 || fd >= _NHANDLE_) return 0;
    return (_crt_fds[fd].flags & FDEV) ? 1 : 0;
}

int __cdecl _setmode(int fd, int mode) {
    if (!Valid(fd)) return -1;
    int old = (_crt_fds[fd].flags & FTEXT) ? _O_TEXT : _O_BINARY;
    if (mode == _O_BINARY) _crt_fds[fd].flags &= (unsigned char)~FTEXT;
    else if (mode == _O_TEXT || mode == _O_WTEXT || mode == _O_U8TEXT || mode == _O_U16TEXT) _crt_fds[fd].flags |= FTEXT;
    else {
        errno = EINVAL;
        return -1;
    }
    return old;
}

int __cdecl _open(const char *name, int flags, ...) {
    int permission = 0;
    if (flags & _O_CREAT) {
        va_list args;
        va_start(args, flags);
        permission = va_arg(args, int);
        va_end(args);
    }
    DWORD access;
    switch (flags & (_O_RDONLY | _O_WRONLY | _O_RDWR)) {
    case _O_RDONLY: access = GENERIC_READ; break;
    case _O_WRONLY: access = GENERIC_WRITE; break;
    case _O_RDWR: access = GENERIC_READ | GENERIC_WRITE; break;
    default: errno = EINVAL; return -1;
    }
    DWORD disposition;
    switch (flags & (_O_CREAT | _O_EXCL | _O_TRUNC)) {
    case 0:
    case _O_EXCL: disposition = OPEN_EXISTING; break;
    case _O_CREAT: disposition = OPEN_ALWAYS; break;
    case _O_CREAT | _O_EXCL:
    case _O_CREAT | _O_TRUNC | _O_EXCL: disposition = CREATE_NEW; break;
    case _O_TRUNC:
    case _O_TRUNC | _O_EXCL: disposition = TRUNCATE_EXISTING; break;
    default: disposition = CREATE_ALWAYS; break;
    }
    DWORD attributes = FILE_ATTRIBUTE_NORMAL;
    if ((flags & _O_CREAT) && !(permission & _S_IWRITE)) attributes = FILE_ATTRIBUTE_READONLY;
    if (flags & _O_TEMPORARY) {
        attributes |= FILE_FLAG_DELETE_ON_CLOSE;
        access |= DELETE;
    }
    HANDLE h = CreateFileA(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, disposition,
        attributes, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    DWORD type = GetFileType(h);
    unsigned char f = 0;
    if (flags & _O_APPEND) f |= FAPPEND;
    if (!(flags & _O_BINARY) && ((flags & _O_TEXT) || !(_fmode & _O_BINARY))) f |= FTEXT;
    if (type == FILE_TYPE_CHAR) f |= FDEV;
    int fd = _crt_alloc_fd(h, f);
    if (fd < 0) CloseHandle(h);
    return fd;
}

int __cdecl _wopen(const wchar_t *name, int flags, ...) {
    char narrow[MAX_PATH * 2];
    size_t n = wcslen(name);
    if (n >= sizeof(narrow)) {
        errno = ENOENT;
        return -1;
    }
    _crt_wide_to_ansi(name, n + 1, narrow, sizeof(narrow));
    int permission = 0;
    if (flags & _O_CREAT) {
        va_list args;
        va_start(args, flags);
        permission = va_arg(args, int);
        va_end(args);
    }
    return _open(narrow, flags, permission);
}

int __cdecl _sopen(const char *name, int flags, int share, ...) {
    (void)share;
    int permission = 0;
    if (flags & _O_CREAT) {
        va_list args;
        va_start(args, share);
        permission = va_arg(args, int);
        va_end(args);
    }
    return _open(name, flags, permission);
}

int __cdecl _creat(const char *name, int permission) {
    return _open(name, _O_CREAT | _O_TRUNC | _O_RDWR, permission);
}

int __cdecl _close(int fd) {
    if (!Valid(fd)) return -1;
    EnterCriticalSection(&_crt_fds[fd].lock);
    HANDLE h = _crt_fds[fd].handle;
    /* The standard handles belong to the process: closing fd 0-2 leaves them open. */
    BOOL ok = fd <= 2 || CloseHandle(h);
    DWORD error = GetLastError();
    _crt_fds[fd].flags = 0;
    _crt_fds[fd].handle = INVALID_HANDLE_VALUE;
    LeaveCriticalSection(&_crt_fds[fd].lock);
    if (!ok) {
        _crt_set_errno_from_win32(error);
        return -1;
    }
    return 0;
}

/* Writes bytes as they are. */
int _crt_write_raw(int fd, const void *buffer, unsigned int count) {
    if (fd < 0 || fd >= _NHANDLE_ || !(_crt_fds[fd].flags & FOPEN)) return -1;
    DWORD written;
    if (!WriteFile(_crt_fds[fd].handle, buffer, count, &written, NULL)) return -1;
    return (int)written;
}

int __cdecl _write(int fd, const void *buffer, unsigned int count) {
    if (!Valid(fd)) return -1;
    if (!count) return 0;
    ioinfo *io = &_crt_fds[fd];
    EnterCriticalSection(&io->lock);
    if (io->flags & FAPPEND) {
        LARGE_INTEGER zero = {{0, 0}};
        SetFilePointerEx(io->handle, zero, NULL, FILE_END);
    }
    int result = (int)count;
    if (!(io->flags & FTEXT)) {
        DWORD written;
        if (!WriteFile(io->handle, buffer, count, &written, NULL)) {
            _crt_set_errno_from_win32(GetLastError());
            result = -1;
        } else if (written < count && !written) {
            errno = ENOSPC;
            _doserrno = 0;
            result = -1;
        } else {
            result = (int)written;
        }
    } else {
        /* LF becomes CR LF: translate through a local buffer. */
        const char *text = buffer;
        unsigned int done = 0;
        while (done < count) {
            char chunk[1026];
            unsigned int used = 0, consumed = 0;
            while (done + consumed < count && used < 1024) {
                char c = text[done + consumed++];
                if (c == '\n') chunk[used++] = '\r';
                chunk[used++] = c;
            }
            DWORD written;
            if (!WriteFile(io->handle, chunk, used, &written, NULL) || written < used) {
                if (!written) {
                    _crt_set_errno_from_win32(GetLastError());
                    result = done ? (int)done : -1;
                    break;
                }
            }
            done += consumed;
        }
    }
    LeaveCriticalSection(&io->lock);
    return result;
}

int __cdecl _read(int fd, void *buffer, unsigned int count) {
    if (!Valid(fd)) return -1;
    if (!count) return 0;
    ioinfo *io = &_crt_fds[fd];
    if (io->flags & FEOFLAG) return 0;
    EnterCriticalSection(&io->lock);
    DWORD got = 0;
    if (!ReadFile(io->handle, buffer, count, &got, NULL)) {
        DWORD error = GetLastError();
        LeaveCriticalSection(&io->lock);
        if (error == ERROR_BROKEN_PIPE || error == ERROR_HANDLE_EOF) return 0;
        _crt_set_errno_from_win32(error);
        return -1;
    }
    int result = (int)got;
    if ((io->flags & FTEXT) && got) {
        /* CR LF -> LF; Ctrl-Z ends a file (not a device). */
        char *text = buffer;
        DWORD out = 0;
        for (DWORD i = 0; i < got; i++) {
            char c = text[i];
            if (c == 0x1A && !(io->flags & FDEV)) {
                io->flags |= FEOFLAG;
                break;
            }
            if (c == '\r') {
                if (i + 1 < got) {
                    if (text[i + 1] == '\n') continue;
                } else {
                    /* A CR at the end of what was read: look at the next byte. */
                    char next;
                    DWORD one = 0;
                    if (!(io->flags & (FDEV | FPIPE)) && ReadFile(io->handle, &next, 1, &one, NULL) && one) {
                        if (next == '\n') c = '\n';
                        else {
                            LARGE_INTEGER back;
                            back.QuadPart = -1;
                            SetFilePointerEx(io->handle, back, NULL, FILE_CURRENT);
                        }
                    }
                }
            }
            text[out++] = c;
        }
        result = (int)out;
    }
    LeaveCriticalSection(&io->lock);
    return result;
}

long long __cdecl _lseeki64(int fd, long long offset, int origin) {
    if (!Valid(fd)) return -1;
    if (origin < 0 || origin > 2) {
        errno = EINVAL;
        return -1;
    }
    LARGE_INTEGER distance, result;
    distance.QuadPart = offset;
    if (!SetFilePointerEx(_crt_fds[fd].handle, distance, &result, (DWORD)origin)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    _crt_fds[fd].flags &= (unsigned char)~FEOFLAG;
    return result.QuadPart;
}

long __cdecl _lseek(int fd, long offset, int origin) {
    long long r = _lseeki64(fd, offset, origin);
    if (r > 0x7FFFFFFF) {
        errno = EINVAL;
        return -1;
    }
    return (long)r;
}

long __cdecl _tell(int fd) { return _lseek(fd, 0, SEEK_CUR); }
long long __cdecl _telli64(int fd) { return _lseeki64(fd, 0, SEEK_CUR); }

long long __cdecl _filelengthi64(int fd) {
    if (!Valid(fd)) return -1;
    LARGE_INTEGER size;
    if (!GetFileSizeEx(_crt_fds[fd].handle, &size)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return size.QuadPart;
}

long __cdecl _filelength(int fd) { return (long)_filelengthi64(fd); }

int __cdecl _eof(int fd) {
    long long here = _lseeki64(fd, 0, SEEK_CUR), length = _filelengthi64(fd);
    if (here < 0 || length < 0) return -1;
    return here >= length;
}

int __cdecl _chsize(int fd, long size) {
    long long here = _lseeki64(fd, 0, SEEK_CUR);
    if (here < 0 || _lseeki64(fd, size, SEEK_SET) < 0) return -1;
    BOOL ok = SetEndOfFile(_crt_fds[fd].handle);
    _lseeki64(fd, here, SEEK_SET);
    if (!ok) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl _commit(int fd) {
    if (!Valid(fd)) return -1;
    if (!FlushFileBuffers(_crt_fds[fd].handle) && !(_crt_fds[fd].flags & FDEV)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl _dup(int fd) {
    if (!Valid(fd)) return -1;
    HANDLE copy;
    if (!DuplicateHandle(GetCurrentProcess(), _crt_fds[fd].handle, GetCurrentProcess(), &copy, 0, FALSE,
            DUPLICATE_SAME_ACCESS)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    int result = _crt_alloc_fd(copy, (unsigned char)(_crt_fds[fd].flags & ~FOPEN));
    if (result < 0) CloseHandle(copy);
    return result;
}

int __cdecl _dup2(int fd, int target) {
    if (!Valid(fd) || target < 0 || target >= _NHANDLE_) {
        errno = EBADF;
        return -1;
    }
    if (fd == target) return 0;
    HANDLE copy;
    if (!DuplicateHandle(GetCurrentProcess(), _crt_fds[fd].handle, GetCurrentProcess(), &copy, 0, FALSE,
            DUPLICATE_SAME_ACCESS)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    if (_crt_fds[target].flags & FOPEN) _close(target);
    _crt_fds[target].handle = copy;
    _crt_fds[target].flags = _crt_fds[fd].flags;
    if (target <= 2) {
        DWORD which[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
        SetStdHandle(which[target], copy);
    }
    return 0;
}

int __cdecl _access(const char *name, int mode) {
    DWORD attributes = GetFileAttributesA(name);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    if ((mode & 2) && (attributes & FILE_ATTRIBUTE_READONLY)) {
        errno = EACCES;
        return -1;
    }
    return 0;
}

int __cdecl _waccess(const wchar_t *name, int mode) {
    DWORD attributes = GetFileAttributesW(name);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    if ((mode & 2) && (attributes & FILE_ATTRIBUTE_READONLY)) {
        errno = EACCES;
        return -1;
    }
    return 0;
}

int __cdecl _unlink(const char *name) {
    if (!DeleteFileA(name)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl _wunlink(const wchar_t *name) {
    if (!DeleteFileW(name)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl remove(const char *name) { return _unlink(name); }

int __cdecl rename(const char *from, const char *to) {
    if (!MoveFileExA(from, to, 0)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl _chmod(const char *name, int mode) {
    (void)mode;
    return _access(name, 0);
}

int __cdecl _umask(int mode) {
    (void)mode;
    return 0;
}

char *__cdecl _mktemp(char *pattern) {
    size_t n = strlen(pattern);
    if (n < 6 || strcmp(pattern + n - 6, "XXXXXX")) {
        errno = EINVAL;
        return NULL;
    }
    static unsigned counter;
    for (int attempt = 0; attempt < 26; attempt++) {
        unsigned value = GetCurrentThreadId() + counter++;
        pattern[n - 6] = (char)('a' + attempt);
        for (int i = 1; i < 6; i++) {
            pattern[n - 6 + i] = (char)('0' + value % 10);
            value /= 10;
        }
        if (GetFileAttributesA(pattern) == INVALID_FILE_ATTRIBUTES) return pattern;
    }
    return NULL;
}

static void FillStat(struct _stat64 *st, DWORD attributes, long long size, int isDevice) {
    memset(st, 0, sizeof(*st));
    st->st_mode = (unsigned short)(isDevice ? _S_IFCHR
                                            : (attributes & FILE_ATTRIBUTE_DIRECTORY) ? (_S_IFDIR | _S_IEXEC | 0x49)
                                                                                      : _S_IFREG);
    st->st_mode |= _S_IREAD | 0x24;
    if (!(attributes & FILE_ATTRIBUTE_READONLY)) st->st_mode |= _S_IWRITE | 0x12;
    st->st_nlink = 1;
    st->st_size = size;
    time_t now = time(NULL);
    st->st_atime = st->st_mtime = st->st_ctime = now;
    st->st_dev = st->st_rdev = 2; /* drive C */
}

int __cdecl _stat64(const char *name, struct _stat64 *st) {
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExA(name, GetFileExInfoStandard, &data)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    FillStat(st, data.dwFileAttributes, ((long long)data.nFileSizeHigh << 32) | data.nFileSizeLow, 0);
    return 0;
}

int __cdecl _fstat64(int fd, struct _stat64 *st) {
    if (!Valid(fd)) return -1;
    if (_crt_fds[fd].flags & (FDEV | FPIPE)) {
        FillStat(st, 0, 0, 1);
        return 0;
    }
    long long size = _filelengthi64(fd);
    FillStat(st, 0, size < 0 ? 0 : size, 0);
    return 0;
}

static void Narrow(const struct _stat64 *wide, struct _stat *st) {
    st->st_dev = wide->st_dev;
    st->st_ino = wide->st_ino;
    st->st_mode = wide->st_mode;
    st->st_nlink = wide->st_nlink;
    st->st_uid = wide->st_uid;
    st->st_gid = wide->st_gid;
    st->st_rdev = wide->st_rdev;
    st->st_size = (_off_t)wide->st_size;
    st->st_atime = (__time32_t)wide->st_atime;
    st->st_mtime = (__time32_t)wide->st_mtime;
    st->st_ctime = (__time32_t)wide->st_ctime;
}

int __cdecl _stat(const char *name, struct _stat *st) {
    struct _stat64 wide;
    if (_stat64(name, &wide)) return -1;
    Narrow(&wide, st);
    return 0;
}

int __cdecl _fstat(int fd, struct _stat *st) {
    struct _stat64 wide;
    if (_fstat64(fd, &wide)) return -1;
    Narrow(&wide, st);
    return 0;
}

/* ---- Directories ---- */

char *__cdecl _getcwd(char *buffer, int size) {
    char path[MAX_PATH];
    DWORD n = GetCurrentDirectoryA(MAX_PATH, path);
    if (!n || n >= MAX_PATH) {
        _crt_set_errno_from_win32(GetLastError());
        return NULL;
    }
    if (!buffer) {
        size_t bytes = size > (int)n ? (size_t)size : n + 1;
        buffer = malloc(bytes);
        if (!buffer) {
            errno = ENOMEM;
            return NULL;
        }
    } else if ((int)n + 1 > size) {
        errno = ERANGE;
        return NULL;
    }
    memcpy(buffer, path, n + 1);
    return buffer;
}

wchar_t *__cdecl _wgetcwd(wchar_t *buffer, int size) {
    wchar_t path[MAX_PATH];
    DWORD n = GetCurrentDirectoryW(MAX_PATH, path);
    if (!n || n >= MAX_PATH) {
        _crt_set_errno_from_win32(GetLastError());
        return NULL;
    }
    if (!buffer) {
        size_t count = size > (int)n ? (size_t)size : n + 1;
        buffer = malloc(count * sizeof(wchar_t));
        if (!buffer) {
            errno = ENOMEM;
            return NULL;
        }
    } else if ((int)n + 1 > size) {
        errno = ERANGE;
        return NULL;
    }
    memcpy(buffer, path, (n + 1) * sizeof(wchar_t));
    return buffer;
}

int __cdecl _chdir(const char *path) {
    if (!SetCurrentDirectoryA(path)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl _mkdir(const char *path) {
    if (!CreateDirectoryA(path, NULL)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}

int __cdecl _rmdir(const char *path) {
    if (!DeleteFileA(path)) {
        _crt_set_errno_from_win32(GetLastError());
        return -1;
    }
    return 0;
}
