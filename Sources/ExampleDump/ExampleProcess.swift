/// The process the example program runs in: who it is, where its stack and system blocks are,
/// and when it started and crashed.
///
/// The values are what Windows 10 could give such a process (a main-thread stack in low memory,
/// the PEB and TEB a few pages apart, process parameters on the heap); they are fixed so that
/// every run writes the same dump.
public struct ExampleProcess: Sendable, Equatable {
    /// The executable's path as the dump and the PEB record it.
    public var imagePath = #"C:\xcdb\Examples\bin\crashdemo.exe"#
    public var currentDirectory = #"C:\xcdb\"#
    public var environment = [
        #"COMPUTERNAME=XCDB-DEMO"#, #"OS=Windows_NT"#, #"PROCESSOR_ARCHITECTURE=AMD64"#,
        #"SystemRoot=C:\Windows"#, #"USERNAME=demo"#,
    ]
    public var processId: UInt32 = 0x2A8C
    public var threadId: UInt32 = 0x3D14

    /// Where the executable is loaded; nil for its preferred base. Another base moves the image
    /// as ASLR would (base relocations applied), for dumps of the same crash at different
    /// addresses (`xcdb-example dump --load-base`).
    public var imageBase: UInt64?

    /// The top of the main thread's stack (`StackBase`); the reservation below it is the
    /// image's `SizeOfStackReserve`.
    public var stackBase: UInt64 = 0x0000_00D2_1AD0_0000
    /// The bytes of stack committed at the top; the page below is the guard page.
    public var stackCommit: UInt64 = 0x2000
    public var pebAddress: UInt64 = 0x0000_00D2_1A9E_0000
    /// The TEB takes two pages (`sizeof(TEB)` is 0x1838 on x64).
    public var tebAddress: UInt64 = 0x0000_00D2_1A9E_1000
    /// One heap page holding the process parameters and the loader's module list.
    public var heapAddress: UInt64 = 0x0000_01F4_8C6A_0000

    /// Seconds since 1970 (UTC): when the process started, and when it crashed and was dumped.
    public var processCreateTime: UInt32 = 1_715_678_800
    public var crashTime: UInt32 = 1_715_678_801

    /// The process xcdb's bundled example runs in.
    public static let standard = ExampleProcess()

    public init() {}

    /// The executable's file name (`crashdemo.exe`).
    public var imageName: String {
        String(imagePath.split(separator: "\\").last ?? Substring(imagePath))
    }
}
