// Capstone's C API. The Disassembly module adds any wrappers it needs here.
#ifndef XCDB_CCAPSTONE_SHIM_H
#define XCDB_CCAPSTONE_SHIM_H
#include <capstone/capstone.h>
#endif
