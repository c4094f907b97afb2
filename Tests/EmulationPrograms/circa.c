__declspec(dllimport) int B(int);
int A(int value) { return value > 0 ? B(value - 1) + 1 : 0; }
