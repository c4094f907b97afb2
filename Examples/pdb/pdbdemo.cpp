// pdbdemo: the program behind xcdb's PDB tests.
//
// The tests build it with clang-cl and lld-link (/Z7, /debug) three ways: x64 without
// optimization (run under Unicorn to a crash, so dv, kp, dt and ?? read real values), x64
// optimized (locals in registers: S_DEFRANGE_REGISTER) and x86. They compare what xcdb reads
// from the PDBs with llvm-pdbutil. No Windows SDK or C runtime: no imports, our own entry point.
//
// The crash: inspect() writes through a null pointer inside a nested block, three calls below
// the entry point, with parameters and locals of most kinds of type in scope.

namespace geometry {
struct Point {
    int x;
    int y;
};

struct Rect {
    Point topLeft;
    Point bottomRight;
};
}  // namespace geometry

enum Color { Red, Green = 5, Blue };

enum class Mode : unsigned char { Off = 0, On = 1, Auto = 2 };

union Value {
    int integer;
    float real;
    unsigned char bytes[4];
};

struct Flags {
    unsigned ready : 1;
    unsigned level : 3;
    unsigned spare : 4;
    int offset : 5;
};

struct Node {
    const char *name;
    int weight;
    Node *next;
    Value value;
    Flags flags;
    Color color;
    Mode mode;
    double ratio;
    short grid[2][3];
    geometry::Rect bounds;
    struct Tag {
        unsigned short code;
        char letter;
    } tag;
};

class Shape {
public:
    virtual int area() const { return 0; }
    int id;
    static int count;
};

class Square : public Shape {
public:
    int area() const override { return side * side; }
    int side;
};

class Named {
public:
    virtual const char *name() const { return "named"; }
    int serial;
};

// Two bases with virtual functions: a Label has two vtable pointers (`s -v` needs both).
class Label : public Shape, public Named {
public:
    int area() const override { return width; }
    const char *name() const override { return "label"; }
    int width;
};

template <typename T>
struct Pair {
    T first;
    T second;
};

extern "C" int _fltused = 0;

Node nodes[3] = {
    {"first", 10, &nodes[1], {7}, {1, 5, 0, -3}, Red, Mode::On, 0.5, {{1, 2, 3}, {4, 5, 6}},
     {{1, 2}, {30, 40}}, {0x41, 'a'}},
    {"second", 25, &nodes[2], {-1}, {0, 2, 15, 7}, Green, Mode::Auto, 2.25, {{7, 8, 9}, {10, 11, 12}},
     {{-5, -6}, {50, 60}}, {0x42, 'b'}},
    {"third", 40, nullptr, {0x01020304}, {1, 7, 3, -16}, Blue, Mode::Off, -1.0, {{0, 0, 0}, {0, 0, 1}},
     {{0, 0}, {1, 1}}, {0x43, 'c'}},
};

Pair<long long> totals = {100, -200};
int Shape::count = 2;
Square square;
static int hidden_counter = 17;
const wchar_t *greeting = L"hello";

__declspec(noinline) static int sum_weights(const Node *first, int limit) {
    int total = 0;
    for (const Node *node = first; node; node = node->next) {
        int weight = node->weight;
        if (weight > limit) {
            int excess = weight - limit;
            total += excess;
        }
        total += weight;
    }
    return total;
}

__declspec(noinline) int inspect(Node *node, const wchar_t *label, geometry::Point where, Color color) {
    Flags local_flags = node->flags;
    Pair<short> pair = {3, 4};
    int *volatile null_pointer = nullptr;
    Mode mode = node->mode;
    unsigned long long big = 0x1122334455667788ull;
    const char *name = node->name;
    {
        int inner = where.x + where.y + pair.first + (int)color + local_flags.level;
        hidden_counter += inner + (int)mode + (int)big + (label ? 1 : 0) + (name ? 1 : 0);
        *null_pointer = inner;
    }
    return hidden_counter;
}

__declspec(noinline) int run(int steps) {
    int weights = sum_weights(&nodes[0], 20);
    geometry::Point where = {steps, weights};
    Shape *shape = &square;
    square.side = 6;
    return inspect(&nodes[1], L"second", where, Blue) + shape->area();
}

extern "C" int mainCRTStartup() {
    // Built here because no C runtime runs the globals' constructors: its vtable pointer is
    // set, so `s -v` can find it.
    Square built;
    built.side = 7;
    Shape *volatile keep = &built;
    Label label;
    label.width = 9;
    label.serial = 4;
    Named *volatile named = &label;
    return run(3) + keep->area() + (named->name() ? 1 : 0);
}
