// libedit's native API (histedit.h). el_set/history are variadic, which Swift cannot call;
// the LineEditor module adds the static inline wrappers it needs here.
#ifndef XCDB_CLIBEDIT_SHIM_H
#define XCDB_CLIBEDIT_SHIM_H
#include <histedit.h>
#endif
