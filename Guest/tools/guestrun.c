/* guestrun: a small stand-in for xcdb's executive, for testing the guest DLLs (Guest/ABI.md)
   without the debugger. It loads a PE32+ program and its DLLs, builds the PEB, TEBs and
   loader lists, and runs the program on Unicorn with the system services of the ABI: memory,
   threads on a round-robin scheduler counted in instructions, events, mutants, semaphores,
   waits, alerts, files in a sandbox folder, the console (stdout/stderr/stdin), time, and
   exception delivery to ntdll!KiUserExceptionDispatcher.

     guestrun [-d] [-c] [-s SANDBOX] [-L DLLDIR] [-q QUANTUM] [-n LIMIT] PROGRAM.exe [ARGS...]

   -d sets PEB.BeingDebugged (the initial breakpoint is reported and passed over, as a
   debugger's "g" does); -c counts every instruction (slowly) and reports the total; -q sets
   the scheduler's quantum, -n a limit on instructions. Program output goes to stdout/stderr; guestrun's own reports
   ("guestrun: ...") go to stderr. Its exit code is the program's, or 99 when guestrun itself
   fails, or 98 when every thread waits forever.

   A development and test tool with trusting input checks: not xcdb's executive. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicorn/unicorn.h>

#include "../include/xcdb/syscalls.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;

static uc_engine *uc;
static int debugging;
static const char *sandbox = ".";
static const char *dllDirectory = ".";
static char programDirectory[4096];
static u64 quantum = 20000;
static u64 limit = ~0ull; /* instructions before guestrun gives up */
static int tracing;
static int counting;
static u64 instructions; /* the machine's clock: 100 instructions per 100 ns tick */

static void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "guestrun: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(99);
}

static void check(uc_err e, const char *what) {
    if (e != UC_ERR_OK) fail("%s: %s", what, uc_strerror(e));
}

static void rd(u64 address, void *buffer, size_t n) {
    if (uc_mem_read(uc, address, buffer, n) != UC_ERR_OK) memset(buffer, 0, n);
}
static int rdok(u64 address, void *buffer, size_t n) { return uc_mem_read(uc, address, buffer, n) == UC_ERR_OK; }
static int wrok(u64 address, const void *buffer, size_t n) {
    return uc_mem_write(uc, address, buffer, n) == UC_ERR_OK;
}
static void wr(u64 address, const void *buffer, size_t n) {
    if (!wrok(address, buffer, n)) fail("write of %zu bytes at %llx failed", n, (unsigned long long)address);
}
static u64 rd64(u64 a) {
    u64 v = 0;
    rd(a, &v, 8);
    return v;
}
static u32 rd32(u64 a) {
    u32 v = 0;
    rd(a, &v, 4);
    return v;
}
static u16 rd16(u64 a) {
    u16 v = 0;
    rd(a, &v, 2);
    return v;
}
static void wr64(u64 a, u64 v) { wr(a, &v, 8); }
static void wr32(u64 a, u32 v) { wr(a, &v, 4); }
static void wr16(u64 a, u16 v) { wr(a, &v, 2); }
static void wr8(u64 a, u8 v) { wr(a, &v, 1); }

/* Inside the syscall hook Unicorn adds the instruction's length to rip after the hook
   returns: a new rip written there is written 2 bytes short. */
static int inSyscall;

static u64 reg(int r) {
    u64 v = 0;
    uc_reg_read(uc, r, &v);
    return v;
}
static void setreg(int r, u64 v) {
    if (r == UC_X86_REG_RIP && inSyscall) v -= 2;
    uc_reg_write(uc, r, &v);
}

/* ---------------------------------------------------------------- memory ---- */

#define PAGE 0x1000ull
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD 0x100
#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define MEM_DECOMMIT 0x4000
#define MEM_RELEASE 0x8000
#define MEM_FREE 0x10000
#define MEM_PRIVATE 0x20000
#define MEM_IMAGE 0x1000000
#define MEM_TOP_DOWN 0x100000

typedef struct {
    u64 base, size;
    u32 type;
    u32 allocationProtect;
    u32 *protect; /* per page; 0 = reserved only */
} Region;
static Region regions[4096];
static int regionCount;
static u64 memoryUsed, memoryCap = 1ull << 30;

static int ucProt(u32 protect) {
    if (!protect || (protect & (PAGE_NOACCESS | PAGE_GUARD))) return UC_PROT_NONE;
    switch (protect & 0xFF) {
    case PAGE_READONLY: return UC_PROT_READ;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY: return UC_PROT_READ | UC_PROT_WRITE;
    case PAGE_EXECUTE: return UC_PROT_EXEC;
    case PAGE_EXECUTE_READ: return UC_PROT_READ | UC_PROT_EXEC;
    default: return UC_PROT_ALL;
    }
}

static Region *regionAt(u64 address) {
    for (int i = 0; i < regionCount; i++)
        if (address >= regions[i].base && address < regions[i].base + regions[i].size) return &regions[i];
    return NULL;
}

static int rangeFree(u64 base, u64 size) {
    for (int i = 0; i < regionCount; i++)
        if (base < regions[i].base + regions[i].size && regions[i].base < base + size) return 0;
    return 1;
}

/* Reserves [base, base+size) (64 KiB aligned when base is 0: the first free place). */
static Region *reserve(u64 base, u64 size, u32 type, int topDown) {
    size = (size + PAGE - 1) & ~(PAGE - 1);
    if (!size || regionCount >= 4096) return NULL;
    if (!base) {
        if (topDown) {
            for (u64 b = 0x7FF000000000ull; b > 0x10000000ull; b -= 0x10000)
                if (rangeFree(b, size)) {
                    base = b;
                    break;
                }
        } else {
            for (u64 b = 0x10000000ull; b < 0x7FF000000000ull; b += 0x10000)
                if (rangeFree(b, size)) {
                    base = b;
                    break;
                }
        }
        if (!base) return NULL;
    } else if (!rangeFree(base, size)) {
        return NULL;
    }
    if (uc_mem_map(uc, base, size, UC_PROT_NONE) != UC_ERR_OK) return NULL;
    Region *r = &regions[regionCount++];
    r->base = base;
    r->size = size;
    r->type = type;
    r->allocationProtect = 0;
    r->protect = calloc(size / PAGE, sizeof(u32));
    return r;
}

static int commit(Region *r, u64 address, u64 size, u32 protect) {
    u64 start = address & ~(PAGE - 1), end = (address + size + PAGE - 1) & ~(PAGE - 1);
    if (start < r->base || end > r->base + r->size) return 0;
    u64 added = 0;
    for (u64 p = start; p < end; p += PAGE)
        if (!r->protect[(p - r->base) / PAGE]) added += PAGE;
    if (memoryUsed + added > memoryCap) return 0;
    memoryUsed += added;
    for (u64 p = start; p < end; p += PAGE) r->protect[(p - r->base) / PAGE] = protect;
    uc_mem_protect(uc, start, end - start, ucProt(protect));
    return 1;
}

static void release(Region *r) {
    for (u64 i = 0; i < r->size / PAGE; i++)
        if (r->protect[i]) memoryUsed -= PAGE;
    uc_mem_unmap(uc, r->base, r->size);
    free(r->protect);
    *r = regions[--regionCount];
}

/* A committed read-write allocation for the executive's own structures. */
static u64 allocate(u64 size) {
    Region *r = reserve(0, size, MEM_PRIVATE, 0);
    if (!r || !commit(r, r->base, size, PAGE_READWRITE)) fail("out of memory");
    r->allocationProtect = PAGE_READWRITE;
    return r->base;
}

/* ---------------------------------------------------------------- handles ---- */

enum { H_FREE, H_CONSOLE_IN, H_CONSOLE_OUT, H_FILE, H_EVENT, H_MUTANT, H_SEMAPHORE, H_THREAD, H_PROCESS };

typedef struct {
    int kind;
    int refs;
    /* files */
    int fd;
    char *path;
    int deleteOnClose;
    int append;
    i64 position;
    int isDirectory;
    /* consoles */
    int hostFd;
    /* events (signalled, manual), mutants (owner, count), semaphores (count, maximum) */
    int signalled, manual;
    int owner;
    long count, maximum;
    int abandoned;
    /* threads */
    int thread;
} Object;

#define MAX_OBJECTS 4096
static Object objects[MAX_OBJECTS];
static int handleTable[8192]; /* handle/4 -> object index + 1 */

static int newObject(int kind) {
    for (int i = 1; i < MAX_OBJECTS; i++)
        if (objects[i].kind == H_FREE) {
            memset(&objects[i], 0, sizeof(Object));
            objects[i].kind = kind;
            objects[i].fd = -1;
            return i;
        }
    fail("too many objects");
    return 0;
}

static u64 newHandle(int object) {
    for (int h = 1; h < 8192; h++)
        if (!handleTable[h]) {
            handleTable[h] = object + 1;
            objects[object].refs++;
            return (u64)h * 4;
        }
    fail("too many handles");
    return 0;
}

static void dropObject(int o);

/* The object behind a handle (pseudo-handles for the current process and thread). */
static int currentThread;
static int threadObject(int thread);
static int processObject;

static int objectOf(u64 handle) {
    if (handle == (u64)-1) return processObject;
    if (handle == (u64)-2) return threadObject(currentThread);
    if (handle & 3 || handle / 4 >= 8192 || !handleTable[handle / 4]) return -1;
    return handleTable[handle / 4] - 1;
}

/* ---------------------------------------------------------------- images ---- */

typedef struct {
    char name[256];  /* base name, as found */
    char path[4096]; /* host path */
    u64 base, size, entry;
    u64 ldrEntry;
    int isDll;
    u32 exportRva, exportSize;
    u32 timestamp;
} Image;
static Image images[64];
static int imageCount;
static u64 ldrData, loaderArena, loaderArenaUsed;

static u64 arena(u64 size) {
    size = (size + 15) & ~15ull;
    if (loaderArenaUsed + size > 0x100000) fail("loader arena full");
    u64 a = loaderArena + loaderArenaUsed;
    loaderArenaUsed += size;
    return a;
}

static u64 putWide(const char *s) {
    size_t n = strlen(s);
    u64 a = arena((n + 1) * 2);
    for (size_t i = 0; i <= n; i++) wr16(a + i * 2, (u8)s[i]);
    return a;
}

static void putUnicodeString(u64 at, const char *s) {
    u64 buffer = putWide(s);
    wr16(at, (u16)(strlen(s) * 2));
    wr16(at + 2, (u16)(strlen(s) * 2 + 2));
    wr64(at + 8, buffer);
}

static u8 *readFile(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    u8 *data = malloc((size_t)n);
    if (fread(data, 1, (size_t)n, f) != (size_t)n) fail("cannot read %s", path);
    fclose(f);
    *size = (size_t)n;
    return data;
}

static Image *findImage(const char *name) {
    for (int i = 0; i < imageCount; i++)
        if (!strcasecmp(images[i].name, name)) return &images[i];
    return NULL;
}

static u64 exportOf(Image *image, const char *name, u32 ordinal, int depth);
static Image *loadImage(const char *name, int isMain);

static void linkEntry(u64 entry, u64 listOffset, u64 headOffset) {
    u64 head = ldrData + headOffset, node = entry + listOffset;
    u64 last = rd64(head + 8);
    wr64(node, head);
    wr64(node + 8, last);
    wr64(last, node);
    wr64(head + 8, node);
}

static void resolveImports(Image *image) {
    u64 b = image->base;
    u32 peOffset = rd32(b + 0x3C);
    u64 optional = b + peOffset + 24;
    u32 importRva = rd32(optional + 112 + 8), importSize = rd32(optional + 112 + 12);
    if (!importRva || !importSize) return;
    for (u64 d = b + importRva;; d += 20) {
        u32 lookup = rd32(d), nameRva = rd32(d + 12), iat = rd32(d + 16);
        if (!nameRva) break;
        char dll[256];
        rd(b + nameRva, dll, sizeof(dll));
        dll[255] = 0;
        Image *target = loadImage(dll, 0);
        if (!target) fail("%s imports %s, which is not found", image->name, dll);
        if (!lookup) lookup = iat;
        for (u64 i = 0;; i++) {
            u64 thunk = rd64(b + lookup + i * 8);
            if (!thunk) break;
            u64 address;
            char function[256] = "";
            if (thunk >> 63) {
                address = exportOf(target, NULL, (u32)(thunk & 0xFFFF), 0);
                snprintf(function, sizeof(function), "#%u", (u32)(thunk & 0xFFFF));
            } else {
                rd(b + (thunk & 0x7FFFFFFF) + 2, function, sizeof(function));
                function[255] = 0;
                address = exportOf(target, function, 0, 0);
            }
            if (!address) fail("%s imports %s!%s, which %s does not export", image->name, dll, function, dll);
            wr64(b + iat + i * 8, address);
        }
    }
}

/* Maps a PE image (at its preferred base, else relocated), its imports, and links its loader
   entry. */
static Image *loadImage(const char *name, int isMain) {
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    Image *existing = findImage(base);
    if (existing) return existing;
    char path[4096];
    size_t size;
    u8 *file = NULL;
    if (isMain) {
        snprintf(path, sizeof(path), "%s", name);
        file = readFile(path, &size);
    } else {
        const char *folders[2] = {dllDirectory, programDirectory};
        for (int f = 0; f < 2 && !file; f++) {
            /* Case-insensitive lookup in the folder. */
            DIR *dir = opendir(folders[f]);
            if (!dir) continue;
            struct dirent *e;
            while ((e = readdir(dir)))
                if (!strcasecmp(e->d_name, base)) {
                    snprintf(path, sizeof(path), "%s/%s", folders[f], e->d_name);
                    file = readFile(path, &size);
                    break;
                }
            closedir(dir);
        }
    }
    if (!file) return NULL;
    if (imageCount >= 64) fail("too many images");
    u32 pe = *(u32 *)(file + 0x3C);
    u8 *coff = file + pe + 4;
    u16 sections = *(u16 *)(coff + 2), optionalSize = *(u16 *)(coff + 16), characteristics = *(u16 *)(coff + 18);
    u8 *opt = coff + 20;
    if (*(u16 *)opt != 0x20B) fail("%s is not PE32+", path);
    u64 preferred = *(u64 *)(opt + 24);
    u32 sizeOfImage = *(u32 *)(opt + 56), sizeOfHeaders = *(u32 *)(opt + 60);
    Image *image = &images[imageCount++];
    memset(image, 0, sizeof(*image));
    snprintf(image->name, sizeof(image->name), "%s", base);
    snprintf(image->path, sizeof(image->path), "%s", path);
    image->isDll = (characteristics & 0x2000) != 0;
    image->timestamp = *(u32 *)(coff + 4);
    Region *r = reserve(preferred, sizeOfImage, MEM_IMAGE, 0);
    if (!r) r = reserve(0, sizeOfImage, MEM_IMAGE, 0);
    if (!r) fail("cannot map %s", path);
    image->base = r->base;
    image->size = sizeOfImage;
    commit(r, r->base, sizeOfImage, PAGE_READWRITE);
    wr(r->base, file, sizeOfHeaders < size ? sizeOfHeaders : size);
    u8 *section = opt + optionalSize;
    for (int i = 0; i < sections; i++, section += 40) {
        u32 va = *(u32 *)(section + 12), rawSize = *(u32 *)(section + 16), rawOffset = *(u32 *)(section + 20);
        if (rawSize && rawOffset < size) wr(r->base + va, file + rawOffset, rawSize < size - rawOffset ? rawSize : size - rawOffset);
    }
    /* Relocations. */
    i64 delta = (i64)(r->base - preferred);
    u32 relocRva = *(u32 *)(opt + 112 + 5 * 8), relocSize = *(u32 *)(opt + 112 + 5 * 8 + 4);
    if (delta && relocRva) {
        for (u64 blockAt = r->base + relocRva; blockAt < r->base + relocRva + relocSize;) {
            u32 page = rd32(blockAt), blockSize = rd32(blockAt + 4);
            if (blockSize < 8) break;
            for (u32 k = 8; k < blockSize; k += 2) {
                u16 entry = rd16(blockAt + k);
                if (entry >> 12 == 10) wr64(r->base + page + (entry & 0xFFF), rd64(r->base + page + (entry & 0xFFF)) + (u64)delta);
            }
            blockAt += blockSize;
        }
        wr64(r->base + pe + 24 + 24, r->base);
    }
    u32 entryRva = *(u32 *)(opt + 16);
    image->entry = entryRva ? r->base + entryRva : 0;
    image->exportRva = *(u32 *)(opt + 112);
    image->exportSize = *(u32 *)(opt + 116);
    /* Loader entry (LDR_DATA_TABLE_ENTRY, 0x120 bytes). */
    u64 entry = arena(0x120);
    image->ldrEntry = entry;
    wr64(entry + 0x30, r->base);
    wr64(entry + 0x38, image->isDll ? image->entry : 0);
    wr32(entry + 0x40, sizeOfImage);
    char full[512];
    snprintf(full, sizeof(full), "C:\\xcdb\\%s", base);
    putUnicodeString(entry + 0x48, isMain ? "C:\\sandbox\\program.exe" : full);
    putUnicodeString(entry + 0x58, base);
    wr32(entry + 0x68, image->isDll ? 0x4 : 0);
    wr16(entry + 0x6C, 0xFFFF);
    wr32(entry + 0x80, image->timestamp);
    linkEntry(entry, 0x00, 0x10);
    linkEntry(entry, 0x10, 0x20);
    /* Imports first: the init-order list has dependencies before their users. */
    resolveImports(image);
    /* Final section protections. */
    section = opt + optionalSize;
    commit(r, r->base, PAGE, PAGE_READONLY);
    for (int i = 0; i < sections; i++, section += 40) {
        u32 va = *(u32 *)(section + 12), vsize = *(u32 *)(section + 8), ch = *(u32 *)(section + 36);
        u32 p = (ch & 0x20000000) ? ((ch & 0x80000000) ? PAGE_EXECUTE_READWRITE : PAGE_EXECUTE_READ)
                                  : ((ch & 0x80000000) ? PAGE_READWRITE : PAGE_READONLY);
        if (vsize) commit(r, r->base + va, vsize, p);
    }
    if (image->isDll) linkEntry(entry, 0x20, 0x30);
    free(file);
    return image;
}

static u64 exportOf(Image *image, const char *name, u32 ordinal, int depth) {
    if (depth > 16 || !image->exportRva) return 0;
    u64 b = image->base, d = b + image->exportRva;
    u32 ordinalBase = rd32(d + 16), functions = rd32(d + 20), names = rd32(d + 24);
    u64 functionTable = b + rd32(d + 28), nameTable = b + rd32(d + 32), ordinalTable = b + rd32(d + 36);
    u32 index = 0xFFFFFFFF;
    if (name) {
        for (u32 i = 0; i < names; i++) {
            char candidate[256];
            rd(b + rd32(nameTable + i * 4), candidate, sizeof(candidate));
            candidate[255] = 0;
            if (!strcmp(candidate, name)) {
                index = rd16(ordinalTable + i * 2);
                break;
            }
        }
    } else if (ordinal >= ordinalBase) {
        index = ordinal - ordinalBase;
    }
    if (index >= functions) return 0;
    u32 rva = rd32(functionTable + index * 4);
    if (!rva) return 0;
    if (rva >= image->exportRva && rva < image->exportRva + image->exportSize) {
        char forward[256];
        rd(b + rva, forward, sizeof(forward));
        forward[255] = 0;
        char *dot = strrchr(forward, '.');
        if (!dot) return 0;
        *dot = 0;
        char dll[300];
        snprintf(dll, sizeof(dll), "%s.dll", forward);
        Image *target = loadImage(dll, 0);
        if (!target) return 0;
        if (dot[1] == '#') return exportOf(target, NULL, (u32)atoi(dot + 2), depth + 1);
        return exportOf(target, dot + 1, 0, depth + 1);
    }
    return b + rva;
}

/* ---------------------------------------------------------------- threads ---- */

enum { T_FREE, T_RUNNABLE, T_WAITING, T_DONE };
enum { W_NONE, W_OBJECTS, W_ALERT, W_DELAY };

typedef struct {
    int state;
    u32 id;
    u64 teb, stackBase, stackLimit;
    uc_context *context;
    int object;
    u32 exitStatus;
    int suspended;
    int alerted;
    /* waiting */
    int waitKind;
    int waitObjects[64];
    int waitCount;
    int waitAll;
    int hasDeadline;
    u64 deadline; /* instruction clock */
    u64 resultRegister; /* status on wake, written to rax */
} Thread;

static Thread threads[256];
static int threadCount;
static u64 ntdllBase, ldrInitializeThunk, userThreadStart, kiUserExceptionDispatcher;
static u64 peb;
static u32 nextThreadId = 4;
static int processExited;
static u32 processExitStatus;

static int threadObject(int thread) { return threads[thread].object; }

static void dropObject(int o) {
    if (o <= 0) return;
    if (--objects[o].refs > 0) return;
    Object *ob = &objects[o];
    if (ob->kind == H_FILE) {
        if (ob->fd >= 0) close(ob->fd);
        if (ob->deleteOnClose && ob->path) unlink(ob->path);
        free(ob->path);
    }
    if (ob->kind == H_THREAD || ob->kind == H_PROCESS) return; /* kept for exit codes */
    ob->kind = H_FREE;
}

static u64 nowTicks(void) { return instructions / 100; }

static u64 createThread(u64 start, u64 argument, int suspended, u64 *tebOut) {
    if (threadCount >= 256) return 0;
    int t = threadCount++;
    Thread *th = &threads[t];
    memset(th, 0, sizeof(*th));
    th->id = nextThreadId;
    nextThreadId += 4;
    /* Stack: 1 MiB, all committed (no guard page in this stand-in). */
    Region *stack = reserve(0, 0x100000, MEM_PRIVATE, 0);
    if (!stack || !commit(stack, stack->base, 0x100000, PAGE_READWRITE)) return 0;
    stack->allocationProtect = PAGE_READWRITE;
    th->stackLimit = stack->base;
    th->stackBase = stack->base + 0x100000;
    th->teb = allocate(0x2000);
    u64 teb = th->teb;
    wr64(teb + 0x00, (u64)-1);
    wr64(teb + 0x08, th->stackBase);
    wr64(teb + 0x10, th->stackLimit);
    wr64(teb + 0x30, teb);
    wr64(teb + 0x40, 4); /* process id */
    wr64(teb + 0x48, th->id);
    wr64(teb + 0x60, peb);
    wr64(teb + 0x1478, stack->base);
    /* Static TLS: one block per image with a TLS directory. */
    u64 tlsArray = allocate(64 * 8);
    wr64(teb + 0x58, tlsArray);
    for (int i = 0; i < imageCount; i++) {
        u64 b = images[i].base;
        u32 pe = rd32(b + 0x3C);
        u32 tlsRva = rd32(b + pe + 24 + 112 + 9 * 8);
        if (!tlsRva) continue;
        u64 dir = b + tlsRva;
        u64 startData = rd64(dir), endData = rd64(dir + 8), indexAddress = rd64(dir + 16);
        u32 zeroFill = rd32(dir + 32);
        u64 length = endData - startData;
        u64 block = allocate(length + zeroFill + 16);
        u8 *copy = malloc(length + 1);
        rd(startData, copy, length);
        wr(block, copy, length);
        free(copy);
        wr32(indexAddress, (u32)i);
        wr64(tlsArray + (u64)i * 8, block);
    }
    /* The CONTEXT LdrInitializeThunk continues: RtlUserThreadStart(start, argument). */
    u64 rsp = th->stackBase - 0x600;
    u64 context = rsp + 0x40;
    u8 zero[0x4D0] = {0};
    wr(context, zero, sizeof(zero));
    wr32(context + 0x30, 0x10000B);
    wr32(context + 0x34, 0x1F80);
    wr16(context + 0x38, 0x33);
    wr16(context + 0x42, 0x2B);
    wr32(context + 0x44, 0x202);
    wr64(context + 0x80, start);
    wr64(context + 0x88, argument);
    wr64(context + 0x98, th->stackBase - 0x28 - 0x8); /* as after a call: rsp+8 16-aligned */
    wr64(context + 0xF8, userThreadStart);
    wr32(context + 0x118, 0x1F80); /* FltSave.MxCsr */
    wr16(context + 0x100, 0x27F);
    /* Registers for the first instruction: the current ones, changed in the copy. */
    uc_context_alloc(uc, &th->context);
    uc_context_save(uc, th->context);
    u64 values[6] = {ldrInitializeThunk, rsp, context, 0, teb, 0x202};
    int names[6] = {UC_X86_REG_RIP, UC_X86_REG_RSP, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_GS_BASE,
        UC_X86_REG_RFLAGS};
    for (int i = 0; i < 6; i++) uc_context_reg_write(th->context, names[i], &values[i]);
    th->state = T_RUNNABLE;
    th->suspended = suspended;
    th->object = newObject(H_THREAD);
    objects[th->object].thread = t;
    if (tebOut) *tebOut = teb;
    return 1;
}

/* ---------------------------------------------------------------- console and files ---- */

/* An NT path under \??\C:\sandbox\ as a host path in the sandbox folder; NULL otherwise. */
static char *hostPath(u64 objectAttributes, int *status) {
    u64 name = rd64(objectAttributes + 0x10);
    if (!name) {
        *status = (int)0xC0000033;
        return NULL;
    }
    u16 length = rd16(name);
    u64 buffer = rd64(name + 8);
    char path[1024];
    size_t n = length / 2;
    if (n >= sizeof(path)) {
        *status = (int)0xC0000106;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        u16 c = rd16(buffer + i * 2);
        path[i] = c < 0x80 ? (char)c : '_';
    }
    path[n] = 0;
    const char *prefix = "\\??\\C:\\sandbox";
    size_t p = strlen(prefix);
    if (strncasecmp(path, prefix, p) || (path[p] && path[p] != '\\')) {
        *status = (int)0xC0000022;
        return NULL;
    }
    char *rest = path + p;
    /* Refuse ".." components (the DLLs resolve them before the call). */
    for (char *c = rest; *c; c++)
        if (*c == '\\') *c = '/';
    if (strstr(rest, "/../") || (strlen(rest) >= 3 && !strcmp(rest + strlen(rest) - 3, "/.."))) {
        *status = (int)0xC0000022;
        return NULL;
    }
    char *host = malloc(strlen(sandbox) + strlen(rest) + 2);
    sprintf(host, "%s%s", sandbox, rest);
    *status = 0;
    return host;
}

/* ---------------------------------------------------------------- exceptions ---- */

#define CTX_SIZE 0x4D0

static const int gpr[16] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX, UC_X86_REG_RSP,
    UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_R10, UC_X86_REG_R11,
    UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15};

static void captureContext(u8 *c, u64 rip) {
    memset(c, 0, CTX_SIZE);
    *(u32 *)(c + 0x30) = 0x10000F;
    *(u32 *)(c + 0x34) = (u32)reg(UC_X86_REG_MXCSR);
    *(u16 *)(c + 0x38) = 0x33;
    *(u16 *)(c + 0x3A) = 0x2B;
    *(u16 *)(c + 0x3C) = 0x2B;
    *(u16 *)(c + 0x3E) = 0x53;
    *(u16 *)(c + 0x40) = 0x2B;
    *(u16 *)(c + 0x42) = 0x2B;
    *(u32 *)(c + 0x44) = (u32)reg(UC_X86_REG_RFLAGS);
    for (int i = 0; i < 16; i++) *(u64 *)(c + 0x78 + i * 8) = reg(gpr[i]);
    *(u64 *)(c + 0xF8) = rip;
    *(u16 *)(c + 0x100) = (u16)reg(UC_X86_REG_FPCW);
    *(u32 *)(c + 0x118) = (u32)reg(UC_X86_REG_MXCSR);
    for (int i = 0; i < 16; i++) uc_reg_read(uc, UC_X86_REG_XMM0 + i, c + 0x1A0 + i * 16);
}

static void loadContext(const u8 *c) {
    u32 flags = *(u32 *)(c + 0x30);
    if (flags & 2) /* integer */
        for (int i = 0; i < 16; i++)
            if (i != 4) setreg(gpr[i], *(u64 *)(c + 0x78 + i * 8));
    if (flags & 1) { /* control */
        setreg(UC_X86_REG_RSP, *(u64 *)(c + 0x98));
        setreg(UC_X86_REG_RBP, *(u64 *)(c + 0xA0));
        setreg(UC_X86_REG_RIP, *(u64 *)(c + 0xF8));
        setreg(UC_X86_REG_RFLAGS, (*(u32 *)(c + 0x44) & 0xCD5) | 0x202);
    }
    if (flags & 8) { /* floating point */
        setreg(UC_X86_REG_MXCSR, *(u32 *)(c + 0x118));
        setreg(UC_X86_REG_FPCW, *(u16 *)(c + 0x100));
        for (int i = 0; i < 16; i++) uc_reg_write(uc, UC_X86_REG_XMM0 + i, c + 0x1A0 + i * 16);
    }
}

/* Writes CONTEXT, EXCEPTION_RECORD and MACHINE_FRAME below the context's rsp and enters
   KiUserExceptionDispatcher (Guest/ABI.md, "Exceptions"). */
static void deliver(u8 *context, const u8 *record) {
    u64 rsp = *(u64 *)(context + 0x98);
    u64 top = rsp & ~15ull;
    u64 base = (top - 0x598) & ~15ull;
    u8 frame[0x598];
    memset(frame, 0, sizeof(frame));
    memcpy(frame, context, CTX_SIZE);
    memcpy(frame + 0x4D0, record, 0x98);
    *(u64 *)(frame + 0x570) = *(u64 *)(context + 0xF8);
    *(u64 *)(frame + 0x578) = 0x33;
    *(u64 *)(frame + 0x580) = *(u32 *)(context + 0x44);
    *(u64 *)(frame + 0x588) = rsp;
    *(u64 *)(frame + 0x590) = 0x2B;
    if (!wrok(base, frame, sizeof(frame))) {
        fprintf(stderr, "guestrun: no stack to deliver exception %08x: the process ends\n", *(u32 *)record);
        processExited = 1;
        processExitStatus = *(u32 *)record;
        uc_emu_stop(uc);
        return;
    }
    setreg(UC_X86_REG_RSP, base);
    setreg(UC_X86_REG_RIP, kiUserExceptionDispatcher);
    uc_emu_stop(uc);
}

static void raiseHardware(u32 code, u64 rip, int parameters, u64 p0, u64 p1) {
    u8 context[CTX_SIZE], record[0x98];
    captureContext(context, rip);
    memset(record, 0, sizeof(record));
    *(u32 *)record = code;
    *(u64 *)(record + 0x10) = rip;
    *(u32 *)(record + 0x18) = (u32)parameters;
    *(u64 *)(record + 0x20) = p0;
    *(u64 *)(record + 0x28) = p1;
    if (getenv("GUESTRUN_TRACE"))
        fprintf(stderr, "guestrun: first chance %08x at %llx (thread %u)\n", code, (unsigned long long)rip,
            threads[currentThread].id);
    deliver(context, record);
}

/* ---------------------------------------------------------------- waits ---- */

static int signalledFor(int o, int thread) {
    Object *ob = &objects[o];
    switch (ob->kind) {
    case H_EVENT: return ob->signalled;
    case H_SEMAPHORE: return ob->count > 0;
    case H_MUTANT: return ob->owner == 0 || ob->owner == (int)threads[thread].id;
    case H_THREAD: return threads[ob->thread].state == T_DONE;
    case H_PROCESS: return processExited;
    default: return 1;
    }
}

static int acquire(int o, int thread) {
    Object *ob = &objects[o];
    int abandoned = 0;
    switch (ob->kind) {
    case H_EVENT:
        if (!ob->manual) ob->signalled = 0;
        break;
    case H_SEMAPHORE: ob->count--; break;
    case H_MUTANT:
        abandoned = ob->abandoned;
        ob->abandoned = 0;
        ob->owner = (int)threads[thread].id;
        ob->count++;
        break;
    }
    return abandoned;
}

/* Completes a wait when it can: the status for rax, or -1 while it must go on. */
static i64 tryWait(int t) {
    Thread *th = &threads[t];
    if (th->waitKind == W_ALERT) {
        if (th->alerted) {
            th->alerted = 0;
            return 0x101;
        }
    } else if (th->waitKind == W_OBJECTS) {
        if (th->waitAll) {
            int all = 1;
            for (int i = 0; i < th->waitCount; i++) all &= signalledFor(th->waitObjects[i], t);
            if (all) {
                int abandoned = 0;
                for (int i = 0; i < th->waitCount; i++) abandoned |= acquire(th->waitObjects[i], t);
                return abandoned ? 0x80 : 0;
            }
        } else {
            for (int i = 0; i < th->waitCount; i++)
                if (signalledFor(th->waitObjects[i], t)) return (acquire(th->waitObjects[i], t) ? 0x80 : 0) + i;
        }
    }
    if (th->hasDeadline && nowTicks() >= th->deadline) return th->waitKind == W_DELAY ? 0 : 0x102;
    return -1;
}

/* A timeout argument (NULL: forever; negative: relative 100 ns; positive: absolute). */
static int deadlineOf(u64 pointer, u64 *deadline) {
    if (!pointer) return 0;
    i64 value = (i64)rd64(pointer);
    if (value < 0) {
        u64 relative = (u64)(-value);
        if (relative > (1ull << 60)) return 0;
        *deadline = nowTicks() + relative;
    } else {
        u64 start = 134124480000000000ull; /* 2026-01-01 as FILETIME */
        *deadline = (u64)value > start ? (u64)value - start : 0;
    }
    return 1;
}

/* Puts the current thread to wait; the scheduler completes the call. */
static void block(int kind) {
    Thread *th = &threads[currentThread];
    th->waitKind = kind;
    th->state = T_WAITING;
    uc_emu_stop(uc);
}

/* ---------------------------------------------------------------- system services ---- */

static u64 arg(int n) {
    switch (n) {
    case 1: return reg(UC_X86_REG_R10);
    case 2: return reg(UC_X86_REG_RDX);
    case 3: return reg(UC_X86_REG_R8);
    case 4: return reg(UC_X86_REG_R9);
    default: return rd64(reg(UC_X86_REG_RSP) + 0x28 + (u64)(n - 5) * 8);
    }
}

/* A 32-bit argument (ULONG, an enum): the rest of its register or stack slot is undefined. */
static u64 arg32(int n) { return arg(n) & 0xFFFFFFFFull; }

static void exitThread(int t, u32 status) {
    Thread *th = &threads[t];
    th->state = T_DONE;
    th->exitStatus = status;
    /* Mutants it owned are abandoned. */
    for (int o = 1; o < MAX_OBJECTS; o++)
        if (objects[o].kind == H_MUTANT && objects[o].owner == (int)th->id) {
            objects[o].owner = 0;
            objects[o].count = 0;
            objects[o].abandoned = 1;
        }
    int alive = 0;
    for (int i = 0; i < threadCount; i++) alive += threads[i].state != T_DONE;
    if (!alive) {
        processExited = 1;
        processExitStatus = status;
    }
}

static void consoleWrite(int fd, const u8 *data, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w <= 0) break;
        done += (size_t)w;
    }
}

static i64 fileSize(Object *ob) {
    struct stat st;
    return fstat(ob->fd, &st) ? 0 : st.st_size;
}

static int mapErrno(int e) {
    switch (e) {
    case ENOENT: return (int)0xC0000034;
    case EEXIST: return (int)0xC0000035;
    case EACCES:
    case EPERM: return (int)0xC0000022;
    case ENOTDIR: return (int)0xC000003A;
    case EISDIR: return (int)0xC00000BA;
    case ENOSPC: return (int)0xC000007F;
    default: return (int)0xC0000001;
    }
}

static void serviceCall(uc_engine *engine, void *user);

static void hookSyscall(uc_engine *engine, void *user) {
    (void)engine;
    (void)user;
    inSyscall = 1;
    serviceCall(engine, user);
    inSyscall = 0;
}

static void serviceCall(uc_engine *engine, void *user) {
    (void)engine;
    (void)user;
    u32 number = (u32)reg(UC_X86_REG_RAX);
    Thread *th = &threads[currentThread];
    u64 status = 0;
    if (tracing)
        fprintf(stderr, "guestrun: [%u] service %#x (%llx, %llx, %llx, %llx, %llx) from %llx\n", th->id, number,
            (unsigned long long)arg(1), (unsigned long long)arg(2), (unsigned long long)arg(3),
            (unsigned long long)arg(4), (unsigned long long)arg(5), (unsigned long long)rd64(reg(UC_X86_REG_RSP)));
    switch (number) {
    case XCDB_SYSCALL_NtClose: {
        u64 h = arg(1);
        if (h & 3 || h / 4 >= 8192 || !handleTable[h / 4]) {
            status = 0xC0000008;
            break;
        }
        int o = handleTable[h / 4] - 1;
        handleTable[h / 4] = 0;
        dropObject(o);
        break;
    }
    case XCDB_SYSCALL_NtTerminateProcess:
        if (arg(1) == (u64)-1 || arg(1) == 0) {
            processExited = 1;
            processExitStatus = (u32)arg(2);
            for (int i = 0; i < threadCount; i++) threads[i].state = T_DONE;
            uc_emu_stop(uc);
            return;
        }
        status = 0xC0000008;
        break;
    case XCDB_SYSCALL_NtTerminateThread: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_THREAD) {
            status = 0xC0000008;
            break;
        }
        exitThread(objects[o].thread, (u32)arg(2));
        if (objects[o].thread == currentThread) {
            uc_emu_stop(uc);
            return;
        }
        break;
    }
    case XCDB_SYSCALL_NtCreateThreadEx: {
        u64 teb;
        if (!createThread(arg(5), arg(6), (int)(arg(7) & 1), &teb)) {
            status = 0xC0000017;
            break;
        }
        wr64(arg(1), newHandle(threads[threadCount - 1].object));
        break;
    }
    case XCDB_SYSCALL_NtQueryInformationProcess:
        if (arg32(2) == 0) {
            u8 info[48] = {0};
            *(u32 *)info = processExited ? processExitStatus : 0x103;
            *(u64 *)(info + 8) = peb;
            *(u64 *)(info + 32) = 4;
            wr(arg(3), info, 48);
            if (arg(5)) wr32(arg(5), 48);
        } else {
            status = 0xC0000003;
        }
        break;
    case XCDB_SYSCALL_NtQueryInformationThread: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_THREAD) {
            status = 0xC0000008;
            break;
        }
        Thread *t = &threads[objects[o].thread];
        if (arg32(2) != 0) {
            status = 0xC0000003;
            break;
        }
        u8 info[48] = {0};
        *(u32 *)info = t->state == T_DONE ? t->exitStatus : 0x103;
        *(u64 *)(info + 8) = t->teb;
        *(u64 *)(info + 16) = 4;
        *(u64 *)(info + 24) = t->id;
        wr(arg(3), info, 48);
        if (arg(5)) wr32(arg(5), 48);
        break;
    }
    case XCDB_SYSCALL_NtSetInformationThread: break;
    case XCDB_SYSCALL_NtSuspendThread:
    case XCDB_SYSCALL_NtResumeThread: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_THREAD) {
            status = 0xC0000008;
            break;
        }
        Thread *t = &threads[objects[o].thread];
        if (arg(2)) wr32(arg(2), (u32)t->suspended);
        if (number == XCDB_SYSCALL_NtSuspendThread) t->suspended++;
        else if (t->suspended) t->suspended--;
        if (t == th && t->suspended) {
            setreg(UC_X86_REG_RAX, 0);
            uc_emu_stop(uc);
            return;
        }
        break;
    }
    case XCDB_SYSCALL_NtYieldExecution:
        setreg(UC_X86_REG_RAX, 0);
        uc_emu_stop(uc);
        return;
    case XCDB_SYSCALL_NtDelayExecution: {
        u64 deadline;
        if (arg(2) && (i64)rd64(arg(2)) == 0) {
            setreg(UC_X86_REG_RAX, 0);
            uc_emu_stop(uc);
            return;
        }
        th->hasDeadline = deadlineOf(arg(2), &deadline);
        th->deadline = deadline;
        block(W_DELAY);
        return;
    }
    case XCDB_SYSCALL_NtContinue: {
        u8 context[CTX_SIZE];
        if (!rdok(arg(1), context, CTX_SIZE)) {
            status = 0xC0000005;
            break;
        }
        loadContext(context);
        if (tracing)
            fprintf(stderr, "guestrun: continue at %llx rsp %llx rbp %llx rax %llx\n",
                (unsigned long long)reg(UC_X86_REG_RIP) + 2, (unsigned long long)reg(UC_X86_REG_RSP),
                (unsigned long long)reg(UC_X86_REG_RBP), (unsigned long long)reg(UC_X86_REG_RAX));
        uc_emu_stop(uc);
        return;
    }
    case XCDB_SYSCALL_NtRaiseException: {
        u8 record[0x98], context[CTX_SIZE];
        if (!rdok(arg(1), record, 0x98) || !rdok(arg(2), context, CTX_SIZE)) {
            status = 0xC0000005;
            break;
        }
        u32 code = *(u32 *)record;
        if (arg(3)) {
            if (code == 0x40010006) {
                /* DBG_PRINTEXCEPTION_C: a debugger prints it and continues. */
                if (debugging) {
                    u64 length = *(u64 *)(record + 0x20), text = *(u64 *)(record + 0x28);
                    char buffer[1024];
                    size_t n = length > 0 && length < sizeof(buffer) ? length - 1 : 0;
                    rd(text, buffer, n);
                    fprintf(stderr, "guestrun: debug output: %.*s", (int)n, buffer);
                    loadContext(context);
                    uc_emu_stop(uc);
                    return;
                }
            }
            if (getenv("GUESTRUN_TRACE"))
                fprintf(stderr, "guestrun: first chance %08x (raised)\n", code);
            deliver(context, record);
            return;
        }
        fprintf(stderr, "guestrun: second chance exception %08x\n", code);
        break;
    }
    case XCDB_SYSCALL_NtGetContextThread:
    case XCDB_SYSCALL_NtSetContextThread: status = 0xC0000002; break;
    case XCDB_SYSCALL_NtAllocateVirtualMemory: {
        u64 basePointer = arg(2), sizePointer = arg(4);
        u64 base = rd64(basePointer), size = rd64(sizePointer);
        u32 type = (u32)arg(5), protect = (u32)arg(6);
        if (!size) {
            status = 0xC00000F0;
            break;
        }
        Region *r = NULL;
        if (type & MEM_RESERVE) {
            u64 aligned = base & ~0xFFFFull;
            u64 length = ((base + size + PAGE - 1) & ~(PAGE - 1)) - aligned;
            if (!base) length = (size + 0xFFFF) & ~0xFFFFull;
            r = reserve(aligned, length, MEM_PRIVATE, (type & MEM_TOP_DOWN) != 0);
            if (!r) {
                status = base ? 0xC0000018 : 0xC0000017;
                break;
            }
            r->allocationProtect = protect;
            base = r->base;
            size = length;
        } else {
            r = regionAt(base);
            if (!r) {
                status = 0xC0000005;
                break;
            }
        }
        if (type & MEM_COMMIT) {
            u64 start = base & ~(PAGE - 1);
            u64 end = (base + size + PAGE - 1) & ~(PAGE - 1);
            if (!commit(r, start, end - start, protect)) {
                if (type & MEM_RESERVE) release(r);
                status = 0xC0000017;
                break;
            }
            if (!(type & MEM_RESERVE)) base = start, size = end - start;
        }
        wr64(basePointer, base);
        wr64(sizePointer, size);
        break;
    }
    case XCDB_SYSCALL_NtFreeVirtualMemory: {
        u64 base = rd64(arg(2)), size = rd64(arg(3));
        Region *r = regionAt(base);
        if (!r) {
            status = 0xC000009F;
            break;
        }
        if (arg(4) & MEM_RELEASE) {
            wr64(arg(2), r->base);
            wr64(arg(3), r->size);
            release(r);
        } else {
            u64 start = base & ~(PAGE - 1), end = size ? (base + size + PAGE - 1) & ~(PAGE - 1) : r->base + r->size;
            for (u64 p = start; p < end && p < r->base + r->size; p += PAGE)
                if (r->protect[(p - r->base) / PAGE]) {
                    r->protect[(p - r->base) / PAGE] = 0;
                    memoryUsed -= PAGE;
                    uc_mem_protect(uc, p, PAGE, UC_PROT_NONE);
                }
        }
        break;
    }
    case XCDB_SYSCALL_NtProtectVirtualMemory: {
        u64 base = rd64(arg(2)), size = rd64(arg(3));
        Region *r = regionAt(base);
        if (!r) {
            status = 0xC0000045;
            break;
        }
        u64 start = base & ~(PAGE - 1), end = (base + size + PAGE - 1) & ~(PAGE - 1);
        u32 old = r->protect[(start - r->base) / PAGE];
        for (u64 p = start; p < end && p < r->base + r->size; p += PAGE)
            if (r->protect[(p - r->base) / PAGE]) {
                r->protect[(p - r->base) / PAGE] = (u32)arg(4);
                uc_mem_protect(uc, p, PAGE, ucProt((u32)arg(4)));
            }
        if (arg(5)) wr32(arg(5), old);
        wr64(arg(2), start);
        wr64(arg(3), end - start);
        break;
    }
    case XCDB_SYSCALL_NtQueryVirtualMemory: {
        u64 address = arg(2);
        u8 info[48] = {0};
        Region *r = regionAt(address);
        u64 page = address & ~(PAGE - 1);
        if (!r) {
            /* Free: up to the next region. */
            u64 next = 0x7FFFFFFF0000ull;
            for (int i = 0; i < regionCount; i++)
                if (regions[i].base > page && regions[i].base < next) next = regions[i].base;
            *(u64 *)info = page;
            *(u64 *)(info + 24) = next - page;
            *(u32 *)(info + 32) = MEM_FREE;
            *(u32 *)(info + 36) = PAGE_NOACCESS;
        } else {
            u64 i = (page - r->base) / PAGE;
            u32 p = r->protect[i];
            u64 end = page;
            while (end < r->base + r->size && r->protect[(end - r->base) / PAGE] == p) end += PAGE;
            *(u64 *)info = page;
            *(u64 *)(info + 8) = r->base;
            *(u32 *)(info + 16) = r->allocationProtect ? r->allocationProtect : PAGE_EXECUTE_WRITECOPY;
            *(u64 *)(info + 24) = end - page;
            *(u32 *)(info + 32) = p ? MEM_COMMIT : MEM_RESERVE;
            *(u32 *)(info + 36) = p;
            *(u32 *)(info + 40) = r->type;
        }
        wr(arg(4), info, arg(5) < 48 ? arg(5) : 48);
        if (arg(6)) wr64(arg(6), 48);
        break;
    }
    case XCDB_SYSCALL_NtCreateEvent: {
        int o = newObject(H_EVENT);
        objects[o].manual = arg32(4) == 0;
        objects[o].signalled = (int)(arg(5) & 0xFF);
        wr64(arg(1), newHandle(o));
        break;
    }
    case XCDB_SYSCALL_NtSetEvent:
    case XCDB_SYSCALL_NtResetEvent:
    case XCDB_SYSCALL_NtPulseEvent: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_EVENT) {
            status = 0xC0000008;
            break;
        }
        if (arg(2)) wr32(arg(2), (u32)objects[o].signalled);
        objects[o].signalled = number == XCDB_SYSCALL_NtSetEvent || number == XCDB_SYSCALL_NtPulseEvent;
        if (number == XCDB_SYSCALL_NtPulseEvent) {
            /* Wake the waiters now, then reset. */
            for (int t = 0; t < threadCount; t++)
                if (threads[t].state == T_WAITING) {
                    i64 r = tryWait(t);
                    if (r >= 0) {
                        threads[t].state = T_RUNNABLE;
                        threads[t].resultRegister = (u64)r;
                    }
                }
            objects[o].signalled = 0;
        }
        break;
    }
    case XCDB_SYSCALL_NtCreateMutant: {
        int o = newObject(H_MUTANT);
        if (arg(4) & 0xFF) {
            objects[o].owner = (int)th->id;
            objects[o].count = 1;
        }
        wr64(arg(1), newHandle(o));
        break;
    }
    case XCDB_SYSCALL_NtReleaseMutant: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_MUTANT) {
            status = 0xC0000008;
            break;
        }
        if (objects[o].owner != (int)th->id) {
            status = 0xC0000046;
            break;
        }
        if (arg(2)) wr32(arg(2), (u32)objects[o].count);
        if (--objects[o].count == 0) objects[o].owner = 0;
        break;
    }
    case XCDB_SYSCALL_NtCreateSemaphore: {
        int o = newObject(H_SEMAPHORE);
        objects[o].count = (long)(int32_t)arg(4);
        objects[o].maximum = (long)(int32_t)arg(5);
        wr64(arg(1), newHandle(o));
        break;
    }
    case XCDB_SYSCALL_NtReleaseSemaphore: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_SEMAPHORE) {
            status = 0xC0000008;
            break;
        }
        long add = (long)(int32_t)arg(2);
        if (objects[o].count + add > objects[o].maximum) {
            status = 0xC0000047;
            break;
        }
        if (arg(3)) wr32(arg(3), (u32)objects[o].count);
        objects[o].count += add;
        break;
    }
    case XCDB_SYSCALL_NtWaitForSingleObject:
    case XCDB_SYSCALL_NtWaitForMultipleObjects: {
        int single = number == XCDB_SYSCALL_NtWaitForSingleObject;
        u64 count = single ? 1 : arg32(1);
        if (!count || count > 64) {
            status = 0xC000000D;
            break;
        }
        th->waitCount = (int)count;
        th->waitAll = single ? 0 : arg32(3) == 0;
        int bad = 0;
        for (u64 i = 0; i < count; i++) {
            u64 h = single ? arg(1) : rd64(arg(2) + i * 8);
            int o = objectOf(h);
            if (o < 0) bad = 1;
            else th->waitObjects[i] = o;
        }
        if (bad) {
            status = 0xC0000008;
            break;
        }
        u64 deadline = 0;
        th->hasDeadline = deadlineOf(single ? arg(3) : arg(5), &deadline);
        th->deadline = deadline;
        th->waitKind = W_OBJECTS;
        i64 r = tryWait(currentThread);
        if (r >= 0) {
            status = (u64)r;
            th->waitKind = W_NONE;
            break;
        }
        block(W_OBJECTS);
        return;
    }
    case XCDB_SYSCALL_NtWaitForAlertByThreadId: {
        if (th->alerted) {
            th->alerted = 0;
            status = 0x101;
            break;
        }
        u64 deadline = 0;
        th->hasDeadline = deadlineOf(arg(2), &deadline);
        th->deadline = deadline;
        block(W_ALERT);
        return;
    }
    case XCDB_SYSCALL_NtAlertThreadByThreadId: {
        status = 0xC000000B;
        for (int t = 0; t < threadCount; t++)
            if (threads[t].id == (u32)arg(1) && threads[t].state != T_DONE) {
                threads[t].alerted = 1;
                status = 0;
            }
        break;
    }
    case XCDB_SYSCALL_NtDuplicateObject: {
        int o = objectOf(arg(2));
        if (o < 0) {
            status = 0xC0000008;
            break;
        }
        if (arg(4)) wr64(arg(4), newHandle(o));
        if (arg(7) & 1) {
            u64 h = arg(2);
            if (!(h & 3) && h / 4 < 8192 && handleTable[h / 4]) {
                handleTable[h / 4] = 0;
                dropObject(o);
            }
        }
        break;
    }
    case XCDB_SYSCALL_NtCreateFile:
    case XCDB_SYSCALL_NtOpenFile: {
        int create = number == XCDB_SYSCALL_NtCreateFile;
        int err;
        char *path = hostPath(arg(3), &err);
        if (!path) {
            status = (u32)err;
            break;
        }
        u32 access = (u32)arg(2);
        u32 disposition = create ? (u32)arg(8) : 1;
        u32 options = create ? (u32)arg(9) : (u32)arg(6);
        struct stat st;
        int exists = stat(path, &st) == 0;
        int isDirectory = exists && S_ISDIR(st.st_mode);
        if ((options & 1) && create && disposition == 2) {
            /* create a directory */
            if (mkdir(path, 0755)) {
                status = (u32)mapErrno(errno);
                free(path);
                break;
            }
            isDirectory = 1;
            exists = 1;
        }
        int flags = 0;
        u64 information = 1; /* FILE_OPENED */
        switch (disposition) {
        case 0: /* supersede */
        case 5: flags = O_CREAT | O_TRUNC, information = exists ? 3 : 2; break; /* overwrite_if */
        case 1: /* open */
            if (!exists) {
                status = 0xC0000034;
            }
            break;
        case 2: /* create */
            if (exists && !isDirectory) status = 0xC0000035;
            flags = O_CREAT | O_EXCL;
            information = 2;
            break;
        case 3: flags = O_CREAT, information = exists ? 1 : 2; break; /* open_if */
        case 4: /* overwrite */
            if (!exists) status = 0xC0000034;
            flags = O_TRUNC;
            information = 3;
            break;
        }
        if (status) {
            free(path);
            break;
        }
        if (isDirectory && (options & 0x40)) {
            status = 0xC00000BA;
            free(path);
            break;
        }
        int fd = -1;
        if (!isDirectory) {
            int mode = (access & 0x40000006) && (access & 0x80000001) ? O_RDWR
                       : (access & 0x40000116)                       ? O_WRONLY
                                                                      : O_RDONLY;
            if (access & 0x10000000) mode = O_RDWR;
            if (flags & (O_CREAT | O_TRUNC)) mode = mode == O_RDONLY ? O_RDWR : mode;
            fd = open(path, mode | flags, 0644);
            if (fd < 0 && mode != O_RDONLY && (errno == EACCES || errno == EISDIR)) fd = open(path, O_RDONLY | flags, 0644);
            if (fd < 0) {
                status = (u32)mapErrno(errno);
                free(path);
                break;
            }
        }
        int o = newObject(H_FILE);
        objects[o].fd = fd;
        objects[o].path = path;
        objects[o].isDirectory = isDirectory;
        objects[o].deleteOnClose = (options & 0x1000) != 0;
        objects[o].append = (access & 0x4) && !(access & 0x2);
        wr64(arg(1), newHandle(o));
        wr64(arg(4), 0);
        wr64(arg(4) + 8, information);
        break;
    }
    case XCDB_SYSCALL_NtReadFile: {
        int o = objectOf(arg(1));
        if (o < 0) {
            status = 0xC0000008;
            break;
        }
        Object *ob = &objects[o];
        u64 length = arg(7) & 0xFFFFFFFF;
        u8 *buffer = malloc(length ? length : 1);
        ssize_t n;
        if (ob->kind == H_CONSOLE_IN) {
            n = read(0, buffer, length);
        } else if (ob->kind == H_FILE && ob->fd >= 0) {
            if (arg(8)) {
                i64 offset = (i64)rd64(arg(8));
                if (offset >= 0) ob->position = offset;
            }
            n = pread(ob->fd, buffer, length, ob->position);
            if (n > 0) ob->position += n;
        } else {
            free(buffer);
            status = 0xC0000008;
            break;
        }
        if (n < 0) status = 0xC0000185;
        else if (n == 0 && length) status = 0xC0000011;
        else if (!wrok(arg(6), buffer, (size_t)n)) status = 0xC0000005;
        free(buffer);
        wr64(arg(5), status);
        wr64(arg(5) + 8, n > 0 ? (u64)n : 0);
        break;
    }
    case XCDB_SYSCALL_NtWriteFile: {
        int o = objectOf(arg(1));
        if (o < 0) {
            status = 0xC0000008;
            break;
        }
        Object *ob = &objects[o];
        u64 length = arg(7) & 0xFFFFFFFF;
        u8 *buffer = malloc(length ? length : 1);
        if (!rdok(arg(6), buffer, length)) {
            free(buffer);
            status = 0xC0000005;
            break;
        }
        if (ob->kind == H_CONSOLE_OUT) {
            fflush(stdout);
            consoleWrite(ob->hostFd, buffer, length);
        } else if (ob->kind == H_FILE && ob->fd >= 0) {
            if (ob->append) ob->position = fileSize(ob);
            if (arg(8)) {
                i64 offset = (i64)rd64(arg(8));
                if (offset >= 0) ob->position = offset;
            }
            ssize_t n = pwrite(ob->fd, buffer, length, ob->position);
            if (n < 0) status = 0xC000007F;
            else ob->position += n;
        } else {
            status = 0xC0000008;
        }
        free(buffer);
        wr64(arg(5), status);
        wr64(arg(5) + 8, status ? 0 : length);
        break;
    }
    case XCDB_SYSCALL_NtQueryInformationFile: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_FILE) {
            status = o < 0 ? 0xC0000008 : 0xC0000010;
            break;
        }
        Object *ob = &objects[o];
        if (arg32(5) == 5) {
            u8 info[24] = {0};
            i64 size = ob->isDirectory ? 0 : fileSize(ob);
            *(i64 *)info = (size + 4095) & ~4095;
            *(i64 *)(info + 8) = size;
            *(u32 *)(info + 16) = 1;
            info[21] = (u8)ob->isDirectory;
            wr(arg(3), info, arg32(4) < 24 ? arg32(4) : 24);
        } else if (arg32(5) == 14) {
            wr64(arg(3), (u64)ob->position);
        } else {
            status = 0xC0000003;
        }
        break;
    }
    case XCDB_SYSCALL_NtSetInformationFile: {
        int o = objectOf(arg(1));
        if (o < 0 || objects[o].kind != H_FILE) {
            status = o < 0 ? 0xC0000008 : 0xC0000010;
            break;
        }
        Object *ob = &objects[o];
        u64 klass = arg32(5);
        if (klass == 14) {
            ob->position = (i64)rd64(arg(3));
        } else if (klass == 20) {
            if (ftruncate(ob->fd, (off_t)rd64(arg(3)))) status = 0xC000007F;
        } else if (klass == 13) {
            ob->deleteOnClose = rd16(arg(3)) & 0xFF;
        } else if (klass == 10) {
            /* FILE_RENAME_INFORMATION: ReplaceIfExists, RootDirectory, FileNameLength, FileName. */
            int replace = rd16(arg(3)) & 0xFF;
            u32 nameLength = rd32(arg(3) + 16);
            u8 attributes[48] = {0};
            u64 nameString = allocate(PAGE);
            wr16(nameString, (u16)nameLength);
            wr16(nameString + 2, (u16)nameLength);
            wr64(nameString + 8, arg(3) + 20);
            *(u64 *)(attributes + 16) = nameString;
            u64 attributesAt = nameString + 64;
            wr(attributesAt, attributes, 48);
            int err;
            char *target = hostPath(attributesAt, &err);
            Region *r = regionAt(nameString);
            if (r) release(r);
            if (!target) {
                status = (u32)err;
                break;
            }
            struct stat st;
            if (!replace && !stat(target, &st)) status = 0xC0000035;
            else if (rename(ob->path, target)) status = (u32)mapErrno(errno);
            else {
                free(ob->path);
                ob->path = target;
                target = NULL;
            }
            free(target);
        } else {
            status = 0xC0000003;
        }
        break;
    }
    case XCDB_SYSCALL_NtQueryAttributesFile: {
        int err;
        char *path = hostPath(arg(1), &err);
        if (!path) {
            status = (u32)err;
            break;
        }
        struct stat st;
        if (stat(path, &st)) status = (u32)mapErrno(errno);
        else {
            u8 info[40] = {0};
            *(u32 *)(info + 32) = S_ISDIR(st.st_mode) ? 0x10 : 0x20;
            wr(arg(2), info, 40);
        }
        free(path);
        break;
    }
    case XCDB_SYSCALL_NtDeleteFile: {
        int err;
        char *path = hostPath(arg(1), &err);
        if (!path) {
            status = (u32)err;
            break;
        }
        struct stat st;
        if (stat(path, &st)) status = (u32)mapErrno(errno);
        else if (S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path)) status = (u32)mapErrno(errno);
        free(path);
        break;
    }
    case XCDB_SYSCALL_NtFlushBuffersFile: break;
    case XCDB_SYSCALL_NtQueryVolumeInformationFile: {
        int o = objectOf(arg(1));
        if (o < 0) {
            status = 0xC0000008;
            break;
        }
        if (arg32(5) != 4) {
            status = 0xC0000003;
            break;
        }
        int kind = objects[o].kind;
        if (kind != H_FILE && kind != H_CONSOLE_IN && kind != H_CONSOLE_OUT) {
            status = 0xC0000024;
            break;
        }
        wr32(arg(3), kind == H_FILE ? 7 : 0x50);
        wr32(arg(3) + 4, 0);
        break;
    }
    case XCDB_SYSCALL_NtQuerySystemTime: wr64(arg(1), 134124480000000000ull + nowTicks()); break;
    case XCDB_SYSCALL_NtQueryPerformanceCounter:
        if (arg(1)) wr64(arg(1), nowTicks());
        if (arg(2)) wr64(arg(2), 10000000);
        break;
    case XCDB_SYSCALL_NtQuerySystemInformation: {
        u8 info[64] = {0};
        *(u32 *)(info + 8) = 0x1000;
        *(u32 *)(info + 12) = (u32)(memoryCap / PAGE);
        *(u32 *)(info + 24) = 0x10000;
        *(u64 *)(info + 32) = 0x10000;
        *(u64 *)(info + 40) = 0x7FFFFFFEFFFFull;
        *(u64 *)(info + 48) = 1;
        info[56] = 1;
        wr(arg(2), info, arg32(3) < 64 ? arg32(3) : 64);
        if (arg(4)) wr32(arg(4), 64);
        break;
    }
    case XCDB_SYSCALL_NtXcdbLoadDll: {
        u64 name = arg(1);
        u16 length = rd16(name);
        u64 buffer = rd64(name + 8);
        char text[300];
        size_t n = length / 2 < 299 ? length / 2 : 299;
        for (size_t i = 0; i < n; i++) text[i] = (char)rd16(buffer + i * 2);
        text[n] = 0;
        char *base = strrchr(text, '\\');
        Image *image = loadImage(base ? base + 1 : text, 0);
        if (!image) status = 0xC0000135;
        else wr64(arg(2), image->base);
        break;
    }
    default:
        fprintf(stderr, "guestrun: unknown system service %#x\n", number);
        status = 0xC000001C;
        break;
    }
    setreg(UC_X86_REG_RAX, status);
}

/* ---------------------------------------------------------------- faults ---- */

static int faultPending;
static u64 faultAddress;
static int faultKind; /* 0 read, 1 write, 8 execute */

static bool hookMemory(uc_engine *engine, uc_mem_type type, u64 address, int size, i64 value, void *user) {
    (void)engine;
    (void)size;
    (void)value;
    (void)user;
    faultPending = 1;
    faultAddress = address;
    faultKind = (type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT) ? 1
                : (type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT) ? 8
                                                                                : 0;
    return false;
}

static void hookInterrupt(uc_engine *engine, u32 number, void *user) {
    (void)engine;
    (void)user;
    u64 rip = reg(UC_X86_REG_RIP);
    switch (number) {
    case 3:
        /* rip is after the int3 */
        if (debugging) {
            fprintf(stderr, "guestrun: break instruction exception at %llx\n", (unsigned long long)(rip - 1));
            return; /* the debugger's "g": go on after it */
        }
        raiseHardware(0x80000003, rip - 1, 1, 0, 0);
        break;
    case 0: raiseHardware(0xC0000094, rip, 0, 0, 0); break;
    case 6: raiseHardware(0xC000001D, rip, 0, 0, 0); break;
    case 1: raiseHardware(0x80000004, rip, 0, 0, 0); break;
    case 0x29:
        fprintf(stderr, "guestrun: __fastfail(%llu)\n", (unsigned long long)reg(UC_X86_REG_RCX));
        processExited = 1;
        processExitStatus = 0xC0000409;
        uc_emu_stop(uc);
        break;
    case 13: raiseHardware(0xC0000096, rip, 0, 0, 0); break;
    default:
        fprintf(stderr, "guestrun: interrupt %u at %llx\n", number, (unsigned long long)rip);
        raiseHardware(0xC0000005, rip, 2, 0, (u64)-1);
        break;
    }
}

/* -c: every instruction counted exactly (slow), reported at the end. */
static u64 counted;
static void hookCount(uc_engine *engine, u64 address, u32 size, void *user) {
    (void)engine;
    (void)address;
    (void)user;
    (void)size;
    counted++;
}

/* ---------------------------------------------------------------- process ---- */

static void setupProcess(int argc, char **argv) {
    /* KUSER_SHARED_DATA */
    Region *shared = reserve(0x7FFE0000, PAGE, MEM_PRIVATE, 0);
    commit(shared, 0x7FFE0000, PAGE, PAGE_READONLY);
    wr32(0x7FFE0004, 0x0FA00000);
    wr32(0x7FFE026C, 10);
    wr32(0x7FFE0270, 0);
    for (int f = 0; f < 64; f++) wr8(0x7FFE0274 + f, (f == 6 || f == 10 || f == 23) ? 1 : 0);
    wr32(0x7FFE02E8, (u32)(memoryCap / PAGE));

    loaderArena = allocate(0x100000);
    peb = allocate(PAGE);
    ldrData = arena(0x58);
    wr32(ldrData, 0x58);
    for (u64 head = 0x10; head <= 0x30; head += 0x10) {
        wr64(ldrData + head, ldrData + head);
        wr64(ldrData + head + 8, ldrData + head);
    }
    wr64(peb + 0x18, ldrData);
    wr8(peb + 2, (u8)debugging);
    wr64(peb + 0x08, (u64)-1);
    wr32(peb + 0xB8, 1);
    wr32(peb + 0x118, 10);
    wr32(peb + 0x11C, 0);
    wr16(peb + 0x120, 19045);
    wr32(peb + 0x124, 2);
    wr32(peb + 0x128, 3);

    /* Images: ntdll first, then the program and what it imports. */
    Image *ntdll = loadImage("ntdll.dll", 0);
    if (!ntdll) fail("ntdll.dll not found in %s", dllDirectory);
    ntdllBase = ntdll->base;
    ldrInitializeThunk = exportOf(ntdll, "LdrInitializeThunk", 0, 0);
    userThreadStart = exportOf(ntdll, "RtlUserThreadStart", 0, 0);
    kiUserExceptionDispatcher = exportOf(ntdll, "KiUserExceptionDispatcher", 0, 0);
    if (!ldrInitializeThunk || !userThreadStart || !kiUserExceptionDispatcher) fail("ntdll lacks its entry points");
    Image *program = loadImage(argv[0], 1);
    if (!program) fail("cannot load %s", argv[0]);
    wr64(peb + 0x10, program->base);
    /* The program first in load order. */
    u64 entry = program->ldrEntry;
    for (u64 links = 0; links <= 0x10; links += 0x10) {
        u64 node = entry + links, head = ldrData + 0x10 + links;
        u64 f = rd64(node), b = rd64(node + 8);
        wr64(b, f);
        wr64(f + 8, b);
        u64 first = rd64(head);
        wr64(node, first);
        wr64(node + 8, head);
        wr64(first + 8, node);
        wr64(head, node);
    }

    /* Process parameters. */
    u64 params = allocate(PAGE);
    wr32(params, 0x400);
    wr32(params + 4, 0x400);
    wr32(params + 8, 1);
    char line[8192] = "\"C:\\sandbox\\program.exe\"";
    size_t used = strlen(line);
    for (int i = 1; i < argc; i++) {
        int quote = !*argv[i] || strpbrk(argv[i], " \t\"");
        used += (size_t)snprintf(line + used, sizeof(line) - used, quote ? " \"%s\"" : " %s", argv[i]);
    }
    putUnicodeString(params + 0x60, "C:\\sandbox\\program.exe");
    putUnicodeString(params + 0x70, line);
    u64 cwd = arena(520);
    const char *dir = "C:\\sandbox\\";
    for (size_t i = 0; i <= strlen(dir); i++) wr16(cwd + i * 2, (u8)dir[i]);
    wr16(params + 0x38, (u16)(strlen(dir) * 2));
    wr16(params + 0x3A, 520);
    wr64(params + 0x40, cwd);
    const char *environment[] = {"=C:=C:\\sandbox", "PATH=C:\\xcdb", "TEMP=C:\\sandbox", "TMP=C:\\sandbox",
        "USERNAME=guest", "GUESTRUN=1", NULL};
    u64 block = arena(PAGE);
    u64 at = block;
    for (int i = 0; environment[i]; i++) {
        for (size_t k = 0; k <= strlen(environment[i]); k++) wr16(at + k * 2, (u8)environment[i][k]);
        at += (strlen(environment[i]) + 1) * 2;
    }
    wr16(at, 0);
    wr64(params + 0x80, block);
    wr64(params + 0x3F0, at + 2 - block);
    int in = newObject(H_CONSOLE_IN), out = newObject(H_CONSOLE_OUT), err = newObject(H_CONSOLE_OUT);
    objects[out].hostFd = 1;
    objects[err].hostFd = 2;
    wr64(params + 0x20, newHandle(in));
    wr64(params + 0x28, newHandle(out));
    wr64(params + 0x30, newHandle(err));
    wr64(peb + 0x20, params);
    processObject = newObject(H_PROCESS);
    if (!createThread(program->entry, peb, 0, NULL)) fail("cannot create the first thread");
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-d")) debugging = 1;
        else if (!strcmp(argv[i], "-s") && i + 1 < argc) sandbox = argv[++i];
        else if (!strcmp(argv[i], "-L") && i + 1 < argc) dllDirectory = argv[++i];
        else if (!strcmp(argv[i], "-q") && i + 1 < argc) quantum = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) limit = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-c")) counting = 1;
        else fail("usage: guestrun [-d] [-c] [-s SANDBOX] [-L DLLDIR] [-q QUANTUM] [-n LIMIT] PROGRAM.exe [ARGS...]");
    }
    if (i >= argc) fail("no program");
    tracing = getenv("GUESTRUN_TRACE") != NULL;
    snprintf(programDirectory, sizeof(programDirectory), "%s", argv[i]);
    char *slash = strrchr(programDirectory, '/');
    if (slash) *slash = 0;
    else strcpy(programDirectory, ".");
    check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), "uc_open");
    uc_hook h1, h2, h3;
    check(uc_hook_add(uc, &h1, UC_HOOK_INSN, (void *)hookSyscall, NULL, 1, 0, UC_X86_INS_SYSCALL), "syscall hook");
    check(uc_hook_add(uc, &h2, UC_HOOK_MEM_INVALID, (void *)hookMemory, NULL, 1, 0), "memory hook");
    check(uc_hook_add(uc, &h3, UC_HOOK_INTR, (void *)hookInterrupt, NULL, 1, 0), "interrupt hook");
    if (counting) {
        uc_hook h4;
        check(uc_hook_add(uc, &h4, UC_HOOK_CODE, (void *)hookCount, NULL, 1, 0), "code hook");
    }
    setupProcess(argc - i, argv + i);

    /* The scheduler: round robin over runnable threads, a quantum of instructions each. */
    int next = 0;
    while (!processExited) {
        /* Wake waiters whose wait completed. */
        for (int t = 0; t < threadCount; t++)
            if (threads[t].state == T_WAITING) {
                i64 r = tryWait(t);
                if (r >= 0) {
                    threads[t].state = T_RUNNABLE;
                    threads[t].waitKind = W_NONE;
                    uc_context_restore(uc, threads[t].context);
                    setreg(UC_X86_REG_RAX, (u64)r);
                    uc_context_save(uc, threads[t].context);
                }
            }
        int chosen = -1;
        for (int k = 0; k < threadCount; k++) {
            int t = (next + k) % threadCount;
            if (threads[t].state == T_RUNNABLE && !threads[t].suspended) {
                chosen = t;
                break;
            }
        }
        if (chosen < 0) {
            /* Nobody can run: jump the clock to the earliest timeout, or report a deadlock. */
            u64 earliest = ~0ull;
            for (int t = 0; t < threadCount; t++)
                if (threads[t].state == T_WAITING && threads[t].hasDeadline && threads[t].deadline < earliest)
                    earliest = threads[t].deadline;
            if (earliest == ~0ull) {
                fprintf(stderr, "guestrun: every thread waits forever:");
                for (int t = 0; t < threadCount; t++)
                    if (threads[t].state == T_WAITING)
                        fprintf(stderr, " thread %u (%s)", threads[t].id,
                            threads[t].waitKind == W_ALERT ? "critical section" : "objects");
                fprintf(stderr, "\n");
                return 98;
            }
            instructions = earliest * 100;
            continue;
        }
        next = chosen + 1;
        currentThread = chosen;
        Thread *th = &threads[chosen];
        uc_context_restore(uc, th->context);
        /* KUSER_SHARED_DATA's clocks, as the executive keeps them. */
        u64 ticks = nowTicks();
        u64 systemTime = 134124480000000000ull + ticks;
        uc_mem_write(uc, 0x7FFE0008, &ticks, 8);
        wr32(0x7FFE0008 + 8, (u32)(ticks >> 32));
        uc_mem_write(uc, 0x7FFE0014, &systemTime, 8);
        wr32(0x7FFE0014 + 8, (u32)(systemTime >> 32));
        u64 tickCount = ticks / 156250; /* 15.625 ms ticks */
        wr64(0x7FFE0320, tickCount);
        wr32(0x7FFE0320 + 8, (u32)(tickCount >> 32));
        u64 rip = reg(UC_X86_REG_RIP);
        faultPending = 0;
        uc_err e = uc_emu_start(uc, rip, 0, 0, quantum);
        instructions += quantum; /* an approximation: the whole quantum counts */
        if (instructions > limit) {
            fprintf(stderr, "guestrun: instruction limit reached at %llx\n", (unsigned long long)reg(UC_X86_REG_RIP));
            for (int k = 0; k < 16; k++) fprintf(stderr, "  r%d=%llx", k, (unsigned long long)reg(gpr[k]));
            fprintf(stderr, "\n");
            return 97;
        }
        if (e != UC_ERR_OK) {
            u64 at = reg(UC_X86_REG_RIP);
            if (faultPending) {
                raiseHardware(0xC0000005, at, 2, (u64)faultKind, faultAddress);
            } else if (e == UC_ERR_INSN_INVALID) {
                raiseHardware(0xC000001D, at, 0, 0, 0);
            } else {
                fprintf(stderr, "guestrun: emulation error at %llx: %s\n", (unsigned long long)at, uc_strerror(e));
                return 99;
            }
        }
        uc_context_save(uc, th->context);
    }
    fflush(stdout);
    /* The whole code (an exit status keeps only its low 8 bits). */
    fprintf(stderr, "guestrun: exit code 0x%08x\n", processExitStatus);
    if (counting) fprintf(stderr, "guestrun: %llu instructions\n", (unsigned long long)counted);
    return (int)processExitStatus;
}
