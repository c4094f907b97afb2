/* _DllMainCRTStartup for DLLs built with clang-cl (xcdbcrt.lib): runs the DLL's C
   initialiser tables on DLL_PROCESS_ATTACH, then its DllMain. */
#include <stdlib.h>
#include <windows.h>

typedef void(__cdecl *_PVFV)(void);
typedef int(__cdecl *_PIFV)(void);
extern _PIFV __xi_a[], __xi_z[];
extern _PVFV __xc_a[], __xc_z[];
_CRTIMP void __cdecl _initterm(_PVFV *begin, _PVFV *end);
_CRTIMP int __cdecl _initterm_e(_PIFV *begin, _PIFV *end);
void __cdecl __security_init_cookie(void);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);

BOOL WINAPI _DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    if (reason == DLL_PROCESS_ATTACH) {
        __security_init_cookie();
        if (_initterm_e(__xi_a, __xi_z)) return FALSE;
        _initterm(__xc_a, __xc_z);
    }
    return DllMain(instance, reason, reserved);
}
