// Symbols module.
