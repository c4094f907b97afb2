/* FILE streams: msvcrt's 0x30-byte FILE, the _iob array (stdin, stdout, stderr and 17
   more), buffering, and the stream functions that move bytes. Text-mode translation happens
   below, in the file descriptors (lowio.c). */
#include "crt.h"

#define _IOYOURBUF 0x0100
#define _IOSETVBUF 0x0400
#define _IOFLRTN 0x1000 /* a temporary buffer, released at the end of the call */
#define _INTERNAL_BUFSIZ 4096
#define _NSTREAM_ 512

FILE _iob[_IOB_ENTRIES];
static CRITICAL_SECTION IobLocks[_IOB_ENTRIES];
typedef struct {
    FILE file;
    CRITICAL_SECTION lock;
} FILEX;
static FILE *Streams[_NSTREAM_];
static char StdBuffers[2][_INTERNAL_BUFSIZ]; /* the temporary buffers of stdout and stderr */

FILE *__cdecl __iob_func(void) { return _iob; }

void _crt_init_streams(void) {
    for (int i = 0; i < _IOB_ENTRIES; i++) {
        InitializeCriticalSection(&IobLocks[i]);
        Streams[i] = &_iob[i];
        _iob[i]._file = -1;
    }
    for (int i = 0; i < 3; i++) {
        _iob[i]._file = i;
        _iob[i]._flag = i == 0 ? _IOREAD : _IOWRT;
    }
}

static CRITICAL_SECTION *StreamLock(FILE *stream) {
    if (stream >= _iob && stream < _iob + _IOB_ENTRIES) return &IobLocks[stream - _iob];
    return &((FILEX *)stream)->lock;
}

void __cdecl _lock_file(FILE *stream) { EnterCriticalSection(StreamLock(stream)); }
void __cdecl _unlock_file(FILE *stream) { LeaveCriticalSection(StreamLock(stream)); }

/* A free stream slot (its lock is ready); NULL when all 512 are in use. */
FILE *_crt_new_stream(void) {
    _lock(_IOB_SCAN_LOCK);
    FILE *found = NULL;
    for (int i = 0; i < _NSTREAM_ && !found; i++) {
        if (!Streams[i]) {
            FILEX *x = HeapAlloc(_CRT_HEAP, HEAP_ZERO_MEMORY, sizeof(FILEX));
            if (!x) break;
            InitializeCriticalSection(&x->lock);
            Streams[i] = &x->file;
        }
        FILE *s = Streams[i];
        if (!(s->_flag & (_IOREAD | _IOWRT | _IORW))) {
            memset(s, 0, sizeof(*s));
            s->_file = -1;
            found = s;
        }
    }
    _unlock(_IOB_SCAN_LOCK);
    if (!found) errno = EMFILE;
    return found;
}

static int HasBuffer(FILE *s) { return (s->_flag & (_IOMYBUF | _IOYOURBUF | _IONBF)) != 0; }
static int BigBuffer(FILE *s) { return (s->_flag & (_IOMYBUF | _IOYOURBUF)) != 0; }

static void GetBuffer(FILE *s) {
    char *buffer = HeapAlloc(_CRT_HEAP, 0, _INTERNAL_BUFSIZ);
    if (buffer) {
        s->_flag |= _IOMYBUF;
        s->_base = s->_ptr = buffer;
        s->_bufsiz = _INTERNAL_BUFSIZ;
    } else {
        s->_flag |= _IONBF;
        s->_base = s->_ptr = (char *)&s->_charbuf;
        s->_bufsiz = 2;
    }
    s->_cnt = 0;
}

int _crt_stbuf(FILE *stream, char *unused, int size) {
    (void)unused;
    (void)size;
    int index = stream == &_iob[1] ? 0 : stream == &_iob[2] ? 1 : -1;
    if (index < 0 || !_isatty(stream->_file) || HasBuffer(stream)) return 0;
    stream->_base = stream->_ptr = StdBuffers[index];
    stream->_cnt = stream->_bufsiz = _INTERNAL_BUFSIZ;
    stream->_flag |= _IOWRT | _IOYOURBUF | _IOFLRTN;
    return 1;
}

void _crt_ftbuf(int used, FILE *stream) {
    if (!used || !(stream->_flag & _IOFLRTN)) return;
    _crt_flush(stream);
    stream->_flag &= ~(_IOYOURBUF | _IOFLRTN);
    stream->_bufsiz = 0;
    stream->_base = stream->_ptr = NULL;
    stream->_cnt = 0;
}

/* Writes what is buffered (write mode); drops read-ahead (read mode). 0 or EOF. */
int _crt_flush(FILE *s) {
    int result = 0;
    if ((s->_flag & (_IOREAD | _IOWRT)) == _IOWRT && BigBuffer(s)) {
        int n = (int)(s->_ptr - s->_base);
        if (n > 0) {
            if (_write(s->_file, s->_base, (unsigned)n) != n) {
                s->_flag |= _IOERR;
                result = EOF;
            } else if (s->_flag & _IORW) {
                s->_flag &= ~_IOWRT;
            }
        }
    }
    if (s->_flag & _IORW) s->_flag &= ~(_IOREAD | _IOWRT);
    s->_ptr = s->_base;
    s->_cnt = 0;
    return result;
}

int __cdecl _flsbuf(int c, FILE *s) {
    if (!(s->_flag & (_IOWRT | _IORW)) || (s->_flag & _IOSTRG)) {
        s->_flag |= _IOERR;
        return EOF;
    }
    if (s->_flag & _IOREAD) {
        s->_cnt = 0;
        if (!(s->_flag & _IOEOF)) {
            s->_flag |= _IOERR;
            return EOF;
        }
        s->_ptr = s->_base;
        s->_flag &= ~_IOREAD;
    }
    s->_flag |= _IOWRT;
    s->_flag &= ~_IOEOF;
    s->_cnt = 0;
    /* Buffer a stream on its first write, except stdout and stderr on a console. */
    if (!HasBuffer(s) && !((s == &_iob[1] || s == &_iob[2]) && _isatty(s->_file))) GetBuffer(s);
    char ch = (char)c;
    if (BigBuffer(s)) {
        int pending = (int)(s->_ptr - s->_base);
        s->_ptr = s->_base + 1;
        s->_cnt = s->_bufsiz - 1;
        int written = 0;
        if (pending > 0) written = _write(s->_file, s->_base, (unsigned)pending);
        else if (s->_file >= 0 && s->_file < _NHANDLE_ && (_crt_fds[s->_file].flags & FAPPEND))
            _lseeki64(s->_file, 0, SEEK_END);
        *s->_base = ch;
        if (written != pending) {
            s->_flag |= _IOERR;
            return EOF;
        }
    } else {
        if (_write(s->_file, &ch, 1) != 1) {
            s->_flag |= _IOERR;
            return EOF;
        }
    }
    return c & 0xFF;
}

int __cdecl _filbuf(FILE *s) {
    if (!(s->_flag & (_IOREAD | _IOWRT | _IORW)) || (s->_flag & _IOSTRG)) return EOF;
    if (s->_flag & _IOWRT) {
        s->_flag |= _IOERR;
        return EOF;
    }
    s->_flag |= _IOREAD;
    if (!HasBuffer(s)) GetBuffer(s);
    s->_ptr = s->_base;
    s->_cnt = _read(s->_file, s->_base, (unsigned)(BigBuffer(s) ? s->_bufsiz : 1));
    if (s->_cnt <= 0) {
        s->_flag |= s->_cnt ? _IOERR : _IOEOF;
        s->_cnt = 0;
        return EOF;
    }
    s->_cnt--;
    return (unsigned char)*s->_ptr++;
}

/* Unlocked single characters. */
static int PutChar(int c, FILE *s) {
    if (--s->_cnt >= 0) return (unsigned char)(*s->_ptr++ = (char)c);
    return _flsbuf(c, s);
}

int _crt_stream_getc(FILE *s) {
    if (--s->_cnt >= 0) return (unsigned char)*s->_ptr++;
    return _filbuf(s);
}

int _crt_stream_ungetc(int c, FILE *s) {
    if (c == EOF) return EOF;
    if (!(s->_flag & _IOREAD) && !((s->_flag & _IORW) && !(s->_flag & _IOWRT))) return EOF;
    if (!s->_base) GetBuffer(s);
    if (s->_ptr == s->_base) {
        if (s->_cnt) return EOF;
        s->_ptr++;
    }
    if (s->_flag & _IOSTRG) {
        if (*--s->_ptr != (char)c) {
            ++s->_ptr;
            return EOF;
        }
    } else {
        *--s->_ptr = (char)c;
    }
    s->_cnt++;
    s->_flag &= ~_IOEOF;
    s->_flag |= _IOREAD;
    return c & 0xFF;
}

/* A stream that writes straight to its descriptor: unbuffered, already writing. */
static int WritesDirectly(FILE *s) {
    if (BigBuffer(s) || !(s->_flag & _IOWRT) || (s->_flag & _IOREAD)) return 0;
    return (s->_flag & _IONBF) || ((s == &_iob[1] || s == &_iob[2]) && _isatty(s->_file));
}

/* Unlocked: appends bytes to a stream. 0 or EOF. */
int _crt_stream_putn(FILE *s, const char *text, size_t count) {
    while (count) {
        if (BigBuffer(s) && s->_cnt > 0) {
            size_t n = count < (size_t)s->_cnt ? count : (size_t)s->_cnt;
            memcpy(s->_ptr, text, n);
            s->_ptr += n;
            s->_cnt -= (int)n;
            text += n;
            count -= n;
            continue;
        }
        if (count < 2 || !WritesDirectly(s)) {
            /* One character through _flsbuf, which also sets up the buffer. */
            if (PutChar((unsigned char)*text, s) == EOF) return EOF;
            text++;
            count--;
            continue;
        }
        int n = count > 0x7FFFFFFF ? 0x7FFFFFFF : (int)count;
        if (_write(s->_file, text, (unsigned)n) != n) {
            s->_flag |= _IOERR;
            return EOF;
        }
        text += n;
        count -= (size_t)n;
    }
    return 0;
}

/* ---- Opening and closing ---- */

/* Parses an fopen mode into _open flags and stream flags; 0 when it is not valid. */
static int ParseMode(const char *mode, int *openFlags, int *streamFlags) {
    switch (*mode) {
    case 'r': *openFlags = _O_RDONLY, *streamFlags = _IOREAD; break;
    case 'w': *openFlags = _O_WRONLY | _O_CREAT | _O_TRUNC, *streamFlags = _IOWRT; break;
    case 'a': *openFlags = _O_WRONLY | _O_CREAT | _O_APPEND, *streamFlags = _IOWRT; break;
    default: errno = EINVAL; return 0;
    }
    for (const char *p = mode + 1; *p; p++) {
        switch (*p) {
        case '+':
            *openFlags = (*openFlags & ~(_O_RDONLY | _O_WRONLY)) | _O_RDWR;
            *streamFlags = _IORW;
            break;
        case 'b': *openFlags |= _O_BINARY; break;
        case 't': *openFlags |= _O_TEXT; break;
        case 'D': *openFlags |= _O_TEMPORARY; break;
        case 'c':
        case 'n':
        case 'S':
        case 'R':
        case 'T':
        case 'N':
        case ' ': break;
        case ',': return 1; /* ",ccs=..." */
        default: errno = EINVAL; return 0;
        }
    }
    return 1;
}

static FILE *OpenOn(FILE *s, const char *name, const char *mode) {
    int openFlags, streamFlags;
    if (!ParseMode(mode, &openFlags, &streamFlags)) return NULL;
    int fd = _open(name, openFlags, _S_IREAD | _S_IWRITE);
    if (fd < 0) return NULL;
    s->_flag = streamFlags;
    s->_cnt = 0;
    s->_base = s->_ptr = NULL;
    s->_tmpfname = NULL;
    s->_file = fd;
    return s;
}

FILE *__cdecl _fsopen(const char *name, const char *mode, int share) {
    (void)share;
    if (!name || !mode || !*name) {
        errno = EINVAL;
        return NULL;
    }
    FILE *s = _crt_new_stream();
    if (!s) return NULL;
    _lock_file(s);
    FILE *result = OpenOn(s, name, mode);
    _unlock_file(s);
    return result;
}

FILE *__cdecl fopen(const char *name, const char *mode) { return _fsopen(name, mode, 0x40); }

FILE *__cdecl _wfopen(const wchar_t *name, const wchar_t *mode) {
    char narrowName[MAX_PATH * 2], narrowMode[16];
    size_t n = wcslen(name), m = wcslen(mode);
    if (n >= sizeof(narrowName) || m >= sizeof(narrowMode)) {
        errno = EINVAL;
        return NULL;
    }
    _crt_wide_to_ansi(name, n + 1, narrowName, sizeof(narrowName));
    _crt_wide_to_ansi(mode, m + 1, narrowMode, sizeof(narrowMode));
    return fopen(narrowName, narrowMode);
}

FILE *__cdecl _fdopen(int fd, const char *mode) {
    int openFlags, streamFlags;
    if (!ParseMode(mode, &openFlags, &streamFlags)) return NULL;
    if (_get_osfhandle(fd) == -1) return NULL;
    FILE *s = _crt_new_stream();
    if (!s) return NULL;
    s->_flag = streamFlags;
    s->_file = fd;
    return s;
}

static int CloseLocked(FILE *s) {
    int result = EOF;
    if (s->_flag & (_IOREAD | _IOWRT | _IORW)) {
        result = _crt_flush(s);
        if (s->_flag & _IOMYBUF) HeapFree(_CRT_HEAP, 0, s->_base);
        if (_close(s->_file) < 0) result = EOF;
        if (s->_tmpfname) {
            _unlink(s->_tmpfname);
            HeapFree(_CRT_HEAP, 0, s->_tmpfname);
        }
    }
    s->_flag = 0;
    s->_base = s->_ptr = s->_tmpfname = NULL;
    s->_cnt = s->_bufsiz = 0;
    return result;
}

int __cdecl fclose(FILE *s) {
    if (!s) {
        errno = EINVAL;
        return EOF;
    }
    if (s->_flag & _IOSTRG) {
        s->_flag = 0;
        return EOF;
    }
    _lock_file(s);
    int result = CloseLocked(s);
    _unlock_file(s);
    return result;
}

FILE *__cdecl freopen(const char *name, const char *mode, FILE *s) {
    _lock_file(s);
    CloseLocked(s);
    FILE *result = OpenOn(s, name, mode);
    _unlock_file(s);
    return result;
}

int __cdecl _fcloseall(void) {
    int count = 0;
    for (int i = 3; i < _NSTREAM_; i++) {
        FILE *s = Streams[i];
        if (s && (s->_flag & (_IOREAD | _IOWRT | _IORW)) && fclose(s) != EOF) count++;
    }
    return count;
}

/* Flushes every stream (closing: also the temporary buffers); the number flushed. */
int _crt_flushall_streams(int closing) {
    (void)closing;
    int count = 0;
    for (int i = 0; i < _NSTREAM_; i++) {
        FILE *s = Streams[i];
        if (!s || !(s->_flag & (_IOREAD | _IOWRT | _IORW))) continue;
        if (!TryEnterCriticalSection(StreamLock(s))) {
            /* Another thread holds it (perhaps one that will never run again): flush
               without the lock rather than hang the exit. */
            if (s->_flag & _IOWRT) _crt_flush(s);
            count++;
            continue;
        }
        if (s->_flag & _IOWRT) _crt_flush(s);
        count++;
        _unlock_file(s);
    }
    return count;
}

int __cdecl _flushall(void) { return _crt_flushall_streams(0); }

int __cdecl fflush(FILE *s) {
    if (!s) {
        _flushall();
        return 0;
    }
    _lock_file(s);
    int result = _crt_flush(s);
    if (!result && (s->_flag & _IOWRT) && (s->_flag & 0x4000 /* commit */)) _commit(s->_file);
    _unlock_file(s);
    return result;
}

/* ---- Characters and blocks ---- */

int __cdecl fputc(int c, FILE *s) {
    _lock_file(s);
    int result = PutChar(c, s);
    _unlock_file(s);
    return result;
}

int __cdecl putc(int c, FILE *s) { return fputc(c, s); }

int __cdecl putchar(int c) {
    FILE *s = &_iob[1];
    _lock_file(s);
    int used = _crt_stbuf(s, NULL, 0);
    int result = PutChar(c, s);
    _crt_ftbuf(used, s);
    _unlock_file(s);
    return result;
}

int __cdecl fgetc(FILE *s) {
    _lock_file(s);
    int result = _crt_stream_getc(s);
    _unlock_file(s);
    return result;
}

int __cdecl getc(FILE *s) { return fgetc(s); }

int __cdecl getchar(void) {
    /* Reading stdin first writes what stdout holds, as a prompt would need. */
    if (_iob[1]._flag & _IOWRT) fflush(&_iob[1]);
    return fgetc(&_iob[0]);
}

int __cdecl ungetc(int c, FILE *s) {
    _lock_file(s);
    int result = _crt_stream_ungetc(c, s);
    _unlock_file(s);
    return result;
}

size_t __cdecl fwrite(const void *buffer, size_t size, size_t count, FILE *s) {
    if (!size || !count) return 0;
    if (count > (size_t)-1 / size) {
        errno = EINVAL;
        return 0;
    }
    _lock_file(s);
    int used = _crt_stbuf(s, NULL, 0);
    size_t total = size * count;
    size_t done = 0;
    const char *p = buffer;
    /* Stop at the first failure, reporting the whole items written. */
    while (done < total) {
        size_t chunk = total - done > 0x10000 ? 0x10000 : total - done;
        if (_crt_stream_putn(s, p + done, chunk) == EOF) break;
        done += chunk;
    }
    _crt_ftbuf(used, s);
    _unlock_file(s);
    return done / size;
}

size_t __cdecl fread(void *buffer, size_t size, size_t count, FILE *s) {
    if (!size || !count) return 0;
    if (count > (size_t)-1 / size) {
        errno = EINVAL;
        return 0;
    }
    _lock_file(s);
    size_t total = size * count, done = 0;
    char *p = buffer;
    while (done < total) {
        if (s->_cnt > 0) {
            size_t n = total - done < (size_t)s->_cnt ? total - done : (size_t)s->_cnt;
            memcpy(p + done, s->_ptr, n);
            s->_ptr += n;
            s->_cnt -= (int)n;
            done += n;
            continue;
        }
        int c = _filbuf(s);
        if (c == EOF) break;
        p[done++] = (char)c;
    }
    _unlock_file(s);
    return done / size;
}

char *__cdecl fgets(char *buffer, int size, FILE *s) {
    if (!buffer || size <= 0) {
        errno = EINVAL;
        return NULL;
    }
    _lock_file(s);
    int n = 0;
    char *result = buffer;
    while (n < size - 1) {
        int c = _crt_stream_getc(s);
        if (c == EOF) {
            if (!n) result = NULL;
            break;
        }
        buffer[n++] = (char)c;
        if (c == '\n') break;
    }
    if (result) buffer[n] = 0;
    _unlock_file(s);
    return result;
}

char *__cdecl gets(char *buffer) {
    FILE *s = &_iob[0];
    _lock_file(s);
    int n = 0, c;
    while ((c = _crt_stream_getc(s)) != EOF && c != '\n') buffer[n++] = (char)c;
    char *result = (c == EOF && !n) ? NULL : buffer;
    buffer[n] = 0;
    _unlock_file(s);
    return result;
}

int __cdecl fputs(const char *text, FILE *s) {
    size_t n = strlen(text);
    _lock_file(s);
    int used = _crt_stbuf(s, NULL, 0);
    int result = _crt_stream_putn(s, text, n) == EOF ? EOF : 0;
    _crt_ftbuf(used, s);
    _unlock_file(s);
    return result;
}

int __cdecl puts(const char *text) {
    FILE *s = &_iob[1];
    size_t n = strlen(text);
    _lock_file(s);
    int used = _crt_stbuf(s, NULL, 0);
    int result = 0;
    if (_crt_stream_putn(s, text, n) == EOF || PutChar('\n', s) == EOF) result = EOF;
    _crt_ftbuf(used, s);
    _unlock_file(s);
    return result;
}

int __cdecl _getw(FILE *s) {
    int value;
    return fread(&value, sizeof(value), 1, s) == 1 ? value : EOF;
}

int __cdecl _putw(int value, FILE *s) { return fwrite(&value, sizeof(value), 1, s) == 1 ? value : EOF; }

/* ---- Position ---- */

/* Bytes a text-mode buffer range stands for in the file: every LF was a CR LF. */
static long long RawLength(FILE *s, const char *from, long long count) {
    long long raw = count;
    if (s->_file >= 0 && s->_file < _NHANDLE_ && (_crt_fds[s->_file].flags & FTEXT))
        for (long long i = 0; i < count; i++)
            if (from[i] == '\n') raw++;
    return raw;
}

long long __cdecl _ftelli64(FILE *s) {
    _lock_file(s);
    long long position = _lseeki64(s->_file, 0, SEEK_CUR);
    if (position >= 0) {
        if ((s->_flag & _IOWRT) && BigBuffer(s))
            position += RawLength(s, s->_base, s->_ptr - s->_base);
        else if ((s->_flag & _IOREAD) && s->_cnt > 0)
            position -= RawLength(s, s->_ptr, s->_cnt);
        if (position < 0) position = 0;
    }
    _unlock_file(s);
    return position;
}

long __cdecl ftell(FILE *s) {
    long long position = _ftelli64(s);
    if (position > 0x7FFFFFFF) {
        errno = EINVAL;
        return -1;
    }
    return (long)position;
}

int __cdecl _fseeki64(FILE *s, long long offset, int origin) {
    if (origin < 0 || origin > 2) {
        errno = EINVAL;
        return -1;
    }
    _lock_file(s);
    if (origin == SEEK_CUR) {
        long long here = _ftelli64(s);
        if (here < 0) {
            _unlock_file(s);
            return -1;
        }
        offset += here;
        origin = SEEK_SET;
    }
    _crt_flush(s);
    s->_flag &= ~_IOEOF;
    if (s->_flag & _IORW) s->_flag &= ~(_IOWRT | _IOREAD);
    int result = _lseeki64(s->_file, offset, origin) < 0 ? -1 : 0;
    _unlock_file(s);
    return result;
}

int __cdecl fseek(FILE *s, long offset, int origin) { return _fseeki64(s, offset, origin); }

void __cdecl rewind(FILE *s) {
    _fseeki64(s, 0, SEEK_SET);
    _lock_file(s);
    s->_flag &= ~(_IOERR | _IOEOF);
    _unlock_file(s);
}

int __cdecl fgetpos(FILE *s, fpos_t *position) {
    long long p = _ftelli64(s);
    if (p < 0) return -1;
    *position = p;
    return 0;
}

int __cdecl fsetpos(FILE *s, const fpos_t *position) { return _fseeki64(s, *position, SEEK_SET); }

int __cdecl feof(FILE *s) { return (s->_flag & _IOEOF) != 0; }
int __cdecl ferror(FILE *s) { return (s->_flag & _IOERR) != 0; }
void __cdecl clearerr(FILE *s) { s->_flag &= ~(_IOERR | _IOEOF); }
int __cdecl _fileno(FILE *s) { return s->_file; }

int __cdecl setvbuf(FILE *s, char *buffer, int mode, size_t size) {
    if ((mode != _IOFBF && mode != _IOLBF && mode != _IONBF) ||
        (mode != _IONBF && (size < 2 || size > 0x7FFFFFFF))) {
        errno = EINVAL;
        return -1;
    }
    _lock_file(s);
    _crt_flush(s);
    if (s->_flag & _IOMYBUF) HeapFree(_CRT_HEAP, 0, s->_base);
    s->_flag &= ~(_IOMYBUF | _IOYOURBUF | _IONBF | _IOSETVBUF | _IOFLRTN);
    s->_cnt = 0;
    if (mode == _IONBF) {
        s->_flag |= _IONBF;
        s->_base = s->_ptr = (char *)&s->_charbuf;
        s->_bufsiz = 2;
    } else if (buffer) {
        s->_flag |= _IOYOURBUF | _IOSETVBUF;
        s->_base = s->_ptr = buffer;
        s->_bufsiz = (int)(size & ~(size_t)1);
    } else {
        char *own = HeapAlloc(_CRT_HEAP, 0, size);
        if (!own) {
            _unlock_file(s);
            return -1;
        }
        s->_flag |= _IOMYBUF | _IOSETVBUF;
        s->_base = s->_ptr = own;
        s->_bufsiz = (int)size;
    }
    _unlock_file(s);
    return 0;
}

void __cdecl setbuf(FILE *s, char *buffer) {
    if (buffer) setvbuf(s, buffer, _IOFBF, BUFSIZ);
    else setvbuf(s, NULL, _IONBF, 0);
}

/* ---- Temporary files ---- */

char *__cdecl tmpnam(char *buffer) {
    static unsigned counter;
    char *out = buffer ? buffer : _getptd()->tmpnambuf;
    _lock(_TMPNAM_LOCK);
    for (int attempt = 0; attempt < 1000; attempt++) {
        _snprintf(out, L_tmpnam, "\\s%x.%u", GetCurrentProcessId(), ++counter);
        out[L_tmpnam - 1] = 0;
        if (GetFileAttributesA(out) == INVALID_FILE_ATTRIBUTES) break;
    }
    _unlock(_TMPNAM_LOCK);
    return out;
}

char *__cdecl _tempnam(const char *directory, const char *prefix) {
    char path[MAX_PATH];
    static unsigned counter;
    const char *dir = directory && *directory ? directory : ".";
    for (int attempt = 0; attempt < 1000; attempt++) {
        _snprintf(path, sizeof(path), "%s\\%s%x", dir, prefix ? prefix : "", ++counter);
        path[MAX_PATH - 1] = 0;
        if (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES) return _strdup(path);
    }
    errno = EEXIST;
    return NULL;
}

FILE *__cdecl tmpfile(void) {
    char name[L_tmpnam + 8];
    _lock(_TMPNAM_LOCK);
    static unsigned counter;
    FILE *s = NULL;
    for (int attempt = 0; attempt < 1000 && !s; attempt++) {
        _snprintf(name, sizeof(name), "t%x.%u.tmp", GetCurrentProcessId(), ++counter);
        if (GetFileAttributesA(name) != INVALID_FILE_ATTRIBUTES) continue;
        s = _crt_new_stream();
        if (!s) break;
        int fd = _open(name, _O_CREAT | _O_EXCL | _O_RDWR | _O_BINARY | _O_TEMPORARY, _S_IREAD | _S_IWRITE);
        if (fd < 0) {
            s->_flag = 0;
            s = NULL;
            break;
        }
        s->_flag = _IORW;
        s->_file = fd;
    }
    _unlock(_TMPNAM_LOCK);
    return s;
}

void __cdecl perror(const char *text) {
    char line[512];
    int n;
    if (text && *text) n = _snprintf(line, sizeof(line) - 1, "%s: %s\n", text, strerror(errno));
    else n = _snprintf(line, sizeof(line) - 1, "%s\n", strerror(errno));
    if (n < 0) n = (int)sizeof(line) - 1;
    fflush(&_iob[1]);
    _write(2, line, (unsigned)n);
}

/* ---- Wide characters on byte streams (converted in the "C" locale) ---- */

wint_t __cdecl fputwc(wchar_t c, FILE *s) {
    char byte = c < 0x100 ? (char)c : '?';
    if (fputc((unsigned char)byte, s) == EOF) return WEOF;
    return c;
}

wint_t __cdecl putwc(wchar_t c, FILE *s) { return fputwc(c, s); }
wint_t __cdecl putwchar(wchar_t c) { return fputwc(c, &_iob[1]); }

wint_t __cdecl fgetwc(FILE *s) {
    int c = fgetc(s);
    return c == EOF ? WEOF : (wint_t)(unsigned char)c;
}

wint_t __cdecl getwc(FILE *s) { return fgetwc(s); }
wint_t __cdecl getwchar(void) { return fgetwc(&_iob[0]); }

wint_t __cdecl ungetwc(wint_t c, FILE *s) {
    if (c == WEOF || c > 0xFF) return WEOF;
    return ungetc((int)c, s) == EOF ? WEOF : c;
}

wchar_t *__cdecl fgetws(wchar_t *buffer, int size, FILE *s) {
    if (size <= 0) return NULL;
    _lock_file(s);
    int n = 0;
    wchar_t *result = buffer;
    while (n < size - 1) {
        int c = _crt_stream_getc(s);
        if (c == EOF) {
            if (!n) result = NULL;
            break;
        }
        buffer[n++] = (wchar_t)(unsigned char)c;
        if (c == '\n') break;
    }
    if (result) buffer[n] = 0;
    _unlock_file(s);
    return result;
}

int __cdecl fputws(const wchar_t *text, FILE *s) {
    _lock_file(s);
    int used = _crt_stbuf(s, NULL, 0);
    int result = 0;
    for (; *text; text++)
        if (PutChar(*text < 0x100 ? (unsigned char)*text : '?', s) == EOF) {
            result = EOF;
            break;
        }
    _crt_ftbuf(used, s);
    _unlock_file(s);
    return result;
}

int __cdecl _putws(const wchar_t *text) {
    if (fputws(text, &_iob[1]) == EOF) return EOF;
    return fputc('\n', &_iob[1]) == EOF ? EOF : 0;
}
