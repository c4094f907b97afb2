/* qsort and bsearch with callbacks over integers, strings and structures (no equal keys, so
   the order is the same whatever the algorithm). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compareInts(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

static int compareDescending(const void *a, const void *b) { return compareInts(b, a); }

static int compareStrings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct person {
    char name[16];
    int age;
};

static int calls;
static int byAge(const void *a, const void *b) {
    calls++;
    return ((const struct person *)a)->age - ((const struct person *)b)->age;
}

int main(void) {
    int numbers[100];
    unsigned state = 12345;
    for (int i = 0; i < 100; i++) numbers[i] = i * 37 % 101 - 50; /* distinct */
    (void)state;
    qsort(numbers, 100, sizeof(int), compareInts);
    for (int i = 0; i < 100; i++) printf("%d%c", numbers[i], i % 20 == 19 ? '\n' : ' ');
    int key = 13;
    int *found = bsearch(&key, numbers, 100, sizeof(int), compareInts);
    printf("found %d at %d\n", key, found ? (int)(found - numbers) : -1);
    key = 1000;
    printf("1000 %s\n", bsearch(&key, numbers, 100, sizeof(int), compareInts) ? "found" : "absent");
    qsort(numbers, 100, sizeof(int), compareDescending);
    printf("descending: %d %d %d ... %d\n", numbers[0], numbers[1], numbers[2], numbers[99]);
    char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "kiwi", "lemon"};
    qsort(words, 10, sizeof(char *), compareStrings);
    for (int i = 0; i < 10; i++) printf("%s%s", words[i], i < 9 ? "," : "\n");
    struct person people[] = {{"ann", 31}, {"bob", 25}, {"cid", 47}, {"dee", 19}, {"eve", 38}, {"fay", 22}};
    qsort(people, 6, sizeof(people[0]), byAge);
    for (int i = 0; i < 6; i++) printf("%s:%d ", people[i].name, people[i].age);
    printf("\ncomparator called: %s\n", calls > 0 ? "yes" : "no");
    qsort(numbers, 0, sizeof(int), compareInts);
    qsort(numbers, 1, sizeof(int), compareInts);
    printf("empty and single sorts fine\n");
    return 0;
}
