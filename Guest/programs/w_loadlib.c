/* Loading a DLL at run time: LoadLibrary runs its DllMain, GetProcAddress finds exports by
   name and by ordinal, a new thread is announced to it, a missing DLL fails with
   ERROR_MOD_NOT_FOUND. The DLL is w_plugin.dll (clang-cl), beside the program. */
#include <stdio.h>
#include <windows.h>

typedef int (*ADD)(int, int);
typedef int (*SECRET)(void);

static DWORD WINAPI thread(LPVOID parameter) {
    (void)parameter;
    return 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("before load: %s\n", GetModuleHandleA("w_plugin.dll") ? "loaded" : "not loaded");
    HMODULE plugin = LoadLibraryA("w_plugin");
    printf("loaded: %s\n", plugin ? "yes" : "no");
    if (!plugin) return 1;
    ADD add = (ADD)GetProcAddress(plugin, "plugin_add");
    SECRET secret = (SECRET)GetProcAddress(plugin, (LPCSTR)7);
    printf("plugin_add(2, 3) = %d, ordinal 7 = %d\n", add ? add(2, 3) : -99, secret ? secret() : -99);
    printf("by name of the ordinal-only export: %s\n", GetProcAddress(plugin, "plugin_secret") ? "found" : "absent");
    printf("same handle again: %s\n", LoadLibraryA("W_PLUGIN.DLL") == plugin ? "yes" : "no");
    HANDLE h = CreateThread(NULL, 0, thread, NULL, 0, NULL);
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
    HMODULE missing = LoadLibraryA("no_such_library.dll");
    printf("missing library: %s, error %lu\n", missing ? "loaded" : "failed", GetLastError());
    printf("free %d\n", FreeLibrary(plugin));
    return 0;
}
