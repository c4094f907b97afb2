/* A mingw-w64 program calling an import nobody implements (user32.dll is not one of the
   system DLLs): the machine stops there; continuing makes the call fail. */
#include <stdio.h>
#include <windows.h>

int main(void) {
    printf("calling MessageBoxA\n");
    fflush(stdout);
    int result = MessageBoxA(NULL, "text", "caption", MB_OK);
    printf("returned %d, last error %lu\n", result, GetLastError());
    return 0;
}
