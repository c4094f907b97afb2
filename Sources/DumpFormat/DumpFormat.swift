// DumpFormat: reads and writes minidump files. It knows nothing of commands, terminals or
// networks; the engine builds `lm`, `~`, `r`, `.exr`, `db`, `!address`, `!handle`, … on it.
//
// Reading (`Minidump`):
//   * `Minidump(path:)` maps the file read-only (MAP_PRIVATE) and reads the 32-byte header and
//     the stream directory, nothing else. `Minidump(bytes:)` does the same for bytes in memory.
//   * Streams are decoded on request by typed accessors (`threads()`, `modules()`,
//     `exception()`, `memory()`, `systemInfo()`, `miscInfo()`, `handleData()`, …). The module
//     list, system info, misc info and the memory map are cached after the first call.
//   * Structures keep Microsoft's names (`MINIDUMP_THREAD`, `MINIDUMP_MODULE`, …) with
//     lower-camel fields; the Breakpad, Crashpad and Mozilla extensions keep theirs.
//   * Every offset, size and count from the file is checked before use, and nothing is
//     allocated from a count before the count is checked against the bytes that hold the
//     entries. Names and records decoded for one stream are capped
//     (`maximumDecodedBytesPerStream`), so a hostile file cannot make the reader do work or hold
//     memory out of proportion to its size. Errors are `MinidumpError` values whose message names
//     the structure, the offset and the numbers that disagree; problems that leave a stream
//     usable become `warnings`.
//   * CPU contexts (`CPUContext`) are decoded through one layout table per architecture that
//     the builder uses to encode them too, so reading and writing cannot disagree.
//
// Writing (`MinidumpBuilder`): assembles the metadata in memory and streams Memory64List
// contents from closures straight to the file.
//
// Not here yet: Windows kernel dumps (PAGEDUMP/PAGEDU64) are recognised and refused with a clear
// error; reading them is a later piece of work. Contexts for MIPS, PPC, SPARC and RISC-V are
// not decoded (`CPUContext` throws `.unsupported`).
