// libedit's native API (histedit.h) for Swift.
//
// The library is loaded with dlopen when a line editor is first made (`LibEditLibrary`), not
// linked: sessions that never edit a line (`-c`, `-json`, piped input, triage workers) do not
// load it and the four libraries it needs. Nothing here may call libedit directly; the
// xcdb_*_t types name its functions' pointer types for dlsym.
//
// el_wset/el_wget and history_w are variadic, which Swift cannot call, so each use the
// LineEditor module makes has a small fixed-signature wrapper here that takes the function
// found by dlsym. The wide-character ("w") forms are used throughout: Swift strings cross as
// arrays of wchar_t (UTF-32 on Linux).
//
// The file also holds the one piece of code that runs inside a signal handler: it only writes
// the signal number to a pipe (write(2) is async-signal-safe); Swift code reads the pipe on an
// ordinary thread.
#ifndef XCDB_CLIBEDIT_SHIM_H
#define XCDB_CLIBEDIT_SHIM_H

#include <errno.h>
#include <histedit.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

// ---- The library's functions, as pointer types ----------------------------------------------

typedef __typeof__(&el_init_fd) xcdb_el_init_fd_t;
typedef __typeof__(&el_end) xcdb_el_end_t;
typedef __typeof__(&el_wgets) xcdb_el_wgets_t;
typedef __typeof__(&el_wline) xcdb_el_wline_t;
typedef __typeof__(&el_cursor) xcdb_el_cursor_t;
typedef __typeof__(&el_deletestr) xcdb_el_deletestr_t;
typedef __typeof__(&el_winsertstr) xcdb_el_winsertstr_t;
typedef __typeof__(&el_wpush) xcdb_el_wpush_t;
typedef __typeof__(&el_resize) xcdb_el_resize_t;
typedef __typeof__(&history_winit) xcdb_history_winit_t;
typedef __typeof__(&history_wend) xcdb_history_wend_t;
/// el_wset and el_wget share this type.
typedef int (*xcdb_el_variadic_t)(EditLine *, int, ...);
typedef int (*xcdb_history_w_t)(HistoryW *, HistEventW *, int, ...);

// ---- Editing --------------------------------------------------------------------------------

/// Prompt callback for EL_PROMPT with el_wset: returns the wide prompt to draw.
typedef wchar_t *(*xcdb_prompt_function)(EditLine *);

/// A user-defined editor command for EL_ADDFN (libedit's internal el_func_t): returns one of
/// the CC_* codes.
typedef unsigned char (*xcdb_editor_function)(EditLine *, wint_t);

static inline int xcdb_el_set_editor(void *wset, EditLine *el, const wchar_t *mode) {
    return ((xcdb_el_variadic_t)wset)(el, EL_EDITOR, mode);
}

/// `name` NULL means "use $TERM".
static inline int xcdb_el_set_terminal(void *wset, EditLine *el, const char *name) {
    return ((xcdb_el_variadic_t)wset)(el, EL_TERMINAL, name);
}

static inline int xcdb_el_set_signal_handling(void *wset, EditLine *el, int on) {
    return ((xcdb_el_variadic_t)wset)(el, EL_SIGNAL, on);
}

static inline int xcdb_el_set_prompt(void *wset, EditLine *el, xcdb_prompt_function prompt) {
    return ((xcdb_el_variadic_t)wset)(el, EL_PROMPT, prompt);
}

static inline int xcdb_el_set_getc_function(void *wset, EditLine *el, el_rfunc_t read_char) {
    return ((xcdb_el_variadic_t)wset)(el, EL_GETCFN, read_char);
}

static inline int xcdb_el_set_client_data(void *wset, EditLine *el, void *data) {
    return ((xcdb_el_variadic_t)wset)(el, EL_CLIENTDATA, data);
}

static inline void *xcdb_el_client_data(void *wget, EditLine *el) {
    void *data = NULL;
    if (((xcdb_el_variadic_t)wget)(el, EL_CLIENTDATA, &data) != 0) {
        return NULL;
    }
    return data;
}

static inline int xcdb_el_set_history(
    void *wset, EditLine *el, void *history_w, HistoryW *history) {
    return ((xcdb_el_variadic_t)wset)(el, EL_HIST, history_w, history);
}

static inline int xcdb_el_add_function(
    void *wset, EditLine *el, const wchar_t *name, const wchar_t *help,
    xcdb_editor_function function) {
    return ((xcdb_el_variadic_t)wset)(el, EL_ADDFN, name, help, function);
}

/// Binds a key (libedit `bind` syntax: `^X`, `\e`, ...) to an editor command by name.
static inline int xcdb_el_bind(
    void *wset, EditLine *el, const wchar_t *key, const wchar_t *command) {
    return ((xcdb_el_variadic_t)wset)(el, EL_BIND, key, command, (const wchar_t *)NULL);
}

/// `setty` with up to three arguments (unused ones NULL), e.g. "-d", "-intr", "intr=".
static inline int xcdb_el_setty(
    void *wset, EditLine *el, const wchar_t *a, const wchar_t *b, const wchar_t *c) {
    return ((xcdb_el_variadic_t)wset)(el, EL_SETTY, a, b, c, (const wchar_t *)NULL);
}

/// Forgets what libedit believes is on the screen and redraws prompt and line from the
/// cursor's current position, which must be the first column of the prompt's row.
static inline int xcdb_el_refresh(void *wset, EditLine *el) {
    return ((xcdb_el_variadic_t)wset)(el, EL_REFRESH);
}

/// 1: put the terminal in editing mode; 0: back to the mode commands run in.
static inline int xcdb_el_prepare_terminal(void *wset, EditLine *el, int editing) {
    return ((xcdb_el_variadic_t)wset)(el, EL_PREP_TERM, editing);
}

/// Terminal columns a character takes (-1: not printable). <wchar.h> declares wcwidth only
/// with _XOPEN_SOURCE; glibc always has it.
int wcwidth(wchar_t c);
static inline int xcdb_wcwidth(wchar_t c) {
    return wcwidth(c);
}

/// pipe2(2): <unistd.h> declares it only with _GNU_SOURCE; glibc always has it. Creating both
/// ends close-on-exec in one call keeps them out of processes started by other threads.
int pipe2(int fds[2], int flags);
static inline int xcdb_pipe2(int fds[2], int flags) {
    return pipe2(fds, flags);
}

// ---- History --------------------------------------------------------------------------------

static inline int xcdb_history_set_size(void *history_w, HistoryW *h, HistEventW *ev, int size) {
    return ((xcdb_history_w_t)history_w)(h, ev, H_SETSIZE, size);
}

static inline int xcdb_history_set_unique(
    void *history_w, HistoryW *h, HistEventW *ev, int unique) {
    return ((xcdb_history_w_t)history_w)(h, ev, H_SETUNIQUE, unique);
}

static inline int xcdb_history_enter(
    void *history_w, HistoryW *h, HistEventW *ev, const wchar_t *line) {
    return ((xcdb_history_w_t)history_w)(h, ev, H_ENTER, line);
}

/// H_LAST (oldest entry), H_PREV (one newer), H_FIRST, H_NEXT, H_CLEAR, H_GETSIZE.
static inline int xcdb_history_step(void *history_w, HistoryW *h, HistEventW *ev, int op) {
    return ((xcdb_history_w_t)history_w)(h, ev, op);
}

// ---- Signals --------------------------------------------------------------------------------
//
// These three are `static`: every object file that uses them gets its own copy of
// `xcdb_signal_pipe_fd`. LineEditor calls them from one Swift file only (SignalWatcher.swift),
// so the handler and the installer always share one copy.

static volatile sig_atomic_t xcdb_signal_pipe_fd = -1;

static void xcdb_signal_handler(int signal_number) {
    int saved_errno = errno;
    int fd = xcdb_signal_pipe_fd;
    if (fd >= 0) {
        unsigned char byte = (unsigned char)signal_number;
        ssize_t ignored = write(fd, &byte, 1);  // a full pipe drops the byte: signals coalesce
        (void)ignored;
    }
    errno = saved_errno;
}

/// Sets the pipe the handler writes to (non-blocking write end); call before installing.
static inline void xcdb_set_signal_pipe(int fd) {
    xcdb_signal_pipe_fd = fd;
}

/// Installs the pipe-writing handler for `signal_number`; the old disposition goes to
/// `previous` (may be NULL).
static inline int xcdb_install_signal_handler(int signal_number, struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = xcdb_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(signal_number, &action, previous);
}

static inline int xcdb_restore_signal_handler(
    int signal_number, const struct sigaction *previous) {
    return sigaction(signal_number, previous, NULL);
}

#endif
