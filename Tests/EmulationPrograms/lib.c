/* A DLL with a named export, an export by ordinal only and a pointer to itself (which a
   relocation must fix when the DLL moves). */
int AddOne(int value) { return value + 1; }
int Times2(int value) { return value * 2; }
void *lib_pointer = &lib_pointer;
