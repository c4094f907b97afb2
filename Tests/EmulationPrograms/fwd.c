int FwdOwn(void) { return 3; }
