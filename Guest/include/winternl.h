/* The NT layer: the documented x64 layouts of the process and thread environment blocks, the
   loader's lists and the process parameters (the same offsets xcdb's !peb/!teb read from dumps),
   and the ntdll functions the DLLs above it call. */
#ifndef XCDB_WINTERNL_H
#define XCDB_WINTERNL_H

#include <xcdb/winnt.h>
#include <ntstatus.h>

#define XCDB_ASSERT_OFFSET(type, field, offset) \
    _Static_assert(offsetof(type, field) == (offset), #type "." #field)

typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCANSI_STRING, *PCSTRING;

typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;

#define OBJ_CASE_INSENSITIVE 0x40
typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
#define InitializeObjectAttributes(p, n, a, r, s) \
    do { \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES); \
        (p)->RootDirectory = (r); \
        (p)->Attributes = (a); \
        (p)->ObjectName = (n); \
        (p)->SecurityDescriptor = (s); \
        (p)->SecurityQualityOfService = NULL; \
    } while (0)

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
typedef void(NTAPI *PIO_APC_ROUTINE)(PVOID, PIO_STATUS_BLOCK, ULONG);

typedef struct _RTL_BITMAP {
    ULONG SizeOfBitMap;
    PULONG Buffer;
} RTL_BITMAP, *PRTL_BITMAP;

/* ---- Loader ---- */
typedef struct _PEB_LDR_DATA {
    ULONG Length;
    BOOLEAN Initialized;
    HANDLE SsHandle;
    LIST_ENTRY InLoadOrderModuleList;
    LIST_ENTRY InMemoryOrderModuleList;
    LIST_ENTRY InInitializationOrderModuleList;
    PVOID EntryInProgress;
    BOOLEAN ShutdownInProgress;
    HANDLE ShutdownThreadId;
} PEB_LDR_DATA, *PPEB_LDR_DATA;
XCDB_ASSERT_OFFSET(PEB_LDR_DATA, InInitializationOrderModuleList, 0x30);

#define LDRP_IMAGE_DLL 0x00000004
#define LDRP_ENTRY_PROCESSED 0x00004000
#define LDRP_PROCESS_ATTACH_CALLED 0x00080000

typedef struct _LDR_DATA_TABLE_ENTRY {
    LIST_ENTRY InLoadOrderLinks;
    LIST_ENTRY InMemoryOrderLinks;
    LIST_ENTRY InInitializationOrderLinks;
    PVOID DllBase;
    PVOID EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName;
    UNICODE_STRING BaseDllName;
    ULONG Flags;
    USHORT ObsoleteLoadCount;
    USHORT TlsIndex;
    LIST_ENTRY HashLinks;
    ULONG TimeDateStamp;
} LDR_DATA_TABLE_ENTRY, *PLDR_DATA_TABLE_ENTRY;
XCDB_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, DllBase, 0x30);
XCDB_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, BaseDllName, 0x58);
XCDB_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, Flags, 0x68);
XCDB_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, TimeDateStamp, 0x80);

/* ---- Process parameters ---- */
typedef struct _CURDIR {
    UNICODE_STRING DosPath;
    HANDLE Handle;
} CURDIR, *PCURDIR;

typedef struct _RTL_DRIVE_LETTER_CURDIR {
    USHORT Flags;
    USHORT Length;
    ULONG TimeStamp;
    STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR;

typedef struct _RTL_USER_PROCESS_PARAMETERS {
    ULONG MaximumLength;
    ULONG Length;
    ULONG Flags;
    ULONG DebugFlags;
    HANDLE ConsoleHandle;
    ULONG ConsoleFlags;
    HANDLE StandardInput;
    HANDLE StandardOutput;
    HANDLE StandardError;
    CURDIR CurrentDirectory;
    UNICODE_STRING DllPath;
    UNICODE_STRING ImagePathName;
    UNICODE_STRING CommandLine;
    PVOID Environment;
    ULONG StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY, FillAttribute;
    ULONG WindowFlags;
    ULONG ShowWindowFlags;
    UNICODE_STRING WindowTitle;
    UNICODE_STRING DesktopInfo;
    UNICODE_STRING ShellInfo;
    UNICODE_STRING RuntimeData;
    RTL_DRIVE_LETTER_CURDIR CurrentDirectories[32];
    ULONG_PTR EnvironmentSize;
    ULONG_PTR EnvironmentVersion;
} RTL_USER_PROCESS_PARAMETERS, *PRTL_USER_PROCESS_PARAMETERS;
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, StandardInput, 0x20);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory, 0x38);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, ImagePathName, 0x60);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CommandLine, 0x70);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, Environment, 0x80);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, WindowFlags, 0xA4);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, WindowTitle, 0xB0);
XCDB_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize, 0x3F0);

/* ---- PEB ---- */
typedef struct _PEB {
    BOOLEAN InheritedAddressSpace;
    BOOLEAN ReadImageFileExecOptions;
    BOOLEAN BeingDebugged;
    UCHAR BitField;
    HANDLE Mutant;
    PVOID ImageBaseAddress;
    PPEB_LDR_DATA Ldr;
    PRTL_USER_PROCESS_PARAMETERS ProcessParameters;
    PVOID SubSystemData;
    PVOID ProcessHeap;
    PRTL_CRITICAL_SECTION FastPebLock;
    PVOID AtlThunkSListPtr;
    PVOID IFEOKey;
    ULONG CrossProcessFlags;
    PVOID KernelCallbackTable;
    ULONG SystemReserved;
    ULONG AtlThunkSListPtr32;
    PVOID ApiSetMap;
    ULONG TlsExpansionCounter;
    PRTL_BITMAP TlsBitmap;
    ULONG TlsBitmapBits[2];
    PVOID ReadOnlySharedMemoryBase;
    PVOID SharedData;
    PVOID *ReadOnlyStaticServerData;
    PVOID AnsiCodePageData;
    PVOID OemCodePageData;
    PVOID UnicodeCaseTableData;
    ULONG NumberOfProcessors;
    ULONG NtGlobalFlag;
    LARGE_INTEGER CriticalSectionTimeout;
    SIZE_T HeapSegmentReserve;
    SIZE_T HeapSegmentCommit;
    SIZE_T HeapDeCommitTotalFreeThreshold;
    SIZE_T HeapDeCommitFreeBlockThreshold;
    ULONG NumberOfHeaps;
    ULONG MaximumNumberOfHeaps;
    PVOID *ProcessHeaps;
    PVOID GdiSharedHandleTable;
    PVOID ProcessStarterHelper;
    ULONG GdiDCAttributeList;
    PRTL_CRITICAL_SECTION LoaderLock;
    ULONG OSMajorVersion;
    ULONG OSMinorVersion;
    USHORT OSBuildNumber;
    USHORT OSCSDVersion;
    ULONG OSPlatformId;
    ULONG ImageSubsystem;
    ULONG ImageSubsystemMajorVersion;
    ULONG ImageSubsystemMinorVersion;
    ULONG_PTR ActiveProcessAffinityMask;
    ULONG GdiHandleBuffer[60];
    PVOID PostProcessInitRoutine;
    PRTL_BITMAP TlsExpansionBitmap;
    ULONG TlsExpansionBitmapBits[32];
    ULONG SessionId;
} PEB, *PPEB;
XCDB_ASSERT_OFFSET(PEB, ProcessHeap, 0x30);
XCDB_ASSERT_OFFSET(PEB, TlsBitmap, 0x78);
XCDB_ASSERT_OFFSET(PEB, NumberOfProcessors, 0xB8);
XCDB_ASSERT_OFFSET(PEB, NumberOfHeaps, 0xE8);
XCDB_ASSERT_OFFSET(PEB, LoaderLock, 0x110);
XCDB_ASSERT_OFFSET(PEB, OSMajorVersion, 0x118);
XCDB_ASSERT_OFFSET(PEB, OSBuildNumber, 0x120);
XCDB_ASSERT_OFFSET(PEB, ImageSubsystem, 0x128);
XCDB_ASSERT_OFFSET(PEB, TlsExpansionBitmap, 0x238);
XCDB_ASSERT_OFFSET(PEB, SessionId, 0x2C0);

/* ---- TEB ---- */
#define TLS_MINIMUM_AVAILABLE 64
#define TLS_EXPANSION_SLOTS 1024
typedef struct _TEB {
    NT_TIB NtTib;
    PVOID EnvironmentPointer;
    CLIENT_ID ClientId;
    PVOID ActiveRpcHandle;
    PVOID ThreadLocalStoragePointer;
    PPEB ProcessEnvironmentBlock;
    ULONG LastErrorValue;
    ULONG CountOfOwnedCriticalSections;
    PVOID CsrClientThread;
    PVOID Win32ThreadInfo;
    ULONG User32Reserved[26];
    ULONG UserReserved[5];
    PVOID WOW32Reserved;
    ULONG CurrentLocale;
    ULONG FpSoftwareStatusRegister;
    PVOID ReservedForDebuggerInstrumentation[16];
    PVOID SystemReserved1[30];
    UCHAR Reserved280[0x1250 - 0x280];
    ULONG LastStatusValue;
    UNICODE_STRING StaticUnicodeString;
    WCHAR StaticUnicodeBuffer[261];
    PVOID DeallocationStack;
    PVOID TlsSlots[TLS_MINIMUM_AVAILABLE];
    LIST_ENTRY TlsLinks;
    PVOID Vdm;
    PVOID ReservedForNtRpc;
    PVOID DbgSsReserved[2];
    ULONG HardErrorMode;
    PVOID Instrumentation[11];
    GUID ActivityId;
    PVOID SubProcessTag;
    PVOID PerflibData;
    PVOID EtwTraceData;
    PVOID WinSockData;
    ULONG GdiBatchCount;
    ULONG CurrentIdealProcessor;
    ULONG GuaranteedStackBytes;
    PVOID ReservedForPerf;
    PVOID ReservedForOle;
    ULONG WaitingOnLoaderLock;
    PVOID SavedPriorityState;
    ULONG_PTR ReservedForCodeCoverage;
    PVOID ThreadPoolData;
    PVOID *TlsExpansionSlots;
    PVOID DeallocationBStore;
    PVOID BStoreLimit;
    ULONG MuiGeneration;
    ULONG IsImpersonating;
    PVOID NlsCache;
    PVOID pShimData;
    ULONG HeapData;
    HANDLE CurrentTransactionHandle;
    PVOID ActiveFrame;
    PVOID FlsData;
} TEB, *PTEB;
XCDB_ASSERT_OFFSET(TEB, ClientId, 0x40);
XCDB_ASSERT_OFFSET(TEB, ThreadLocalStoragePointer, 0x58);
XCDB_ASSERT_OFFSET(TEB, LastErrorValue, 0x68);
XCDB_ASSERT_OFFSET(TEB, CurrentLocale, 0x108);
XCDB_ASSERT_OFFSET(TEB, LastStatusValue, 0x1250);
XCDB_ASSERT_OFFSET(TEB, DeallocationStack, 0x1478);
XCDB_ASSERT_OFFSET(TEB, TlsSlots, 0x1480);
XCDB_ASSERT_OFFSET(TEB, TlsLinks, 0x1680);
XCDB_ASSERT_OFFSET(TEB, ActivityId, 0x1710);
XCDB_ASSERT_OFFSET(TEB, GdiBatchCount, 0x1740);
XCDB_ASSERT_OFFSET(TEB, TlsExpansionSlots, 0x1780);
XCDB_ASSERT_OFFSET(TEB, FlsData, 0x17C8);

static __inline PTEB NtCurrentTeb(void) {
    PTEB teb;
    __asm__("movq %%gs:0x30, %0" : "=r"(teb));
    return teb;
}
#define NtCurrentPeb() (NtCurrentTeb()->ProcessEnvironmentBlock)
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)

/* ---- KUSER_SHARED_DATA (fixed address 0x7FFE0000) ---- */
#define XCDB_USER_SHARED_DATA ((ULONG_PTR)0x7FFE0000)
typedef struct _KSYSTEM_TIME {
    ULONG LowPart;
    LONG High1Time;
    LONG High2Time;
} KSYSTEM_TIME;
#define KUSER_TickCountMultiplier 0x004
#define KUSER_InterruptTime 0x008
#define KUSER_SystemTime 0x014
#define KUSER_TimeZoneBias 0x020
#define KUSER_NtMajorVersion 0x26C
#define KUSER_NtMinorVersion 0x270
#define KUSER_ProcessorFeatures 0x274
#define KUSER_KdDebuggerEnabled 0x2D4
#define KUSER_NumberOfPhysicalPages 0x2E8
#define KUSER_TickCount 0x320
#define KUSER_Cookie 0x330

/* ---- Information classes ---- */
typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _WAIT_TYPE { WaitAll, WaitAny } WAIT_TYPE;

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PPEB PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} THREAD_BASIC_INFORMATION;
#define ThreadNameInformation 0x26

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution;
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    ULONG_PTR ActiveProcessorsAffinityMask;
    CCHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;

#define FileDispositionInformation 13
#define FilePositionInformation 14
#define FileStandardInformation 5
#define FileEndOfFileInformation 20
#define FileFsDeviceInformation 4
typedef struct _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize;
    LARGE_INTEGER EndOfFile;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending;
    BOOLEAN Directory;
} FILE_STANDARD_INFORMATION;
typedef struct _FILE_POSITION_INFORMATION {
    LARGE_INTEGER CurrentByteOffset;
} FILE_POSITION_INFORMATION;
typedef struct _FILE_END_OF_FILE_INFORMATION {
    LARGE_INTEGER EndOfFile;
} FILE_END_OF_FILE_INFORMATION;
typedef struct _FILE_DISPOSITION_INFORMATION {
    BOOLEAN DeleteFile;
} FILE_DISPOSITION_INFORMATION;
typedef struct _FILE_BASIC_INFORMATION {
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    LARGE_INTEGER ChangeTime;
    ULONG FileAttributes;
} FILE_BASIC_INFORMATION, *PFILE_BASIC_INFORMATION;
typedef struct _FILE_FS_DEVICE_INFORMATION {
    ULONG DeviceType;
    ULONG Characteristics;
} FILE_FS_DEVICE_INFORMATION;
#define FILE_DEVICE_DISK 0x07
#define FILE_DEVICE_NULL 0x15
#define FILE_DEVICE_CONSOLE 0x50

/* NtCreateFile dispositions and options. */
#define FILE_SUPERSEDE 0
#define FILE_OPEN 1
#define FILE_CREATE 2
#define FILE_OPEN_IF 3
#define FILE_OVERWRITE 4
#define FILE_OVERWRITE_IF 5
#define FILE_DIRECTORY_FILE 0x01
#define FILE_WRITE_THROUGH 0x02
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define FILE_DELETE_ON_CLOSE 0x1000
#define FILE_OPENED 1
#define FILE_CREATED 2
#define FILE_OVERWRITTEN 3

/* ---- System services (ntdll stubs) ---- */
NTSYSAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE Process, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtTerminateThread(HANDLE Thread, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtCreateThreadEx(PHANDLE Thread, ACCESS_MASK Access,
    POBJECT_ATTRIBUTES Attributes, HANDLE Process, PVOID StartRoutine, PVOID Argument,
    ULONG CreateFlags, SIZE_T ZeroBits, SIZE_T StackSize, SIZE_T MaximumStackSize,
    PVOID AttributeList);
NTSYSAPI NTSTATUS NTAPI NtQueryInformationProcess(
    HANDLE Process, ULONG Class, PVOID Buffer, ULONG Length, PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtQueryInformationThread(
    HANDLE Thread, ULONG Class, PVOID Buffer, ULONG Length, PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtSetInformationThread(
    HANDLE Thread, ULONG Class, PVOID Buffer, ULONG Length);
NTSYSAPI NTSTATUS NTAPI NtSuspendThread(HANDLE Thread, PULONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtResumeThread(HANDLE Thread, PULONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtYieldExecution(void);
NTSYSAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER Interval);
NTSYSAPI NTSTATUS NTAPI NtContinue(PCONTEXT Context, BOOLEAN TestAlert);
NTSYSAPI NTSTATUS NTAPI NtRaiseException(
    PEXCEPTION_RECORD Record, PCONTEXT Context, BOOLEAN FirstChance);
NTSYSAPI NTSTATUS NTAPI NtGetContextThread(HANDLE Thread, PCONTEXT Context);
NTSYSAPI NTSTATUS NTAPI NtSetContextThread(HANDLE Thread, PCONTEXT Context);
NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE Process, PVOID *Base,
    ULONG_PTR ZeroBits, PSIZE_T Size, ULONG Type, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(
    HANDLE Process, PVOID *Base, PSIZE_T Size, ULONG FreeType);
NTSYSAPI NTSTATUS NTAPI NtProtectVirtualMemory(
    HANDLE Process, PVOID *Base, PSIZE_T Size, ULONG NewProtect, PULONG OldProtect);
NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE Process, PVOID Base, ULONG Class,
    PVOID Buffer, SIZE_T Length, PSIZE_T ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE Event, ACCESS_MASK Access,
    POBJECT_ATTRIBUTES Attributes, EVENT_TYPE Type, BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI NtSetEvent(HANDLE Event, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtResetEvent(HANDLE Event, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtPulseEvent(HANDLE Event, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE Mutant, ACCESS_MASK Access,
    POBJECT_ATTRIBUTES Attributes, BOOLEAN InitialOwner);
NTSYSAPI NTSTATUS NTAPI NtReleaseMutant(HANDLE Mutant, PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE Semaphore, ACCESS_MASK Access,
    POBJECT_ATTRIBUTES Attributes, LONG Initial, LONG Maximum);
NTSYSAPI NTSTATUS NTAPI NtReleaseSemaphore(HANDLE Semaphore, LONG Count, PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI NtWaitForSingleObject(
    HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, PHANDLE Handles, WAIT_TYPE Type,
    BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtWaitForAlertByThreadId(PVOID Address, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtAlertThreadByThreadId(HANDLE ThreadId);
NTSYSAPI NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcess, HANDLE SourceHandle,
    HANDLE TargetProcess, PHANDLE TargetHandle, ACCESS_MASK Access, ULONG Attributes,
    ULONG Options);
NTSYSAPI NTSTATUS NTAPI NtCreateFile(PHANDLE File, ACCESS_MASK Access,
    POBJECT_ATTRIBUTES Attributes, PIO_STATUS_BLOCK Io, PLARGE_INTEGER AllocationSize,
    ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions,
    PVOID EaBuffer, ULONG EaLength);
NTSYSAPI NTSTATUS NTAPI NtOpenFile(PHANDLE File, ACCESS_MASK Access,
    POBJECT_ATTRIBUTES Attributes, PIO_STATUS_BLOCK Io, ULONG ShareAccess, ULONG OpenOptions);
NTSYSAPI NTSTATUS NTAPI NtReadFile(HANDLE File, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
    PVOID ApcContext, PIO_STATUS_BLOCK Io, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
    PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtWriteFile(HANDLE File, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
    PVOID ApcContext, PIO_STATUS_BLOCK Io, const void *Buffer, ULONG Length,
    PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtQueryInformationFile(
    HANDLE File, PIO_STATUS_BLOCK Io, PVOID Buffer, ULONG Length, ULONG Class);
NTSYSAPI NTSTATUS NTAPI NtSetInformationFile(
    HANDLE File, PIO_STATUS_BLOCK Io, PVOID Buffer, ULONG Length, ULONG Class);
NTSYSAPI NTSTATUS NTAPI NtQueryAttributesFile(
    POBJECT_ATTRIBUTES Attributes, PFILE_BASIC_INFORMATION Information);
NTSYSAPI NTSTATUS NTAPI NtDeleteFile(POBJECT_ATTRIBUTES Attributes);
NTSYSAPI NTSTATUS NTAPI NtFlushBuffersFile(HANDLE File, PIO_STATUS_BLOCK Io);
NTSYSAPI NTSTATUS NTAPI NtQueryVolumeInformationFile(
    HANDLE File, PIO_STATUS_BLOCK Io, PVOID Buffer, ULONG Length, ULONG Class);
NTSYSAPI NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER Time);
NTSYSAPI NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER Counter, PLARGE_INTEGER Frequency);
NTSYSAPI NTSTATUS NTAPI NtQuerySystemInformation(
    ULONG Class, PVOID Buffer, ULONG Length, PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtXcdbLoadDll(PUNICODE_STRING Name, PVOID *Base);

/* ---- Run-time library ---- */
NTSYSAPI void NTAPI RtlInitUnicodeString(PUNICODE_STRING Destination, PCWSTR Source);
NTSYSAPI void NTAPI RtlInitAnsiString(PANSI_STRING Destination, PCSTR Source);
NTSYSAPI void NTAPI RtlInitString(PSTRING Destination, PCSTR Source);
NTSYSAPI NTSTATUS NTAPI RtlAnsiStringToUnicodeString(
    PUNICODE_STRING Destination, PCANSI_STRING Source, BOOLEAN Allocate);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToAnsiString(
    PANSI_STRING Destination, PCUNICODE_STRING Source, BOOLEAN Allocate);
NTSYSAPI void NTAPI RtlFreeUnicodeString(PUNICODE_STRING String);
NTSYSAPI void NTAPI RtlFreeAnsiString(PANSI_STRING String);
NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING Destination, PCWSTR Source);
NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING Destination, PCSTR Source);
NTSYSAPI LONG NTAPI RtlCompareUnicodeString(
    PCUNICODE_STRING A, PCUNICODE_STRING B, BOOLEAN CaseInsensitive);
NTSYSAPI BOOLEAN NTAPI RtlEqualUnicodeString(
    PCUNICODE_STRING A, PCUNICODE_STRING B, BOOLEAN CaseInsensitive);
NTSYSAPI void NTAPI RtlCopyUnicodeString(PUNICODE_STRING Destination, PCUNICODE_STRING Source);
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source);
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeStringToString(
    PUNICODE_STRING Destination, PCUNICODE_STRING Source);
NTSYSAPI WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR Char);
NTSYSAPI WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR Char);
NTSYSAPI NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCH Destination, ULONG DestinationBytes,
    PULONG ResultBytes, const CHAR *Source, ULONG SourceBytes);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR Destination, ULONG DestinationBytes,
    PULONG ResultBytes, PCWCH Source, ULONG SourceBytes);
NTSYSAPI NTSTATUS NTAPI RtlUTF8ToUnicodeN(PWSTR Destination, ULONG DestinationBytes,
    PULONG ResultBytes, const CHAR *Source, ULONG SourceBytes);
NTSYSAPI NTSTATUS NTAPI RtlUnicodeToUTF8N(PCHAR Destination, ULONG DestinationBytes,
    PULONG ResultBytes, PCWCH Source, ULONG SourceBytes);
NTSYSAPI NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG Length, PCHAR String);
NTSYSAPI NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value);
NTSYSAPI ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status);
NTSYSAPI ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status);
NTSYSAPI NTSTATUS NTAPI RtlGetLastNtStatus(void);
NTSYSAPI ULONG NTAPI RtlGetLastWin32Error(void);
NTSYSAPI void NTAPI RtlSetLastWin32Error(ULONG Error);
NTSYSAPI void NTAPI RtlSetLastWin32ErrorAndNtStatusFromNtStatus(NTSTATUS Status);

NTSYSAPI PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID Base, SIZE_T Reserve, SIZE_T Commit,
    PVOID Lock, PVOID Parameters);
NTSYSAPI PVOID NTAPI RtlDestroyHeap(PVOID Heap);
NTSYSAPI PVOID NTAPI RtlAllocateHeap(PVOID Heap, ULONG Flags, SIZE_T Size);
NTSYSAPI PVOID NTAPI RtlReAllocateHeap(PVOID Heap, ULONG Flags, PVOID Block, SIZE_T Size);
NTSYSAPI BOOLEAN NTAPI RtlFreeHeap(PVOID Heap, ULONG Flags, PVOID Block);
NTSYSAPI SIZE_T NTAPI RtlSizeHeap(PVOID Heap, ULONG Flags, PVOID Block);
NTSYSAPI BOOLEAN NTAPI RtlValidateHeap(PVOID Heap, ULONG Flags, PVOID Block);
NTSYSAPI BOOLEAN NTAPI RtlLockHeap(PVOID Heap);
NTSYSAPI BOOLEAN NTAPI RtlUnlockHeap(PVOID Heap);
NTSYSAPI ULONG NTAPI RtlGetProcessHeaps(ULONG Count, PVOID *Heaps);
NTSYSAPI SIZE_T NTAPI RtlCompactHeap(PVOID Heap, ULONG Flags);

NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(
    PRTL_CRITICAL_SECTION Section, ULONG SpinCount);
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSectionEx(
    PRTL_CRITICAL_SECTION Section, ULONG SpinCount, ULONG Flags);
NTSYSAPI ULONG NTAPI RtlSetCriticalSectionSpinCount(PRTL_CRITICAL_SECTION Section, ULONG SpinCount);
NTSYSAPI NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI BOOLEAN NTAPI RtlIsCriticalSectionLockedByThread(PRTL_CRITICAL_SECTION Section);

NTSYSAPI void NTAPI RtlInitializeSRWLock(PRTL_SRWLOCK Lock);
NTSYSAPI void NTAPI RtlAcquireSRWLockExclusive(PRTL_SRWLOCK Lock);
NTSYSAPI void NTAPI RtlAcquireSRWLockShared(PRTL_SRWLOCK Lock);
NTSYSAPI void NTAPI RtlReleaseSRWLockExclusive(PRTL_SRWLOCK Lock);
NTSYSAPI void NTAPI RtlReleaseSRWLockShared(PRTL_SRWLOCK Lock);
NTSYSAPI BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(PRTL_SRWLOCK Lock);
NTSYSAPI BOOLEAN NTAPI RtlTryAcquireSRWLockShared(PRTL_SRWLOCK Lock);
NTSYSAPI void NTAPI RtlInitializeConditionVariable(PRTL_CONDITION_VARIABLE Variable);
NTSYSAPI NTSTATUS NTAPI RtlSleepConditionVariableCS(PRTL_CONDITION_VARIABLE Variable,
    PRTL_CRITICAL_SECTION Section, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI RtlSleepConditionVariableSRW(PRTL_CONDITION_VARIABLE Variable,
    PRTL_SRWLOCK Lock, PLARGE_INTEGER Timeout, ULONG Flags);
NTSYSAPI void NTAPI RtlWakeConditionVariable(PRTL_CONDITION_VARIABLE Variable);
NTSYSAPI void NTAPI RtlWakeAllConditionVariable(PRTL_CONDITION_VARIABLE Variable);
NTSYSAPI NTSTATUS NTAPI RtlRunOnceExecuteOnce(PRTL_RUN_ONCE Once, PVOID Function, PVOID Parameter,
    PVOID *Context);

NTSYSAPI void NTAPI RtlInitializeBitMap(PRTL_BITMAP Bitmap, PULONG Buffer, ULONG Size);
NTSYSAPI ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP Bitmap, ULONG Count, ULONG Hint);
NTSYSAPI void NTAPI RtlClearBits(PRTL_BITMAP Bitmap, ULONG Start, ULONG Count);
NTSYSAPI void NTAPI RtlSetBits(PRTL_BITMAP Bitmap, ULONG Start, ULONG Count);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP Bitmap, ULONG Start, ULONG Count);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP Bitmap, ULONG Start, ULONG Count);
NTSYSAPI NTSTATUS NTAPI RtlTlsAlloc(PULONG Index);
NTSYSAPI NTSTATUS NTAPI RtlTlsFree(ULONG Index);
NTSYSAPI NTSTATUS NTAPI RtlTlsSetValue(ULONG Index, PVOID Value);
NTSYSAPI NTSTATUS NTAPI RtlFlsAlloc(PVOID Callback, PULONG Index);
NTSYSAPI NTSTATUS NTAPI RtlFlsFree(ULONG Index);
NTSYSAPI NTSTATUS NTAPI RtlFlsSetValue(ULONG Index, PVOID Value);
NTSYSAPI NTSTATUS NTAPI RtlFlsGetValue(ULONG Index, PVOID *Value);

NTSYSAPI BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(
    PCWSTR DosName, PUNICODE_STRING NtName, PWSTR *FilePart, PVOID RelativeName);
NTSYSAPI ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *FilePart);
NTSYSAPI ULONG NTAPI RtlGetCurrentDirectory_U(ULONG Length, PWSTR Buffer);
NTSYSAPI NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING Path);
NTSYSAPI NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(
    PVOID Environment, PUNICODE_STRING Name, PUNICODE_STRING Value);
NTSYSAPI NTSTATUS NTAPI RtlQueryEnvironmentVariable(PVOID Environment, PCWSTR Name,
    SIZE_T NameLength, PWSTR Value, SIZE_T ValueLength, PSIZE_T ReturnLength);
NTSYSAPI NTSTATUS NTAPI RtlSetEnvironmentVariable(
    PVOID *Environment, PUNICODE_STRING Name, PUNICODE_STRING Value);
NTSYSAPI PRTL_USER_PROCESS_PARAMETERS NTAPI RtlGetCurrentProcessParameters(void);
NTSYSAPI void NTAPI RtlAcquirePebLock(void);
NTSYSAPI void NTAPI RtlReleasePebLock(void);
NTSYSAPI PVOID NTAPI RtlGetCurrentPeb(void);

NTSYSAPI DECLSPEC_NORETURN void NTAPI RtlRaiseStatus(NTSTATUS Status);
NTSYSAPI BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD Record, PCONTEXT Context);
NTSYSAPI void NTAPI RtlSetUnhandledExceptionFilter(PTOP_LEVEL_EXCEPTION_FILTER Filter);
NTSYSAPI EXCEPTION_DISPOSITION __C_specific_handler(PEXCEPTION_RECORD Record,
    PVOID EstablisherFrame, PCONTEXT Context, PDISPATCHER_CONTEXT Dispatcher);
NTSYSAPI DECLSPEC_NORETURN void NTAPI RtlUserThreadStart(PVOID Start, PVOID Parameter);
NTSYSAPI DECLSPEC_NORETURN void NTAPI RtlExitUserThread(NTSTATUS Status);
NTSYSAPI DECLSPEC_NORETURN void NTAPI RtlExitUserProcess(NTSTATUS Status);
NTSYSAPI void NTAPI LdrShutdownProcess(void);
NTSYSAPI void NTAPI LdrShutdownThread(void);
NTSYSAPI PVOID NTAPI RtlImageDirectoryEntryToData(
    PVOID Base, BOOLEAN MappedAsImage, USHORT Directory, PULONG Size);
NTSYSAPI PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID Base);

NTSYSAPI NTSTATUS NTAPI LdrLoadDll(
    PWSTR SearchPath, PULONG Characteristics, PUNICODE_STRING Name, PVOID *Base);
NTSYSAPI NTSTATUS NTAPI LdrUnloadDll(PVOID Base);
NTSYSAPI NTSTATUS NTAPI LdrGetDllHandle(
    PWSTR SearchPath, PULONG Characteristics, PUNICODE_STRING Name, PVOID *Base);
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(
    PVOID Base, PANSI_STRING Name, ULONG Ordinal, PVOID *Address);
NTSYSAPI NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *Entry);
NTSYSAPI NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID Base);
NTSYSAPI NTSTATUS NTAPI LdrLockLoaderLock(ULONG Flags, PULONG Disposition, PVOID *Cookie);
NTSYSAPI NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG Flags, PVOID Cookie);

NTSYSAPI void NTAPI DbgBreakPoint(void);
NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI void NTAPI RtlGetNtVersionNumbers(PULONG Major, PULONG Minor, PULONG Build);
NTSYSAPI NTSTATUS NTAPI RtlGetVersion(PVOID VersionInformation);
NTSYSAPI ULONG NTAPI RtlRandom(PULONG Seed);
NTSYSAPI void NTAPI RtlSecondsSince1970ToTime(ULONG Seconds, PLARGE_INTEGER Time);

#endif
