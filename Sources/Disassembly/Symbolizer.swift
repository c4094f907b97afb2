/// Names an address for display, as CDB does (`ntdll!RtlFoo+0x1a`, `app!g_table`), or returns
/// nil when no symbol or module covers it. The engine supplies it; this library never loads
/// symbols itself. Called synchronously, only during the call it is passed to.
public typealias Symbolizer = (UInt64) -> String?

/// Reads target memory: returns the bytes readable from `address`, at most `count` of them,
/// in order and without gaps (a prefix of the request when the range runs into unreadable
/// memory), or an empty array when `address` itself is unreadable.
public typealias MemoryReader = (_ address: UInt64, _ count: Int) -> [UInt8]

/// Reads a register by its full-width lowercase name: `rax`…`r15`, `rip` on x64; `eax`…`edi`,
/// `eip` on x86; `x0`…`x28`, `fp`, `lr`, `sp`, `pc` on ARM64; `r0`…`r12`, `sp`, `lr`, `pc` on
/// ARM. Segment selectors are `cs ds es fs gs ss`; segment bases `fsbase` and `gsbase`. Returns
/// nil for a register the target does not have or cannot provide.
public typealias RegisterReader = (_ name: String) -> UInt64?
