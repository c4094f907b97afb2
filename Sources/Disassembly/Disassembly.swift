// Disassembly module.
