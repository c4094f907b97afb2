/* Win32 odds and ends: files through CreateFile/WriteFile/ReadFile, file pointers and sizes,
   environment variables, last errors and their messages, code-page conversion, module
   handles and exports, system information. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

int main(void) {
    HANDLE f = CreateFileA("w32_file.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
        NULL);
    printf("create %s, error %lu\n", f != INVALID_HANDLE_VALUE ? "ok" : "failed", GetLastError());
    DWORD done = 0;
    WriteFile(f, "0123456789abcdef", 16, &done, NULL);
    printf("wrote %lu, size %lu\n", done, GetFileSize(f, NULL));
    printf("pointer %lu\n", SetFilePointer(f, 4, NULL, FILE_BEGIN));
    char buffer[32] = "";
    ReadFile(f, buffer, 6, &done, NULL);
    printf("read %lu [%.6s]\n", done, buffer);
    LARGE_INTEGER position, zero = {{0, 0}};
    SetFilePointerEx(f, zero, &position, FILE_CURRENT);
    printf("now at %lld\n", position.QuadPart);
    SetFilePointer(f, 8, NULL, FILE_BEGIN);
    SetEndOfFile(f);
    LARGE_INTEGER size;
    GetFileSizeEx(f, &size);
    printf("truncated to %lld\n", size.QuadPart);
    ReadFile(f, buffer, 10, &done, NULL);
    printf("read at the end: %lu bytes\n", done);
    printf("file type %lu\n", GetFileType(f));
    CloseHandle(f);
    HANDLE again = CreateFileA("w32_file.bin", GENERIC_READ, 0, NULL, CREATE_NEW, 0, NULL);
    printf("create-new on existing: %s, error %lu\n", again == INVALID_HANDLE_VALUE ? "failed" : "ok", GetLastError());
    printf("attributes %s\n", GetFileAttributesA("w32_file.bin") != INVALID_FILE_ATTRIBUTES ? "found" : "missing");
    BOOL deleted = DeleteFileA("w32_file.bin");
    BOOL deletedAgain = DeleteFileA("w32_file.bin");
    printf("delete %d, again %d (error %lu)\n", deleted, deletedAgain, GetLastError());
    HANDLE missing = CreateFileA("no_such_file.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("missing: %s, error %lu\n", missing == INVALID_HANDLE_VALUE ? "failed" : "ok", GetLastError());
    char message[256];
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 2, 0, message, sizeof(message),
        NULL);
    printf("message 2: %s", message);

    SetEnvironmentVariableA("XCDB_TEST_VAR", "some value");
    char value[64] = "";
    DWORD length = GetEnvironmentVariableA("XCDB_TEST_VAR", value, sizeof(value));
    printf("variable %lu [%s]\n", length, value);
    length = GetEnvironmentVariableA("xcdb_test_var", value, 4);
    printf("needs %lu\n", length);
    SetEnvironmentVariableA("XCDB_TEST_VAR", NULL);
    length = GetEnvironmentVariableA("XCDB_TEST_VAR", value, sizeof(value));
    printf("removed: %lu, error %lu\n", length, GetLastError());

    WCHAR wide[16];
    int n = MultiByteToWideChar(CP_UTF8, 0, "h\xc3\xa9llo", -1, wide, 16);
    char back[16];
    int m = WideCharToMultiByte(CP_UTF8, 0, wide, -1, back, 16, NULL, NULL);
    printf("utf-8 round trip %d %d %s, e-acute is %04x\n", n, m, strcmp(back, "h\xc3\xa9llo") ? "differs" : "same",
        wide[1]);

    HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
    FARPROC tick = GetProcAddress(kernel32, "GetTickCount");
    FARPROC none = GetProcAddress(kernel32, "NoSuchFunction");
    printf("kernel32 %s, GetTickCount %s, missing export %s (error %lu)\n", kernel32 ? "loaded" : "missing",
        tick ? "found" : "missing", none ? "found" : "missing", GetLastError());
    FARPROC heapAlloc = GetProcAddress(kernel32, "HeapAlloc");
    FARPROC rtlAllocate = GetProcAddress(GetModuleHandleA("ntdll"), "RtlAllocateHeap");
    printf("HeapAlloc forwards to ntdll: %s\n", heapAlloc == rtlAllocate ? "yes" : "no");
    HMODULE loaded = LoadLibraryA("msvcrt.dll");
    printf("LoadLibrary msvcrt: %s\n", loaded ? "ok" : "failed");
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    printf("page size %lu, granularity %lu, processors %lu\n", info.dwPageSize, info.dwAllocationGranularity,
        info.dwNumberOfProcessors);
    OSVERSIONINFOA version = {sizeof(version)};
    GetVersionExA(&version);
    printf("version %lu.%lu\n", version.dwMajorVersion, version.dwMinorVersion);
    void *block = VirtualAlloc(NULL, 100000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(block, &mbi, sizeof(mbi));
    printf("virtual block committed %s, readwrite %s\n", mbi.State == MEM_COMMIT ? "yes" : "no",
        mbi.Protect == PAGE_READWRITE ? "yes" : "no");
    DWORD old;
    VirtualProtect(block, 4096, PAGE_READONLY, &old);
    VirtualQuery(block, &mbi, sizeof(mbi));
    printf("after protect: readonly %s, old readwrite %s\n", mbi.Protect == PAGE_READONLY ? "yes" : "no",
        old == PAGE_READWRITE ? "yes" : "no");
    printf("free %d\n", VirtualFree(block, 0, MEM_RELEASE));
    HANDLE heap = HeapCreate(0, 0, 0);
    char *p = HeapAlloc(heap, HEAP_ZERO_MEMORY, 1000);
    p = HeapReAlloc(heap, 0, p, 5000);
    printf("private heap block %lu bytes, zero %d\n", (unsigned long)HeapSize(heap, 0, p), p[999] == 0);
    HeapFree(heap, 0, p);
    printf("destroy %d\n", HeapDestroy(heap));
    return 0;
}
