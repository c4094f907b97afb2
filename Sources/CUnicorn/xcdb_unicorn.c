#include "xcdb_unicorn.h"

typedef int (*ctl_function)(void *engine, int control, ...);
typedef int (*hook_add_function)(void *engine, size_t *hook, int type, void *callback,
                                 void *user_data, uint64_t begin, uint64_t end, ...);

int xcdb_uc_ctl2(void *function, void *engine, int control, uint64_t a, uint64_t b) {
    return ((ctl_function)function)(engine, control, a, b);
}

int xcdb_uc_ctl1(void *function, void *engine, int control, int value) {
    return ((ctl_function)function)(engine, control, value);
}

int xcdb_uc_ctl0(void *function, void *engine, int control) {
    return ((ctl_function)function)(engine, control);
}

int xcdb_uc_hook_add(void *function, void *engine, size_t *hook, int type, void *callback,
                     void *user_data, uint64_t begin, uint64_t end) {
    return ((hook_add_function)function)(engine, hook, type, callback, user_data, begin, end);
}

int xcdb_uc_hook_add_instruction(void *function, void *engine, size_t *hook, void *callback,
                                 void *user_data, uint64_t begin, uint64_t end, int instruction) {
    // UC_HOOK_INSN = 2; the instruction id is read as a variadic int.
    return ((hook_add_function)function)(engine, hook, 2, callback, user_data, begin, end,
                                         instruction);
}

static inline uint64_t slot(const xcdb_clock *clock, uint64_t address) {
    return (address ^ (address >> 13)) & clock->mask;
}

void xcdb_clock_block_hook(void *engine, uint64_t address, uint32_t size, void *user_data) {
    xcdb_clock *clock = (xcdb_clock *)user_data;
    if (atomic_load_explicit(&clock->break_requested, memory_order_relaxed)) {
        clock->stop_reason = XCDB_CLOCK_BREAK;
        clock->stop_address = address;
        clock->last = 0;
        clock->emu_stop(engine);
        return;
    }
    xcdb_block *entry = &clock->table[slot(clock, address)];
    uint32_t count;
    if (entry->address == address && entry->size == size && entry->count != 0) {
        count = entry->count;
    } else {
        count = clock->lookup(clock->lookup_context, address, size);
        if (count == 0) {
            clock->stop_reason = XCDB_CLOCK_NOT_EXECUTABLE;
            clock->stop_address = address;
            clock->last = 0;
            clock->emu_stop(engine);
            return;
        }
        entry->address = address;
        entry->size = size;
        entry->count = count;
    }
    if (clock->executed != 0 && clock->executed + count > clock->budget) {
        clock->stop_reason = XCDB_CLOCK_BUDGET;
        clock->stop_address = address;
        clock->last = 0;
        clock->emu_stop(engine);
        return;
    }
    clock->executed += count;
    clock->last = entry;
}

void xcdb_clock_code_hook(void *engine, uint64_t address, uint32_t size, void *user_data) {
    (void)address;
    (void)size;
    xcdb_clock *clock = (xcdb_clock *)user_data;
    if (clock->stop_before_next) {
        clock->stop_before_next = 0;
        clock->stop_reason = XCDB_CLOCK_AFTER_ACCESS;
        clock->emu_stop(engine);
    }
}

void xcdb_clock_forget(xcdb_clock *clock, uint64_t begin, uint64_t end) {
    for (uint64_t index = 0; index <= clock->mask; index++) {
        xcdb_block *entry = &clock->table[index];
        if (entry->count != 0 && entry->address < end &&
            entry->address + entry->size > begin) {
            entry->count = 0;
        }
    }
}

void xcdb_clock_request_break(xcdb_clock *clock) {
    atomic_store_explicit(&clock->break_requested, 1, memory_order_relaxed);
}

int xcdb_clock_take_break(xcdb_clock *clock) {
    return atomic_exchange_explicit(&clock->break_requested, 0, memory_order_relaxed);
}

int xcdb_clock_break_pending(xcdb_clock *clock) {
    return atomic_load_explicit(&clock->break_requested, memory_order_relaxed);
}
