__declspec(dllimport) int A(int);
int B(int value) { return value > 0 ? A(value - 1) + 1 : 0; }
