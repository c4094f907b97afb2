/* Recursion: Fibonacci, Ackermann (small), towers of Hanoi, a recursive descent parser. */
#include <stdio.h>

static long long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ackermann(int m, int n) {
    if (!m) return n + 1;
    if (!n) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int moves;
static void hanoi(int n, char from, char to, char via) {
    if (!n) return;
    hanoi(n - 1, from, via, to);
    moves++;
    if (n == 4) printf("move disk 4 %c->%c\n", from, to);
    hanoi(n - 1, via, to, from);
}

static const char *input;
static int expression(void);
static int factor(void) {
    if (*input == '(') {
        input++;
        int v = expression();
        input++;
        return v;
    }
    int v = 0;
    while (*input >= '0' && *input <= '9') v = v * 10 + (*input++ - '0');
    return v;
}
static int term(void) {
    int v = factor();
    while (*input == '*' || *input == '/') {
        char op = *input++;
        int w = factor();
        v = op == '*' ? v * w : v / w;
    }
    return v;
}
static int expression(void) {
    int v = term();
    while (*input == '+' || *input == '-') {
        char op = *input++;
        int w = term();
        v = op == '+' ? v + w : v - w;
    }
    return v;
}

int main(void) {
    for (int i = 0; i <= 20; i += 5) printf("fib(%d) = %lld\n", i, fib(i));
    printf("ackermann(2, 3) = %d\n", ackermann(2, 3));
    printf("ackermann(3, 3) = %d\n", ackermann(3, 3));
    hanoi(6, 'A', 'C', 'B');
    printf("hanoi(6) took %d moves\n", moves);
    const char *expressions[] = {"1+2*3", "(1+2)*3", "100/(2+3)-4", "((7))", "2*(3+4)*(5-1)"};
    for (int i = 0; i < 5; i++) {
        input = expressions[i];
        printf("%s = %d\n", expressions[i], expression());
    }
    return 0;
}
