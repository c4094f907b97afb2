import CCapstone
import HostSystem

/// Capstone's C entry points, found with `dlopen`/`dlsym` on first use instead of being linked.
/// Loading the library (its tables carry about 77,000 relocations) takes about 1.6 ms, a fifth of
/// a dump session's start-up; sessions that never disassemble (`-json` on a Windows dump, the
/// `xremote` client, no target) no longer pay it. (Loading it on a second thread while the dump
/// is read was tried: the two threads' page faults and mappings contend in the kernel and the
/// session was no faster.) The table is immutable; Capstone's functions may be called from any
/// thread for distinct handles.
final class CapstoneLibrary: @unchecked Sendable {
    typealias Open = @convention(c) (cs_arch, cs_mode, UnsafeMutablePointer<csh>?) -> cs_err
    typealias Close = @convention(c) (UnsafeMutablePointer<csh>?) -> cs_err
    typealias Option = @convention(c) (csh, cs_opt_type, Int) -> cs_err
    typealias Malloc = @convention(c) (csh) -> UnsafeMutablePointer<cs_insn>?
    typealias Free = @convention(c) (UnsafeMutablePointer<cs_insn>?, Int) -> Void
    typealias DisassembleOne =
        @convention(c) (
            csh, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<Int>?,
            UnsafeMutablePointer<UInt64>?, UnsafeMutablePointer<cs_insn>?
        ) -> Bool
    typealias RegisterName = @convention(c) (csh, UInt32) -> UnsafePointer<CChar>?
    typealias InGroup = @convention(c) (csh, UnsafePointer<cs_insn>?, UInt32) -> Bool
    typealias ErrorText = @convention(c) (cs_err) -> UnsafePointer<CChar>?
    typealias RegistersAccess =
        @convention(c) (
            csh, UnsafePointer<cs_insn>?, UnsafeMutablePointer<UInt16>?,
            UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt16>?,
            UnsafeMutablePointer<UInt8>?
        ) -> cs_err

    let open: Open
    let close: Close
    let option: Option
    let malloc: Malloc
    let free: Free
    let disassembleOne: DisassembleOne
    let registerName: RegisterName
    let inGroup: InGroup
    let errorText: ErrorText
    let registersAccess: RegistersAccess

    /// The shared-library names tried, in order (Debian's Capstone 4, then 5, then any).
    static let libraryNames = [
        "libcapstone.so.4", "libcapstone.so.5", "libcapstone.so", "libcapstone.dylib",
    ]

    /// The library or why it could not be loaded. Not a `Result`: its `Failure: Error`
    /// requirement makes the runtime scan every conformance in the program on first use.
    private static let loaded: (library: CapstoneLibrary?, error: DisassemblyError?) = {
        do throws(DisassemblyError) {
            return (try CapstoneLibrary(), nil)
        } catch {
            return (nil, error)
        }
    }()

    /// The library, loaded on first use (by whichever thread comes first; others wait).
    static func shared() throws(DisassemblyError) -> CapstoneLibrary {
        if let library = loaded.library { return library }
        throw loaded.error ?? DisassemblyError("the Capstone library could not be loaded")
    }

    private init() throws(DisassemblyError) {
        guard let library = SharedLibrary(firstOf: Self.libraryNames) else {
            throw DisassemblyError(
                "cannot load the Capstone disassembler (libcapstone.so.4): "
                    + "install it (Debian: apt install libcapstone4)")
        }
        func symbol<T>(_ name: String, as type: T.Type) throws(DisassemblyError) -> T {
            guard let address = library.symbol(name) else {
                throw DisassemblyError("the Capstone library has no \(name)")
            }
            return unsafeBitCast(address, to: type)
        }
        open = try symbol("cs_open", as: Open.self)
        close = try symbol("cs_close", as: Close.self)
        option = try symbol("cs_option", as: Option.self)
        malloc = try symbol("cs_malloc", as: Malloc.self)
        free = try symbol("cs_free", as: Free.self)
        disassembleOne = try symbol("cs_disasm_iter", as: DisassembleOne.self)
        registerName = try symbol("cs_reg_name", as: RegisterName.self)
        inGroup = try symbol("cs_insn_group", as: InGroup.self)
        errorText = try symbol("cs_strerror", as: ErrorText.self)
        registersAccess = try symbol("cs_regs_access", as: RegistersAccess.self)
    }
}
