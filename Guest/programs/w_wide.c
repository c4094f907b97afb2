/* A wmain program (wmainCRTStartup, __wgetmainargs): wide arguments, wide strings and wide
   formatting. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

int wmain(int argc, wchar_t **argv) {
    wprintf(L"%d arguments\n", argc);
    for (int i = 1; i < argc; i++) wprintf(L"[%ls] (%d)\n", argv[i], (int)wcslen(argv[i]));
    wchar_t buffer[64];
    _snwprintf(buffer, 64, L"%d-%ls-%lc", 42, L"wide", L'x');
    int compared = wcscmp(buffer, L"42-wide-x");
    wprintf(L"%ls, compare %d, ", buffer, compared);
    wprintf(L"upper %ls\n", _wcsupr(buffer));
    char narrow[64];
    int n = WideCharToMultiByte(CP_ACP, 0, L"caf\x00e9", -1, narrow, sizeof(narrow), NULL, NULL);
    printf("narrowed %d bytes, last %02x\n", n, (unsigned char)narrow[3]);
    wchar_t *command = GetCommandLineW();
    printf("command line mentions the program: %s\n", wcsstr(command, L"w_wide") ? "yes" : "no");
    return argc;
}
