// What Swift cannot do itself when it talks to Unicorn 2 through `dlopen`:
//
// * call Unicorn's variadic entry points (`uc_ctl`, `uc_hook_add` with an instruction id) with
//   the C variadic calling convention, given the function pointer `dlsym` returned;
// * run the per-block instruction clock. Every translated block of guest code calls the block
//   hook, so it must cost a few nanoseconds: it is plain C working on `xcdb_clock`, and calls
//   back into Swift only the first time it meets a block.
//
// Nothing here includes Unicorn's headers or links libunicorn: the package builds without it.
#ifndef XCDB_UNICORN_H
#define XCDB_UNICORN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `uc_ctl(uc, control, a, b)`: the two-argument controls (`UC_CTL_TB_REMOVE_CACHE`,
/// `UC_CTL_UC_EXITS`).
int xcdb_uc_ctl2(void *function, void *engine, int control, uint64_t a, uint64_t b);
/// `uc_ctl(uc, control, value)`: the one-argument integer controls (`UC_CTL_UC_USE_EXITS`).
int xcdb_uc_ctl1(void *function, void *engine, int control, int value);
/// `uc_ctl(uc, control)`: controls without arguments (`UC_CTL_TB_FLUSH`).
int xcdb_uc_ctl0(void *function, void *engine, int control);
/// `uc_hook_add` for every hook type but `UC_HOOK_INSN`.
int xcdb_uc_hook_add(void *function, void *engine, size_t *hook, int type, void *callback,
                     void *user_data, uint64_t begin, uint64_t end);
/// `uc_hook_add(..., UC_HOOK_INSN, ..., instruction)`.
int xcdb_uc_hook_add_instruction(void *function, void *engine, size_t *hook, void *callback,
                                 void *user_data, uint64_t begin, uint64_t end, int instruction);

/// Why the block hook stopped the emulation.
enum {
    XCDB_CLOCK_RUNNING = 0,
    /// The slice's instruction budget is spent.
    XCDB_CLOCK_BUDGET = 1,
    /// Another thread asked for a break.
    XCDB_CLOCK_BREAK = 2,
    /// The block lies in memory that may not be executed (the lookup returned 0).
    XCDB_CLOCK_NOT_EXECUTABLE = 3,
    /// A data breakpoint's access finished (see `stop_before_next`).
    XCDB_CLOCK_AFTER_ACCESS = 4,
};

/// One remembered block: where it starts, its size in bytes, how many instructions it holds.
typedef struct xcdb_block {
    uint64_t address;
    uint32_t size;
    uint32_t count;
} xcdb_block;

/// The instruction clock of one emulator. Swift owns it; the block hook updates it.
typedef struct xcdb_clock {
    /// Set (with `xcdb_clock_request_break`) from any thread; cleared by the owner.
    _Atomic int break_requested;
    /// Instructions counted in the current slice (blocks entered, whole).
    uint64_t executed;
    /// The slice stops before a block that would take `executed` past this (a first block
    /// always runs, so a slice always makes progress).
    uint64_t budget;
    /// The last block counted in this slice (a stop in the middle of it means only part of it
    /// ran); NULL when none, or when the hook itself stopped the slice before a block.
    const xcdb_block *last;
    /// `XCDB_CLOCK_*`: why the hook stopped the emulation.
    int stop_reason;
    /// For every stop the block hook makes (budget, break, not executable): the address of the
    /// block that did not run, which is where the thread resumes. Unicorn 2.0 puts `rip` back
    /// there itself only while no `UC_HOOK_CODE` hook exists (cpu-exec.c, `cpu_tb_exec`); with
    /// one (any code breakpoint) `rip` is left wherever it was last written, which may be a
    /// block run long before.
    uint64_t stop_address;
    /// Set by a memory hook: stop before the next instruction (`xcdb_clock_code_hook`), so the
    /// instruction that touched a data breakpoint completes first. (Unicorn 2.0 checks for a
    /// stop right after each memory access, in the middle of the instruction.)
    int stop_before_next;
    /// Unicorn's `uc_emu_stop` and the engine.
    int (*emu_stop)(void *engine);
    void *engine;
    /// Remembered blocks, a direct-mapped table of `mask + 1` entries.
    xcdb_block *table;
    uint64_t mask;
    /// Called for a block not in the table: its instruction count, or 0 when it may not run.
    uint32_t (*lookup)(void *context, uint64_t address, uint32_t size);
    void *lookup_context;
} xcdb_clock;

/// The `UC_HOOK_BLOCK` callback; its user data is the `xcdb_clock`.
void xcdb_clock_block_hook(void *engine, uint64_t address, uint32_t size, void *clock);
/// A `UC_HOOK_CODE` callback over all code while data breakpoints exist (its user data is the
/// `xcdb_clock`): it stops before an instruction when `stop_before_next` is set.
void xcdb_clock_code_hook(void *engine, uint64_t address, uint32_t size, void *clock);
/// Forgets remembered blocks that overlap [begin, end).
void xcdb_clock_forget(xcdb_clock *clock, uint64_t begin, uint64_t end);
/// Thread-safe: asks the running emulation to stop at the next block.
void xcdb_clock_request_break(xcdb_clock *clock);
/// Clears a break request; returns whether one was pending.
int xcdb_clock_take_break(xcdb_clock *clock);
/// Whether a break is pending (does not clear it).
int xcdb_clock_break_pending(xcdb_clock *clock);

#ifdef __cplusplus
}
#endif
#endif
