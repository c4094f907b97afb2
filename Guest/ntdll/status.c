/* NTSTATUS -> Win32 error codes (RtlNtStatusToDosError), and the thread's last error. */
#include "ntdll.h"

static const struct {
    NTSTATUS status;
    ULONG error;
} StatusTable[] = {
    {STATUS_SUCCESS, 0},
    {STATUS_TIMEOUT, 258},                    /* WAIT_TIMEOUT */
    {STATUS_PENDING, 997},                    /* ERROR_IO_PENDING */
    {STATUS_ABANDONED_WAIT_0, 735},           /* ERROR_ABANDONED_WAIT_0 */
    {STATUS_BUFFER_OVERFLOW, 234},            /* ERROR_MORE_DATA */
    {STATUS_NO_MORE_FILES, 18},               /* ERROR_NO_MORE_FILES */
    {STATUS_UNSUCCESSFUL, 31},                /* ERROR_GEN_FAILURE */
    {STATUS_NOT_IMPLEMENTED, 1},              /* ERROR_INVALID_FUNCTION */
    {STATUS_INVALID_INFO_CLASS, 87},          /* ERROR_INVALID_PARAMETER */
    {STATUS_INFO_LENGTH_MISMATCH, 24},        /* ERROR_BAD_LENGTH */
    {STATUS_ACCESS_VIOLATION, 998},           /* ERROR_NOACCESS */
    {STATUS_INVALID_HANDLE, 6},               /* ERROR_INVALID_HANDLE */
    {STATUS_INVALID_PARAMETER, 87},           /* ERROR_INVALID_PARAMETER */
    {STATUS_NO_SUCH_FILE, 2},                 /* ERROR_FILE_NOT_FOUND */
    {STATUS_INVALID_DEVICE_REQUEST, 1},       /* ERROR_INVALID_FUNCTION */
    {STATUS_END_OF_FILE, 38},                 /* ERROR_HANDLE_EOF */
    {STATUS_NO_MEMORY, 8},                    /* ERROR_NOT_ENOUGH_MEMORY */
    {STATUS_CONFLICTING_ADDRESSES, 487},      /* ERROR_INVALID_ADDRESS */
    {STATUS_NOT_MAPPED_VIEW, 487},
    {STATUS_UNABLE_TO_FREE_VM, 87},
    {STATUS_INVALID_SYSTEM_SERVICE, 1},
    {STATUS_ALREADY_COMMITTED, 5},            /* ERROR_ACCESS_DENIED */
    {STATUS_ACCESS_DENIED, 5},
    {STATUS_BUFFER_TOO_SMALL, 122},           /* ERROR_INSUFFICIENT_BUFFER */
    {STATUS_OBJECT_TYPE_MISMATCH, 6},
    {STATUS_NOT_LOCKED, 158},                 /* ERROR_NOT_LOCKED */
    {STATUS_OBJECT_NAME_INVALID, 123},        /* ERROR_INVALID_NAME */
    {STATUS_OBJECT_NAME_NOT_FOUND, 2},
    {STATUS_OBJECT_NAME_COLLISION, 183},      /* ERROR_ALREADY_EXISTS */
    {STATUS_OBJECT_PATH_INVALID, 161},        /* ERROR_BAD_PATHNAME */
    {STATUS_OBJECT_PATH_NOT_FOUND, 3},        /* ERROR_PATH_NOT_FOUND */
    {STATUS_OBJECT_PATH_SYNTAX_BAD, 161},
    {STATUS_SHARING_VIOLATION, 32},           /* ERROR_SHARING_VIOLATION */
    {STATUS_MUTANT_NOT_OWNED, 288},           /* ERROR_NOT_OWNER */
    {STATUS_SEMAPHORE_LIMIT_EXCEEDED, 298},   /* ERROR_TOO_MANY_POSTS */
    {STATUS_DELETE_PENDING, 5},
    {STATUS_DISK_FULL, 112},                  /* ERROR_DISK_FULL */
    {STATUS_INSUFFICIENT_RESOURCES, 1450},    /* ERROR_NO_SYSTEM_RESOURCES */
    {STATUS_FILE_IS_A_DIRECTORY, 5},
    {STATUS_NOT_SUPPORTED, 50},               /* ERROR_NOT_SUPPORTED */
    {STATUS_DIRECTORY_NOT_EMPTY, 145},        /* ERROR_DIR_NOT_EMPTY */
    {STATUS_NOT_A_DIRECTORY, 267},            /* ERROR_DIRECTORY */
    {STATUS_NAME_TOO_LONG, 206},              /* ERROR_FILENAME_EXCED_RANGE */
    {STATUS_INVALID_IMAGE_FORMAT, 193},       /* ERROR_BAD_EXE_FORMAT */
    {STATUS_DLL_NOT_FOUND, 126},              /* ERROR_MOD_NOT_FOUND */
    {STATUS_ORDINAL_NOT_FOUND, 182},          /* ERROR_INVALID_ORDINAL */
    {STATUS_ENTRYPOINT_NOT_FOUND, 127},       /* ERROR_PROC_NOT_FOUND */
    {STATUS_DLL_INIT_FAILED, 1114},           /* ERROR_DLL_INIT_FAILED */
    {STATUS_VARIABLE_NOT_FOUND, 203},         /* ERROR_ENVVAR_NOT_FOUND */
    {STATUS_INVALID_PARAMETER_1, 87},
    {STATUS_INVALID_PARAMETER_2, 87},
    {STATUS_NOT_FOUND, 1168},                 /* ERROR_NOT_FOUND */
    {STATUS_PIPE_BROKEN, 109},                /* ERROR_BROKEN_PIPE */
    {STATUS_CANCELLED, 995},                  /* ERROR_OPERATION_ABORTED */
    {STATUS_FILE_CLOSED, 6},
    {STATUS_INVALID_CID, 87},
    {STATUS_INVALID_ADDRESS, 487},
    {STATUS_STACK_OVERFLOW, 1001},            /* ERROR_STACK_OVERFLOW */
    {STATUS_RESOURCE_NOT_OWNED, 288},
    {STATUS_THREAD_IS_TERMINATING, 5},
    {STATUS_PROCESS_IS_TERMINATING, 5},
    {STATUS_INVALID_LOCK_SEQUENCE, 87},
    {STATUS_INVALID_VIEW_SIZE, 87},
    {STATUS_IN_PAGE_ERROR, 999},              /* ERROR_SWAPERROR */
};

ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS status) {
    /* Win32 errors wrapped as HRESULTs or as 0xC007xxxx statuses carry their code. */
    if (((ULONG)status & 0xFFFF0000) == 0x80070000 || ((ULONG)status & 0xFFFF0000) == 0xC0070000)
        return (ULONG)status & 0xFFFF;
    for (SIZE_T i = 0; i < sizeof(StatusTable) / sizeof(StatusTable[0]); i++)
        if (StatusTable[i].status == status) return StatusTable[i].error;
    /* Informational and warning codes without a mapping are successes for Win32. */
    if (NT_SUCCESS(status)) return (ULONG)status;
    return 317; /* ERROR_MR_MID_NOT_FOUND, as Windows answers for an unknown status */
}

ULONG NTAPI RtlNtStatusToDosError(NTSTATUS status) {
    NtCurrentTeb()->LastStatusValue = (ULONG)status;
    return RtlNtStatusToDosErrorNoTeb(status);
}

NTSTATUS NTAPI RtlGetLastNtStatus(void) { return (NTSTATUS)NtCurrentTeb()->LastStatusValue; }
ULONG NTAPI RtlGetLastWin32Error(void) { return NtCurrentTeb()->LastErrorValue; }
void NTAPI RtlSetLastWin32Error(ULONG error) { NtCurrentTeb()->LastErrorValue = error; }

void NTAPI RtlSetLastWin32ErrorAndNtStatusFromNtStatus(NTSTATUS status) {
    NtCurrentTeb()->LastErrorValue = RtlNtStatusToDosError(status);
}
