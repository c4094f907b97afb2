/* sys/types.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_SYS_TYPES_H
#define XCDB_SYS_TYPES_H
#include <xcdb/crtdefs.h>
typedef unsigned short ino_t;
typedef unsigned int dev_t;
typedef unsigned short mode_t;
typedef int pid_t;
#endif
