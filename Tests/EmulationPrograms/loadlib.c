/* LoadLibrary and GetProcAddress on a DLL in the program's folder (NtXcdbLoadDll). */
#include <stdio.h>
#include <windows.h>

int main(void) {
    HMODULE module = LoadLibraryA("lib.dll");
    printf("loaded %s\n", module ? "yes" : "no");
    int (*addOne)(int) = (int (*)(int))(void *)GetProcAddress(module, "AddOne");
    printf("AddOne(41) = %d\n", addOne ? addOne(41) : -1);
    HMODULE again = LoadLibraryA("LIB");
    printf("same module %s\n", again == module ? "yes" : "no");
    printf("missing %s\n", LoadLibraryA("nowhere.dll") ? "loaded" : "not found");
    OutputDebugStringA("debug output from the program\n");
    return 0;
}
