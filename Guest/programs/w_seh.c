/* Structured exception handling (clang-cl): an access violation caught frames up, a
   filter that looks at the code, __finally blocks run during the unwind, RaiseException with
   parameters, a continued exception, nested __try. */
#include <setjmp.h>
#include <stdio.h>
#include <windows.h>

static int finallyRuns;
static int *volatile nowhere; /* NULL, unknown to the optimiser */

/* clang-cl models hardware exceptions only at calls (without /EHa): the faulting code is a
   function of its own, called inside the __try blocks. */
__declspec(noinline) static void fault(int *p) { *p = 42; }

__declspec(noinline) static int divide(int a, int b) { return a / b; }

__declspec(noinline) static void inner(int *p) {
    __try {
        fault(p);
    } __finally {
        finallyRuns++;
        printf("finally in inner (abnormal %d)\n", AbnormalTermination() ? 1 : 0);
    }
}

__declspec(noinline) static void middle(int *p) {
    __try {
        inner(p);
    } __finally {
        finallyRuns++;
        printf("finally in middle\n");
    }
}

/* longjmp out of a __try: msvcrt unwinds with RtlUnwindEx, so the __finally runs. */
static jmp_buf jump;
__declspec(noinline) static void jumper(void) {
    __try {
        longjmp(jump, 5);
    } __finally {
        printf("finally ran during longjmp\n");
    }
}

__declspec(noinline) static void jumpOverFinally(void) {
    int value = setjmp(jump);
    if (!value) jumper();
    else printf("longjmp brought %d\n", value);
}

static int filter(unsigned long code, unsigned long wanted) {
    printf("filter sees %08lx\n", code);
    return code == wanted ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}

static int continued;
static LONG continueFilter(EXCEPTION_POINTERS *pointers) {
    printf("continue filter: code %08lx, %lu parameters, first %llu\n", pointers->ExceptionRecord->ExceptionCode,
        pointers->ExceptionRecord->NumberParameters,
        (unsigned long long)pointers->ExceptionRecord->ExceptionInformation[0]);
    continued++;
    return EXCEPTION_CONTINUE_EXECUTION;
}

int main(void) {
    __try {
        middle(nowhere);
        printf("not reached\n");
    } __except (filter(GetExceptionCode(), EXCEPTION_ACCESS_VIOLATION)) {
        printf("caught access violation three frames up, %d finally blocks ran\n", finallyRuns);
    }
    __try {
        __try {
            ULONG_PTR arguments[2] = {7, 8};
            RaiseException(0xE0000001, 0, 2, arguments);
        } __except (filter(GetExceptionCode(), 0xE0000002)) {
            printf("wrong handler\n");
        }
    } __except (filter(GetExceptionCode(), 0xE0000001)) {
        printf("outer handler took E0000001\n");
    }
    __try {
        ULONG_PTR argument = 99;
        RaiseException(0xE0000003, 0, 1, &argument);
        printf("execution continued after RaiseException (%d)\n", continued);
    } __except (continueFilter(GetExceptionInformation())) {
        printf("not reached either\n");
    }
    volatile int zero = 0;
    __try {
        printf("%d\n", divide(10, zero));
    } __except (GetExceptionCode() == EXCEPTION_INT_DIVIDE_BY_ZERO) {
        printf("caught divide by zero\n");
    }
    jumpOverFinally();
    printf("end\n");
    return 0;
}
