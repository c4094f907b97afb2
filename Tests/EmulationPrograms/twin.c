/* Built at the same preferred base as lib.dll: loaded second, it must be relocated. */
void *twin_pointer = &twin_pointer;
int TwinValue(void) { return *(int *)&twin_pointer == 0 ? 0 : 17; }
