/* Exception dispatch (Guest/ABI.md, "Exceptions"): KiUserExceptionDispatcher, where the
   executive delivers an exception; RtlDispatchException, which walks the frames and calls
   their language handlers; RtlUnwindEx, which unwinds to a target frame running termination
   handlers; raising; vectored handlers; and the unhandled-exception filter kernel32
   registers. */
#include "ntdll.h"

typedef LONG(NTAPI *VECTORED_HANDLER)(PEXCEPTION_POINTERS);
typedef struct _VECTORED_ENTRY {
    struct _VECTORED_ENTRY *Next;
    VECTORED_HANDLER Handler;
} VECTORED_ENTRY;
static VECTORED_ENTRY *VectoredHandlers;
static volatile LONG VectoredLock;
static PTOP_LEVEL_EXCEPTION_FILTER UnhandledExceptionFilter;

#define EXCEPTION_CONTINUE_EXECUTION (-1)

static void StackLimits(DWORD64 *low, DWORD64 *high) {
    PTEB teb = NtCurrentTeb();
    *high = (DWORD64)teb->NtTib.StackBase;
    *low = teb->DeallocationStack ? (DWORD64)teb->DeallocationStack : (DWORD64)teb->NtTib.StackLimit;
}

PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG first, PVECTORED_EXCEPTION_HANDLER handler) {
    VECTORED_ENTRY *entry = RtlAllocateHeap(RtlpProcessHeap(), 0, sizeof(*entry));
    if (!entry) return NULL;
    entry->Handler = (VECTORED_HANDLER)handler;
    RtlpAcquireSpinLock(&VectoredLock);
    if (first || !VectoredHandlers) {
        entry->Next = VectoredHandlers;
        VectoredHandlers = entry;
    } else {
        VECTORED_ENTRY *last = VectoredHandlers;
        while (last->Next) last = last->Next;
        entry->Next = NULL;
        last->Next = entry;
    }
    RtlpReleaseSpinLock(&VectoredLock);
    return entry;
}

ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID handle) {
    VECTORED_ENTRY *found = NULL;
    RtlpAcquireSpinLock(&VectoredLock);
    for (VECTORED_ENTRY **p = &VectoredHandlers; *p; p = &(*p)->Next)
        if (*p == handle) {
            found = *p;
            *p = found->Next;
            break;
        }
    RtlpReleaseSpinLock(&VectoredLock);
    if (found) RtlFreeHeap(RtlpProcessHeap(), 0, found);
    return found != NULL;
}

static BOOLEAN CallVectoredHandlers(PEXCEPTION_RECORD record, PCONTEXT context) {
    EXCEPTION_POINTERS pointers = {record, context};
    for (VECTORED_ENTRY *e = VectoredHandlers; e; e = e->Next)
        if (e->Handler(&pointers) == EXCEPTION_CONTINUE_EXECUTION) return TRUE;
    return FALSE;
}

void NTAPI RtlSetUnhandledExceptionFilter(PTOP_LEVEL_EXCEPTION_FILTER filter) {
    UnhandledExceptionFilter = filter;
}

/* Finds the handler of an exception: vectored handlers, then each frame's language handler
   from the faulting frame outwards. TRUE: continue the (possibly changed) context. */
BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD record, PCONTEXT context) {
    if (CallVectoredHandlers(record, context)) return TRUE;
    DWORD64 low, high;
    StackLimits(&low, &high);
    CONTEXT frame = *context;
    UNWIND_HISTORY_TABLE history = {0};
    for (int depth = 0; depth < 4096; depth++) {
        DWORD64 pc = frame.Rip, base;
        PRUNTIME_FUNCTION fe = RtlLookupFunctionEntry(pc, &base, &history);
        if (!fe) {
            /* A leaf function: the return address is at rsp. */
            if (frame.Rsp < low || frame.Rsp + 8 > high) break;
            frame.Rip = *(PDWORD64)frame.Rsp;
            frame.Rsp += 8;
        } else {
            PVOID data;
            DWORD64 establisher;
            PEXCEPTION_ROUTINE handler =
                RtlVirtualUnwind(UNW_FLAG_EHANDLER, base, pc, fe, &frame, &data, &establisher, NULL);
            if (establisher < low || establisher >= high || (establisher & 7)) {
                record->ExceptionFlags |= EXCEPTION_STACK_INVALID;
                return FALSE;
            }
            if (handler) {
                DISPATCHER_CONTEXT dc;
                dc.ControlPc = pc;
                dc.ImageBase = base;
                dc.FunctionEntry = fe;
                dc.EstablisherFrame = establisher;
                dc.TargetIp = 0;
                dc.ContextRecord = context;
                dc.LanguageHandler = handler;
                dc.HandlerData = data;
                dc.HistoryTable = &history;
                dc.ScopeIndex = 0;
                dc.Fill0 = 0;
                EXCEPTION_DISPOSITION disposition = handler(record, (PVOID)establisher, context, &dc);
                record->ExceptionFlags &= ~(DWORD)EXCEPTION_NESTED_CALL;
                if (disposition == ExceptionContinueExecution) {
                    if (record->ExceptionFlags & EXCEPTION_NONCONTINUABLE) {
                        EXCEPTION_RECORD nested = {0};
                        nested.ExceptionCode = (DWORD)STATUS_NONCONTINUABLE_EXCEPTION;
                        nested.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
                        nested.ExceptionRecord = record;
                        RtlRaiseException(&nested);
                    }
                    return TRUE;
                }
                if (disposition != ExceptionContinueSearch && disposition != ExceptionNestedException) {
                    EXCEPTION_RECORD invalid = {0};
                    invalid.ExceptionCode = (DWORD)STATUS_INVALID_DISPOSITION;
                    invalid.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
                    invalid.ExceptionRecord = record;
                    RtlRaiseException(&invalid);
                }
            }
        }
        if (!frame.Rip || frame.Rsp < low || frame.Rsp >= high) break;
    }
    return FALSE;
}

/* Unwinds from here to TargetFrame, calling each frame's termination handler on the way,
   then continues at TargetIp in the target frame with rax = ReturnValue. A NULL TargetFrame
   unwinds every frame (an exit unwind). */
void NTAPI RtlUnwindEx(PVOID targetFrame, PVOID targetIp, PEXCEPTION_RECORD record,
    PVOID returnValue, PCONTEXT context, PUNWIND_HISTORY_TABLE history) {
    DWORD64 low, high;
    StackLimits(&low, &high);
    EXCEPTION_RECORD local;
    if (!record) {
        memset(&local, 0, sizeof(local));
        local.ExceptionCode = (DWORD)STATUS_UNWIND;
        local.ExceptionAddress = __builtin_return_address(0);
        record = &local;
    }
    DWORD flags = EXCEPTION_UNWINDING | (targetFrame ? 0 : EXCEPTION_EXIT_UNWIND);
    RtlCaptureContext(context);
    /* The captured context is inside this function: start from its caller. */
    CONTEXT next = *context;
    for (int depth = 0; depth < 4096; depth++) {
        DWORD64 pc = context->Rip, base;
        PRUNTIME_FUNCTION fe = RtlLookupFunctionEntry(pc, &base, history);
        DWORD64 establisher;
        next = *context;
        if (!fe) {
            if (context->Rsp < low || context->Rsp + 8 > high) break;
            next.Rip = *(PDWORD64)context->Rsp;
            next.Rsp = context->Rsp + 8;
            establisher = context->Rsp;
        } else {
            PVOID data;
            PEXCEPTION_ROUTINE handler =
                RtlVirtualUnwind(UNW_FLAG_UHANDLER, base, pc, fe, &next, &data, &establisher, NULL);
            if (establisher < low || establisher >= high || (establisher & 7)) RtlRaiseStatus(STATUS_BAD_STACK);
            /* The target frame is the one the target address lies in: its establisher frame
               equals TargetFrame, or (for a frame address taken differently, as gcc's
               __builtin_frame_address does) TargetFrame lies inside this frame. */
            BOOLEAN target = targetFrame && (establisher == (DWORD64)targetFrame ||
                                                (establisher < (DWORD64)targetFrame &&
                                                    next.Rsp > (DWORD64)targetFrame));
            if (targetFrame && !target && establisher > (DWORD64)targetFrame)
                RtlRaiseStatus(STATUS_INVALID_UNWIND_TARGET);
            if (handler) {
                DISPATCHER_CONTEXT dc;
                dc.ControlPc = pc;
                dc.ImageBase = base;
                dc.FunctionEntry = fe;
                dc.EstablisherFrame = establisher;
                dc.TargetIp = (DWORD64)targetIp;
                dc.ContextRecord = context;
                dc.LanguageHandler = handler;
                dc.HandlerData = data;
                dc.HistoryTable = history;
                dc.ScopeIndex = 0;
                dc.Fill0 = 0;
                record->ExceptionFlags = flags | (target ? EXCEPTION_TARGET_UNWIND : 0);
                context->Rax = (DWORD64)returnValue;
                EXCEPTION_DISPOSITION disposition = handler(record, (PVOID)establisher, context, &dc);
                if (disposition != ExceptionContinueSearch) RtlRaiseStatus(STATUS_INVALID_DISPOSITION);
            }
            if (target) break;
        }
        *context = next;
        if (!context->Rip || context->Rsp < low || context->Rsp >= high) {
            if (targetFrame) RtlRaiseStatus(STATUS_INVALID_UNWIND_TARGET);
            NtTerminateThread(NtCurrentThread(), (NTSTATUS)record->ExceptionCode);
        }
    }
    context->Rax = (DWORD64)returnValue;
    if (record->ExceptionCode != (DWORD)STATUS_UNWIND_CONSOLIDATE) context->Rip = (DWORD64)targetIp;
    RtlRestoreContext(context, record);
}

void NTAPI RtlUnwind(PVOID targetFrame, PVOID targetIp, PEXCEPTION_RECORD record, PVOID returnValue) {
    CONTEXT context;
    RtlUnwindEx(targetFrame, targetIp, record, returnValue, &context, NULL);
}

/* Raises a software exception: the debugger sees it first (NtRaiseException with
   FirstChance), then the executive delivers it to KiUserExceptionDispatcher. The context is
   the caller's, so continuing returns from this function. */
void NTAPI RtlRaiseException(PEXCEPTION_RECORD record) {
    CONTEXT context;
    RtlCaptureContext(&context);
    DWORD64 base, establisher;
    PVOID data;
    PRUNTIME_FUNCTION fe = RtlLookupFunctionEntry(context.Rip, &base, NULL);
    if (fe) RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, context.Rip, fe, &context, &data, &establisher, NULL);
    record->ExceptionAddress = (PVOID)context.Rip;
    NTSTATUS status = NtRaiseException(record, &context, TRUE);
    RtlRaiseStatus(status);
}

DECLSPEC_NORETURN void NTAPI RtlRaiseStatus(NTSTATUS status) {
    EXCEPTION_RECORD record = {0};
    record.ExceptionCode = (DWORD)status;
    record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    for (;;) RtlRaiseException(&record);
}

/* After the second chance came back from the debugger: the unhandled-exception filter
   (kernel32's, which calls the program's), then continue or end the process. */
DECLSPEC_NORETURN void RtlpUnhandledException(PEXCEPTION_RECORD record, PCONTEXT context) {
    if (UnhandledExceptionFilter) {
        EXCEPTION_POINTERS pointers = {record, context};
        if (UnhandledExceptionFilter(&pointers) == EXCEPTION_CONTINUE_EXECUTION) NtContinue(context, FALSE);
    }
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)record->ExceptionCode);
    for (;;) NtTerminateThread(NtCurrentThread(), (NTSTATUS)record->ExceptionCode);
}

/* Where the executive delivers an exception: rsp points at the CONTEXT, the
   EXCEPTION_RECORD at rsp+0x4D0 and the machine frame at rsp+0x570. The unwind information
   (a machine frame above 0x570 bytes) lets a stack walked from a handler pass through here
   to the faulting frame. The CONTEXT's home-register fields are the callee's home space. */
__attribute__((naked)) void KiUserExceptionDispatcher(void) {
    __asm__(".seh_proc KiUserExceptionDispatcher\n\t"
            ".seh_pushframe\n\t"
            ".seh_stackalloc 0x570\n\t"
            ".seh_endprologue\n\t"
            "cld\n\t"
            "leaq 0x4d0(%rsp), %rcx\n\t"
            "movq %rsp, %rdx\n\t"
            "callq RtlDispatchException\n\t"
            "testb %al, %al\n\t"
            "jz 1f\n\t"
            "movq %rsp, %rcx\n\t"
            "xorl %edx, %edx\n\t"
            "callq NtContinue\n\t"
            "movl %eax, %ecx\n\t"
            "callq RtlRaiseStatus\n"
            "1:\n\t"
            "leaq 0x4d0(%rsp), %rcx\n\t"
            "movq %rsp, %rdx\n\t"
            "xorl %r8d, %r8d\n\t"
            "callq NtRaiseException\n\t"
            "leaq 0x4d0(%rsp), %rcx\n\t"
            "movq %rsp, %rdx\n\t"
            "callq RtlpUnhandledException\n\t"
            "int3\n\t"
            ".seh_endproc");
}

/* The language handler clang-cl and MSVC name for __try/__except/__finally: the scope table
   (HandlerData) lists, per guarded range, a filter (or 1 for "always") and the __except
   target, or for a __finally block its handler and no target. */
typedef LONG (*SCOPE_FILTER)(PEXCEPTION_POINTERS, PVOID);
typedef void (*SCOPE_FINALLY)(BOOLEAN, PVOID);

EXCEPTION_DISPOSITION __C_specific_handler(
    PEXCEPTION_RECORD record, PVOID frame, PCONTEXT context, PDISPATCHER_CONTEXT dc) {
    DWORD64 base = dc->ImageBase;
    DWORD pc = (DWORD)(dc->ControlPc - base);
    PSCOPE_TABLE scopes = dc->HandlerData;
    if (IS_DISPATCHING(record->ExceptionFlags)) {
        EXCEPTION_POINTERS pointers = {record, context};
        for (DWORD i = dc->ScopeIndex; i < scopes->Count; i++) {
            if (pc < scopes->ScopeRecord[i].BeginAddress || pc >= scopes->ScopeRecord[i].EndAddress)
                continue;
            if (!scopes->ScopeRecord[i].JumpTarget) continue; /* a __finally */
            LONG verdict = scopes->ScopeRecord[i].HandlerAddress == 1
                               ? 1
                               : ((SCOPE_FILTER)(base + scopes->ScopeRecord[i].HandlerAddress))(&pointers, frame);
            if (verdict < 0) return ExceptionContinueExecution;
            if (verdict > 0) {
                RtlUnwindEx(frame, (PVOID)(base + scopes->ScopeRecord[i].JumpTarget), record,
                    (PVOID)(ULONG_PTR)record->ExceptionCode, dc->ContextRecord, dc->HistoryTable);
            }
        }
        return ExceptionContinueSearch;
    }
    /* Unwinding: run the __finally blocks around pc, innermost first, up to the target. */
    DWORD target = (DWORD)(dc->TargetIp - base);
    for (DWORD i = dc->ScopeIndex; i < scopes->Count; i++) {
        if (pc < scopes->ScopeRecord[i].BeginAddress || pc >= scopes->ScopeRecord[i].EndAddress)
            continue;
        if (IS_TARGET_UNWIND(record->ExceptionFlags) && target >= scopes->ScopeRecord[i].BeginAddress &&
            target < scopes->ScopeRecord[i].EndAddress)
            break; /* the target is inside this scope: it and its enclosing ones stay */
        if (scopes->ScopeRecord[i].JumpTarget) {
            if (IS_TARGET_UNWIND(record->ExceptionFlags) && scopes->ScopeRecord[i].JumpTarget == target)
                break; /* the __except block being entered */
            continue;
        }
        dc->ScopeIndex = i + 1;
        ((SCOPE_FINALLY)(base + scopes->ScopeRecord[i].HandlerAddress))(TRUE, frame);
    }
    return ExceptionContinueSearch;
}
