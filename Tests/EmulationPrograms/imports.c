#define BARE_STUBS
#include "bare.h"

__declspec(dllimport) int AddOne(int);
__declspec(dllimport) int Times2(int);
__declspec(dllimport) void *lib_pointer;
__declspec(dllimport) int TwinValue(void);
__declspec(dllimport) void *twin_pointer;
__declspec(dllimport) int Forwarded2(int);
__declspec(dllimport) int ByOrdinal(int);
__declspec(dllimport) int Nothing(int);

void start(void) {
    print(AddOne(41) == 42 ? "ok by name\n" : "FAIL by name\n");
    print(Times2(21) == 42 ? "ok by ordinal\n" : "FAIL by ordinal\n");
    print(lib_pointer == &lib_pointer ? "ok lib pointer\n" : "FAIL lib pointer\n");
    print(twin_pointer == &twin_pointer ? "ok relocated pointer\n" : "FAIL relocated pointer\n");
    print(TwinValue() == 17 ? "ok relocated code\n" : "FAIL relocated code\n");
    print(Forwarded2(1) == 2 ? "ok forwarder chain\n" : "FAIL forwarder chain\n");
    print(ByOrdinal(4) == 8 ? "ok forwarder by ordinal\n" : "FAIL forwarder by ordinal\n");
    int missing = Nothing(5);
    u32 error = *(volatile u32 *)(teb() + 0x68);
    print(missing == 0 && error == 127 ? "ok unimplemented import fails\n" : "FAIL unimplemented import\n");
    exit_process(0);
}
