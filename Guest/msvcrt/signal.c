/* signal and raise, abort, assertions, and _XcptFilter (the exception filter msvcrt's own
   start-up code wraps main in), which turns hardware exceptions into SIGSEGV, SIGILL and
   SIGFPE for the program's handlers. */
#include "crt.h"
#include <signal.h>

static __p_sig_fn_t Handlers[NSIG];

__p_sig_fn_t __cdecl signal(int number, __p_sig_fn_t handler) {
    if (number <= 0 || number >= NSIG ||
        (number != SIGINT && number != SIGILL && number != SIGFPE && number != SIGSEGV && number != SIGTERM &&
            number != SIGBREAK && number != SIGABRT && number != 6 /* SIGABRT_COMPAT */) ||
        handler == SIG_ERR) {
        errno = EINVAL;
        return SIG_ERR;
    }
    if (number == 6) number = SIGABRT;
    _lock(_SIGNAL_LOCK);
    __p_sig_fn_t old = Handlers[number];
    Handlers[number] = handler;
    _unlock(_SIGNAL_LOCK);
    return old;
}

int __cdecl raise(int number) {
    if (number <= 0 || number >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    _lock(_SIGNAL_LOCK);
    __p_sig_fn_t handler = Handlers[number];
    if (handler != SIG_IGN && handler != SIG_DFL && number != SIGFPE) Handlers[number] = SIG_DFL;
    _unlock(_SIGNAL_LOCK);
    if (handler == SIG_IGN) return 0;
    if (handler == SIG_DFL) {
        /* The default action ends the process with exit code 3. */
        if (number == SIGABRT) _exit(3);
        _exit(3);
    }
    handler(number);
    return 0;
}

_CRT_NORETURN void __cdecl abort(void) {
    raise(SIGABRT);
    /* A handler returned: msvcrt reports and ends anyway. */
    static const char message[] = "\nThis application has requested the Runtime to terminate it in an unusual way.\n"
                                  "Please contact the application's support team for more information.\n";
    _write(2, message, sizeof(message) - 1);
    _exit(3);
}

void __cdecl _assert(const char *expression, const char *file, unsigned line) {
    char message[1024];
    int n = _snprintf(message, sizeof(message) - 1, "Assertion failed: %s, file %s, line %u\n", expression, file, line);
    if (n < 0) n = (int)sizeof(message) - 1;
    fflush(&_iob[1]);
    _write(2, message, (unsigned)n);
    abort();
}

void __cdecl _wassert(const wchar_t *expression, const wchar_t *file, unsigned line) {
    char e[512], f[260];
    size_t ne = wcslen(expression), nf = wcslen(file);
    if (ne >= sizeof(e)) ne = sizeof(e) - 1;
    if (nf >= sizeof(f)) nf = sizeof(f) - 1;
    _crt_wide_to_ansi(expression, ne, e, sizeof(e));
    _crt_wide_to_ansi(file, nf, f, sizeof(f));
    e[ne] = 0;
    f[nf] = 0;
    _assert(e, f, line);
}

int __cdecl _XcptFilter(unsigned long code, struct _EXCEPTION_POINTERS *pointers) {
    (void)pointers;
    int number;
    switch (code) {
    case EXCEPTION_ACCESS_VIOLATION: number = SIGSEGV; break;
    case EXCEPTION_ILLEGAL_INSTRUCTION:
    case EXCEPTION_PRIV_INSTRUCTION: number = SIGILL; break;
    case EXCEPTION_FLT_DENORMAL_OPERAND:
    case EXCEPTION_FLT_DIVIDE_BY_ZERO:
    case EXCEPTION_FLT_INEXACT_RESULT:
    case EXCEPTION_FLT_INVALID_OPERATION:
    case EXCEPTION_FLT_OVERFLOW:
    case EXCEPTION_FLT_STACK_CHECK:
    case EXCEPTION_FLT_UNDERFLOW: number = SIGFPE; break;
    default: return UnhandledExceptionFilter(pointers);
    }
    _lock(_SIGNAL_LOCK);
    __p_sig_fn_t handler = Handlers[number];
    if (handler != SIG_DFL && handler != SIG_IGN) Handlers[number] = SIG_DFL;
    _unlock(_SIGNAL_LOCK);
    if (handler == SIG_DFL) return UnhandledExceptionFilter(pointers);
    if (handler == SIG_IGN) return EXCEPTION_CONTINUE_EXECUTION;
    handler(number);
    return EXCEPTION_CONTINUE_EXECUTION;
}

int __cdecl __CppXcptFilter(unsigned long code, struct _EXCEPTION_POINTERS *pointers) {
    if (code == 0xE06D7363) return _XcptFilter(code, pointers);
    return EXCEPTION_CONTINUE_SEARCH;
}
