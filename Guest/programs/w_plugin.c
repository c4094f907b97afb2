/* A DLL (w_plugin.dll) that w_loadlib loads at run time: DllMain reports its notifications,
   and it exports functions by name and one by ordinal only (see w_plugin.def). */
#include <stdio.h>
#include <windows.h>

static int attached;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    if (reason == DLL_PROCESS_ATTACH) {
        attached = 1;
        printf("plugin: process attach (%s)\n", reserved ? "static" : "dynamic");
    } else if (reason == DLL_PROCESS_DETACH) {
        printf("plugin: process detach\n");
    } else if (reason == DLL_THREAD_ATTACH) {
        printf("plugin: thread attach\n");
    } else if (reason == DLL_THREAD_DETACH) {
        printf("plugin: thread detach\n");
    }
    fflush(stdout);
    return TRUE;
}

__declspec(dllexport) int plugin_add(int a, int b) { return attached ? a + b : -1; }
int plugin_secret(void) { return 4242; }
