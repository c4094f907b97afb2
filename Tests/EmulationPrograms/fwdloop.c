int LoopOwn(void) { return 1; }
