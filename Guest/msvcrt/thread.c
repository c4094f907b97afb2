/* _beginthread(ex) and _endthread(ex), process ids. */
#include "crt.h"
#include <process.h>

typedef struct {
    void *start;
    void *argument;
    int ex;
    HANDLE handle; /* _beginthread's, closed when the thread ends */
} START;

static DWORD WINAPI ThreadStart(LPVOID parameter) {
    START s = *(START *)parameter;
    free(parameter);
    if (s.ex) {
        unsigned code = ((unsigned(__stdcall *)(void *))s.start)(s.argument);
        _endthreadex(code);
    }
    ((void(__cdecl *)(void *))s.start)(s.argument);
    _endthread();
    return 0;
}

static uintptr_t Begin(void *start, unsigned stack, void *argument, unsigned flags, unsigned *id, int ex) {
    START *s = malloc(sizeof(START));
    if (!s) return ex ? 0 : (uintptr_t)-1;
    s->start = start;
    s->argument = argument;
    s->ex = ex;
    s->handle = NULL;
    DWORD tid;
    HANDLE h = CreateThread(NULL, stack, ThreadStart, s, flags | CREATE_SUSPENDED, &tid);
    if (!h) {
        free(s);
        _crt_set_errno_from_win32(GetLastError());
        return ex ? 0 : (uintptr_t)-1;
    }
    s->handle = ex ? NULL : h;
    if (id) *id = tid;
    if (!(flags & CREATE_SUSPENDED)) ResumeThread(h);
    return (uintptr_t)h;
}

uintptr_t __cdecl _beginthread(void(__cdecl *start)(void *), unsigned stack, void *argument) {
    return Begin((void *)start, stack, argument, 0, NULL, 0);
}

uintptr_t __cdecl _beginthreadex(void *security, unsigned stack, unsigned(__stdcall *start)(void *), void *argument,
    unsigned flags, unsigned *id) {
    (void)security;
    return Begin((void *)start, stack, argument, flags, id, 1);
}

void __cdecl _endthreadex(unsigned code) {
    _freeptd();
    ExitThread(code);
}

void __cdecl _endthread(void) {
    _freeptd();
    ExitThread(0);
}

int __cdecl _getpid(void) { return (int)GetCurrentProcessId(); }
