/* kernel32's start: its entry point, the thread start thunk, process and thread exit, and
   what a process asks about itself (start-up information, command line, version, system,
   modules). */
#include "k32.h"

LPSTR BaseAnsiCommandLine;
static LPSTR AnsiDesktop, AnsiTitle;

LONG WINAPI UnhandledExceptionFilter(struct _EXCEPTION_POINTERS *info);

BOOL WINAPI Kernel32EntryPoint(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        RtlSetUnhandledExceptionFilter(UnhandledExceptionFilter);
        BaseAnsiCommandLine = BaseWideToAnsi(NtCurrentPeb()->ProcessParameters->CommandLine.Buffer);
        if (!BaseAnsiCommandLine) return FALSE;
    }
    return TRUE;
}

/* Every thread's start (Guest/ABI.md): ntdll!RtlUserThreadStart calls this with the thread's
   routine and argument; the routine's result is the thread's exit code. */
DECLSPEC_NORETURN void WINAPI BaseThreadInitThunk(DWORD flags, LPTHREAD_START_ROUTINE start, LPVOID parameter) {
    (void)flags;
    DWORD code = start(parameter);
    RtlExitUserThread((NTSTATUS)code);
}

DECLSPEC_NORETURN void WINAPI ExitProcess(UINT code) { RtlExitUserProcess((NTSTATUS)code); }

DECLSPEC_NORETURN void WINAPI ExitThread(DWORD code) { RtlExitUserThread((NTSTATUS)code); }

void WINAPI GetStartupInfoW(LPSTARTUPINFOW info) {
    PRTL_USER_PROCESS_PARAMETERS params = NtCurrentPeb()->ProcessParameters;
    memset(info, 0, sizeof(*info));
    info->cb = sizeof(*info);
    info->lpDesktop = params->DesktopInfo.Buffer;
    info->lpTitle = params->WindowTitle.Buffer ? params->WindowTitle.Buffer : params->ImagePathName.Buffer;
    info->dwFlags = params->WindowFlags | STARTF_USESTDHANDLES;
    info->wShowWindow = (WORD)params->ShowWindowFlags;
    info->hStdInput = params->StandardInput;
    info->hStdOutput = params->StandardOutput;
    info->hStdError = params->StandardError;
}

void WINAPI GetStartupInfoA(LPSTARTUPINFOA info) {
    STARTUPINFOW wide;
    GetStartupInfoW(&wide);
    if (!AnsiTitle) AnsiTitle = BaseWideToAnsi(wide.lpTitle);
    if (!AnsiDesktop) AnsiDesktop = BaseWideToAnsi(wide.lpDesktop);
    memset(info, 0, sizeof(*info));
    info->cb = sizeof(*info);
    info->lpDesktop = AnsiDesktop;
    info->lpTitle = AnsiTitle;
    info->dwFlags = wide.dwFlags;
    info->wShowWindow = wide.wShowWindow;
    info->hStdInput = wide.hStdInput;
    info->hStdOutput = wide.hStdOutput;
    info->hStdError = wide.hStdError;
}

LPWSTR WINAPI GetCommandLineW(void) { return NtCurrentPeb()->ProcessParameters->CommandLine.Buffer; }
LPSTR WINAPI GetCommandLineA(void) { return BaseAnsiCommandLine; }

DWORD WINAPI GetVersion(void) {
    PPEB peb = NtCurrentPeb();
    return (DWORD)(peb->OSMajorVersion | (peb->OSMinorVersion << 8) | ((DWORD)peb->OSBuildNumber << 16));
}

BOOL WINAPI GetVersionExW(LPOSVERSIONINFOW info) {
    if (info->dwOSVersionInfoSize != sizeof(OSVERSIONINFOW) && info->dwOSVersionInfoSize != sizeof(OSVERSIONINFOEXW)) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    return NT_SUCCESS(RtlGetVersion(info));
}

BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA info) {
    DWORD size = info->dwOSVersionInfoSize;
    if (size != sizeof(OSVERSIONINFOA) && size != sizeof(OSVERSIONINFOEXA)) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    OSVERSIONINFOEXW wide;
    wide.dwOSVersionInfoSize = sizeof(wide);
    if (!NT_SUCCESS(RtlGetVersion(&wide))) return FALSE;
    memset((char *)info + 4, 0, size - 4);
    info->dwMajorVersion = wide.dwMajorVersion;
    info->dwMinorVersion = wide.dwMinorVersion;
    info->dwBuildNumber = wide.dwBuildNumber;
    info->dwPlatformId = wide.dwPlatformId;
    if (size == sizeof(OSVERSIONINFOEXA)) ((LPOSVERSIONINFOEXA)info)->wProductType = wide.wProductType;
    return TRUE;
}

void WINAPI GetSystemInfo(LPSYSTEM_INFO info) {
    SYSTEM_BASIC_INFORMATION basic;
    memset(&basic, 0, sizeof(basic));
    NtQuerySystemInformation(0, &basic, sizeof(basic), NULL);
    memset(info, 0, sizeof(*info));
    info->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    info->dwPageSize = basic.PageSize ? basic.PageSize : 0x1000;
    info->lpMinimumApplicationAddress = (LPVOID)(basic.MinimumUserModeAddress ? basic.MinimumUserModeAddress : 0x10000);
    info->lpMaximumApplicationAddress =
        (LPVOID)(basic.MaximumUserModeAddress ? basic.MaximumUserModeAddress : 0x7FFFFFFEFFFFull);
    info->dwActiveProcessorMask = basic.ActiveProcessorsAffinityMask ? basic.ActiveProcessorsAffinityMask : 1;
    info->dwNumberOfProcessors = NtCurrentPeb()->NumberOfProcessors ? NtCurrentPeb()->NumberOfProcessors : 1;
    info->dwProcessorType = PROCESSOR_AMD_X8664;
    info->dwAllocationGranularity = basic.AllocationGranularity ? basic.AllocationGranularity : 0x10000;
    info->wProcessorLevel = 6;
}

void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO info) { GetSystemInfo(info); }

BOOL WINAPI IsProcessorFeaturePresent(DWORD feature) {
    if (feature >= 64) return FALSE;
    return ((volatile BYTE *)(XCDB_USER_SHARED_DATA + KUSER_ProcessorFeatures))[feature] != 0;
}

BOOL WINAPI GetProcessAffinityMask(HANDLE process, PDWORD_PTR processMask, PDWORD_PTR systemMask) {
    (void)process;
    *processMask = *systemMask = 1;
    return TRUE;
}

DWORD WINAPI GetCurrentProcessorNumber(void) { return 0; }

/* ---- Modules ---- */

HMODULE WINAPI GetModuleHandleW(LPCWSTR name) {
    if (!name) return NtCurrentPeb()->ImageBaseAddress;
    UNICODE_STRING u;
    RtlInitUnicodeString(&u, name);
    PVOID base;
    NTSTATUS status = LdrGetDllHandle(NULL, NULL, &u, &base);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return base;
}

HMODULE WINAPI GetModuleHandleA(LPCSTR name) {
    if (!name) return NtCurrentPeb()->ImageBaseAddress;
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) return NULL;
    HMODULE module = GetModuleHandleW(wide);
    RtlFreeHeap(BaseHeap(), 0, wide);
    return module;
}

BOOL WINAPI GetModuleHandleExW(DWORD flags, LPCWSTR name, HMODULE *module) {
    if (flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) {
        PLDR_DATA_TABLE_ENTRY entry;
        NTSTATUS status = LdrFindEntryForAddress((PVOID)name, &entry);
        if (!NT_SUCCESS(status)) {
            *module = NULL;
            SetLastError(ERROR_MOD_NOT_FOUND);
            return FALSE;
        }
        *module = entry->DllBase;
        return TRUE;
    }
    *module = GetModuleHandleW(name);
    return *module != NULL;
}

BOOL WINAPI GetModuleHandleExA(DWORD flags, LPCSTR name, HMODULE *module) {
    if ((flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) || !name) return GetModuleHandleExW(flags, (LPCWSTR)name, module);
    *module = GetModuleHandleA(name);
    return *module != NULL;
}

DWORD WINAPI GetModuleFileNameW(HMODULE module, LPWSTR buffer, DWORD size) {
    if (!module) module = NtCurrentPeb()->ImageBaseAddress;
    PLDR_DATA_TABLE_ENTRY entry;
    if (!NT_SUCCESS(LdrFindEntryForAddress(module, &entry)) || entry->DllBase != module) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return 0;
    }
    DWORD length = entry->FullDllName.Length / sizeof(WCHAR);
    if (!size) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    DWORD n = length < size ? length : size - 1;
    memcpy(buffer, entry->FullDllName.Buffer, n * sizeof(WCHAR));
    buffer[n] = 0;
    if (n < length) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return size;
    }
    return n;
}

DWORD WINAPI GetModuleFileNameA(HMODULE module, LPSTR buffer, DWORD size) {
    WCHAR wide[MAX_PATH * 2];
    DWORD n = GetModuleFileNameW(module, wide, MAX_PATH * 2);
    if (!n || !size) return 0;
    int written = BaseWideToAnsiBuffer(wide, (int)n, buffer, (int)size - 1);
    buffer[written] = 0;
    if ((DWORD)written < n) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return size;
    }
    return (DWORD)written;
}

FARPROC WINAPI GetProcAddress(HMODULE module, LPCSTR name) {
    PVOID address;
    NTSTATUS status;
    if ((ULONG_PTR)name < 0x10000) {
        status = LdrGetProcedureAddress(module, NULL, (ULONG)(ULONG_PTR)name, &address);
    } else {
        ANSI_STRING a;
        RtlInitAnsiString(&a, name);
        status = LdrGetProcedureAddress(module, &a, 0, &address);
    }
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return (FARPROC)address;
}

HMODULE WINAPI LoadLibraryExW(LPCWSTR name, HANDLE file, DWORD flags) {
    (void)file;
    (void)flags;
    if (!name) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    UNICODE_STRING u;
    RtlInitUnicodeString(&u, name);
    PVOID base;
    NTSTATUS status = LdrLoadDll(NULL, NULL, &u, &base);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return base;
}

HMODULE WINAPI LoadLibraryW(LPCWSTR name) { return LoadLibraryExW(name, NULL, 0); }

HMODULE WINAPI LoadLibraryExA(LPCSTR name, HANDLE file, DWORD flags) {
    PWSTR wide = BaseAnsiToWide(name);
    if (!wide) {
        SetLastError(name ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return NULL;
    }
    HMODULE module = LoadLibraryExW(wide, file, flags);
    RtlFreeHeap(BaseHeap(), 0, wide);
    return module;
}

HMODULE WINAPI LoadLibraryA(LPCSTR name) { return LoadLibraryExA(name, NULL, 0); }

BOOL WINAPI FreeLibrary(HMODULE module) {
    NTSTATUS status = LdrUnloadDll(module);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

DECLSPEC_NORETURN void WINAPI FreeLibraryAndExitThread(HMODULE module, DWORD code) {
    FreeLibrary(module);
    ExitThread(code);
}

BOOL WINAPI DisableThreadLibraryCalls(HMODULE module) {
    NTSTATUS status = LdrDisableThreadCalloutsForDll(module);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}
