#define BARE_STUBS
#include "bare.h"
__declspec(dllimport) int A(int);
void start(void) { exit_process((u32)A(6)); }
