// DumpTargets module.
