/* signal.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_SIGNAL_H
#define XCDB_SIGNAL_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

typedef int sig_atomic_t;
#define SIGINT 2
#define SIGILL 4
#define SIGFPE 8
#define SIGSEGV 11
#define SIGTERM 15
#define SIGBREAK 21
#define SIGABRT 22
#define NSIG 23
typedef void(__cdecl *__p_sig_fn_t)(int);
#define SIG_DFL ((__p_sig_fn_t)0)
#define SIG_IGN ((__p_sig_fn_t)1)
#define SIG_ERR ((__p_sig_fn_t)-1)

_CRTIMP __p_sig_fn_t __cdecl signal(int signal, __p_sig_fn_t handler);
_CRTIMP int __cdecl raise(int signal);

_CRT_END_C_HEADER

#endif
