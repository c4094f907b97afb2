/* Files in the current folder (on the guest, the sandbox): write, read back, seek, append,
   rename, remove, tmpfile. Binary mode where positions are printed (text mode counts CR LF
   on Windows). */
#include <stdio.h>
#include <string.h>

int main(void) {
    FILE *f = fopen("guest_test.txt", "w");
    if (!f) {
        printf("cannot create\n");
        return 1;
    }
    for (int i = 1; i <= 5; i++) fprintf(f, "line %d of %d\n", i, 5);
    fclose(f);
    f = fopen("guest_test.txt", "r");
    char line[64];
    int count = 0;
    while (fgets(line, sizeof(line), f)) {
        count++;
        if (count == 3) printf("third: %s", line);
    }
    printf("read %d lines, eof %d\n", count, feof(f) != 0);
    fclose(f);
    f = fopen("guest_test.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    f = fopen("guest_test.txt", "r");
    int c, lines = 0;
    while ((c = fgetc(f)) != EOF) lines += c == '\n';
    fclose(f);
    printf("%d lines after append\n", lines);

    f = fopen("guest_binary.dat", "wb+");
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
    printf("wrote %u\n", (unsigned)fwrite(bytes, 1, 256, f));
    printf("tell %ld\n", ftell(f));
    fseek(f, 100, SEEK_SET);
    printf("at 100 reads %d\n", fgetc(f));
    fseek(f, -10, SEEK_END);
    int before_end = fgetc(f);
    printf("10 before the end reads %d, tell %ld\n", before_end, ftell(f));
    fseek(f, 5, SEEK_CUR);
    printf("5 further reads %d\n", fgetc(f));
    rewind(f);
    unsigned char back[16];
    /* Read first: the order in which printf's arguments are evaluated is unspecified. */
    unsigned got = (unsigned)fread(back, 1, 16, f);
    printf("read %u, first %d last %d\n", got, back[0], back[15]);
    ungetc('Z', f);
    int pushed = fgetc(f);
    int following = fgetc(f);
    printf("after ungetc %c then %d\n", pushed, following);
    fclose(f);

    printf("rename %d\n", rename("guest_binary.dat", "guest_renamed.dat"));
    printf("old name opens: %s\n", fopen("guest_binary.dat", "rb") ? "yes" : "no");
    f = fopen("guest_renamed.dat", "rb");
    fseek(f, 0, SEEK_END);
    printf("renamed size %ld\n", ftell(f));
    fclose(f);
    printf("remove %d %d\n", remove("guest_renamed.dat"), remove("guest_test.txt"));
    printf("remove again fails: %d\n", remove("guest_test.txt") != 0);

    FILE *t = tmpfile();
    fputs("temporary", t);
    rewind(t);
    char word[16] = "";
    fgets(word, sizeof(word), t);
    printf("tmpfile holds [%s]\n", word);
    fclose(t);
    return 0;
}
