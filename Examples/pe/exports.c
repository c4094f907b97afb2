/* A tiny CRT-free DLL for PEFormat tests: named, ordinal-only, data and forwarded exports
   (see exports.def), a few functions with stack frames so .pdata has entries, and an import
   of its own sibling's symbols is done by importer.c. */

int exported_data = 42;

__declspec(noinline) static int helper(volatile int *values, int count) {
    int sum = 0;
    for (int i = 0; i < count; i++) sum += values[i];
    return sum;
}

int add_numbers(int a, int b) { return a + b; }

int sum_array(int count) {
    volatile int buffer[64];
    for (int i = 0; i < 64; i++) buffer[i] = i * count;
    return helper(buffer, count < 64 ? count : 64);
}

int by_ordinal_only(int x) { return x * 3; }

int call_helper(int x) {
    volatile int values[4] = {x, x + 1, x + 2, x + 3};
    return helper(values, 4) + 1;
}

int large_frame(int seed) {
    volatile char page[8192];
    for (int i = 0; i < 8192; i += 64) page[i] = (char)(seed + i);
    return page[seed & 8191];
}
