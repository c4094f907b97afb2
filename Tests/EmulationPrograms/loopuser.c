#define BARE_STUBS
#include "bare.h"
__declspec(dllimport) int LoopA(void);
void start(void) { exit_process((u32)LoopA()); }
