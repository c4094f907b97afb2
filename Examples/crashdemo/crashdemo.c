/* crashdemo: the program behind xcdb's bundled example dump.
 *
 * A tiny order processor: it stocks an inventory (a hash table of items), then applies today's
 * orders. One order names an item that is not stocked, find_item returns NULL, and
 * reserve_stock writes through that NULL pointer: an access violation writing address 0xc,
 * four calls below the entry point.
 *
 * Built by ../build.sh with clang-cl and lld-link for Windows x64, without the Windows SDK or
 * a C runtime (no imports, our own mainCRTStartup). The functions on the crashing stack have
 * real prologues: reserve_stock, process_orders and main save non-volatile registers and
 * allocate stack; apply_order keeps a variable-length array, so it also sets up rbp as a frame
 * pointer. Only their .pdata unwind information tells a debugger where each caller's frame is.
 */

struct item {
    const char *name;
    unsigned in_stock;
    unsigned reserved; /* offset 0xc: the address of the faulting write */
    struct item *next;
};

#define BUCKETS 8

struct inventory {
    struct item *buckets[BUCKETS];
    unsigned count;
};

struct order {
    const char *item_name;
    unsigned quantity;
};

struct summary {
    unsigned orders;
    unsigned lookups;
    unsigned units;
};

struct inventory stock;
struct item items[4];
int exit_code;

const char *const stocked_names[] = {"widget", "gadget", "sprocket", "gear"};
const unsigned stocked_counts[] = {12, 5, 40, 7};

/* Names are matched after lower-casing and dropping spaces; "gizmo" is not stocked. */
const struct order todays_orders[] = {
    {"Widget", 3}, {"gear ", 2}, {"SPROCKET", 10}, {"gizmo", 1}, {"gadget", 4},
};

#define ORDER_COUNT (sizeof todays_orders / sizeof todays_orders[0])

unsigned hash_name(const char *name) {
    unsigned hash = 2166136261u; /* FNV-1a */
    while (*name) hash = (hash ^ (unsigned char)*name++) * 16777619u;
    return hash;
}

/* Returns the stocked item called `name`, or NULL when there is none. */
__declspec(noinline) struct item *find_item(struct inventory *inventory, const char *name) {
    struct item *item = inventory->buckets[hash_name(name) % BUCKETS];
    for (; item; item = item->next) {
        const char *a = item->name, *b = name;
        while (*a && *a == *b) a++, b++;
        if (*a == *b) return item;
    }
    return 0;
}

__declspec(noinline) void add_item(struct inventory *inventory, struct item *item,
                                   const char *name, unsigned count) {
    unsigned bucket = hash_name(name) % BUCKETS;
    item->name = name;
    item->in_stock = count;
    item->reserved = 0;
    item->next = inventory->buckets[bucket];
    inventory->buckets[bucket] = item;
    inventory->count++;
}

__declspec(noinline) void reserve_stock(struct inventory *inventory, const char *name,
                                        unsigned quantity, struct summary *summary) {
    struct item *item = find_item(inventory, name);
    summary->lookups++;
    item->reserved = quantity; /* the bug: no check for an item that is not stocked */
    summary->units += quantity;
}

__declspec(noinline) void apply_order(struct inventory *inventory, const struct order *order,
                                      struct summary *summary) {
    unsigned length = 0;
    while (order->item_name[length]) length++;
    char key[length + 1]; /* a variable-length array: this frame needs rbp */
    unsigned used = 0;
    for (unsigned i = 0; i < length; i++) {
        char c = order->item_name[i];
        if (c == ' ') continue;
        key[used++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    key[used] = 0;
    reserve_stock(inventory, key, order->quantity, summary);
    summary->orders++;
}

__declspec(noinline) unsigned process_orders(struct inventory *inventory,
                                             const struct order *orders, unsigned count) {
    struct summary summary = {0, 0, 0};
    for (unsigned i = 0; i < count; i++) apply_order(inventory, &orders[i], &summary);
    return summary.orders == count ? summary.units : 0;
}

__declspec(noinline) int main(void) {
    for (unsigned i = 0; i < 4; i++)
        add_item(&stock, &items[i], stocked_names[i], stocked_counts[i]);
    unsigned units = process_orders(&stock, todays_orders, ORDER_COUNT);
    return units == 0 ? 1 : 0;
}

/* The entry point (a C runtime would call main from here, then ExitProcess). */
int mainCRTStartup(void) {
    exit_code = main();
    return exit_code;
}
