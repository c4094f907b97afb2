/* The initialiser tables of clang-cl programs (xcdbcrt.lib), shared by both start-ups. */
#include <stdlib.h>

typedef void(__cdecl *_PVFV)(void);
typedef int(__cdecl *_PIFV)(void);

/* The initialiser tables: the linker sorts .CRT$X?? sections by name, so entries the
   compiler puts in .CRT$XCU (C++ constructors) and .CRT$XIU land between these markers. */
#pragma section(".CRT$XIA", long, read)
#pragma section(".CRT$XIZ", long, read)
#pragma section(".CRT$XCA", long, read)
#pragma section(".CRT$XCZ", long, read)
__declspec(allocate(".CRT$XIA")) _PIFV __xi_a[] = {0};
__declspec(allocate(".CRT$XIZ")) _PIFV __xi_z[] = {0};
__declspec(allocate(".CRT$XCA")) _PVFV __xc_a[] = {0};
__declspec(allocate(".CRT$XCZ")) _PVFV __xc_z[] = {0};
#pragma comment(linker, "/merge:.CRT=.rdata")

