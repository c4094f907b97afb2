/// Where WOW64 keeps a thread's 32-bit state in a 64-bit process (x86 guests on x64 Windows).
///
/// - The 64-bit TEB's `TlsSlots` start at 0x1480; slot 1 (`WOW64_TLS_CPURESERVED`) points to
///   a `WOW64_CPURESERVED` header (`USHORT Flags; USHORT Machine`) with the guest's x86
///   `CONTEXT` right behind it, at +4 (the x86 context is 4-aligned).
/// - The 32-bit TEB is `TEB64.WowTebOffset` (a `LONG` at 0x180C, Windows 8 and later) away,
///   normally +0x2000; on older systems `TEB64.NtTib.ExceptionList` holds its address.
/// - The 32-bit TEB's `NtTib` gives the 32-bit stack (`StackBase` at +4, `StackLimit` at +8)
///   and its `ProcessEnvironmentBlock` (+0x30) the 32-bit PEB.
public enum Wow64Layout {
    public static let tlsSlotsOffset: UInt64 = 0x1480
    public static let cpuReservedSlot: UInt64 = 1
    public static let wowTebOffsetOffset: UInt64 = 0x180C
    /// The usual distance from the 64-bit TEB to the 32-bit one.
    public static let teb32Distance: UInt64 = 0x2000
    /// `IMAGE_FILE_MACHINE_I386`, in `WOW64_CPURESERVED.Machine`.
    public static let x86MachineType: UInt16 = 0x014C
    /// Where the guest context starts after the `WOW64_CPURESERVED` header.
    public static let x86ContextOffset: UInt64 = 4
    /// The size of an x86 `CONTEXT` with its extended registers.
    public static let x86ContextSize = 0x2CC
    /// `NT_TIB32.StackBase` and `.StackLimit`; `TEB32.ProcessEnvironmentBlock`.
    public static let teb32StackBase: UInt64 = 0x04
    public static let teb32StackLimit: UInt64 = 0x08
    public static let teb32Peb: UInt64 = 0x30
    /// The images only a WOW64 process loads.
    public static let layerImages: Set<String> = ["wow64.dll", "wow64cpu.dll", "wow64win.dll"]
}
