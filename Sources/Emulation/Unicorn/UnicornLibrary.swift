import FoundationEssentials
import Glibc
import HostSystem

/// Unicorn 2's C entry points, found with `dlopen`/`dlsym` the first time a machine is made, so
/// the package builds, and xcdb starts and reads dumps, on a machine without libunicorn. The
/// library stays loaded for the life of the process; the table is immutable and its functions
/// may be called from any thread for distinct engines.
package final class UnicornLibrary: @unchecked Sendable {
    typealias Open = @convention(c) (Int32, Int32, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    typealias MemMap = @convention(c) (OpaquePointer?, UInt64, Int, UInt32) -> Int32
    typealias MemMapPtr =
        @convention(c) (OpaquePointer?, UInt64, Int, UInt32, UnsafeMutableRawPointer?) -> Int32
    typealias MemUnmap = @convention(c) (OpaquePointer?, UInt64, Int) -> Int32
    typealias MemProtect = @convention(c) (OpaquePointer?, UInt64, Int, UInt32) -> Int32
    typealias MemWrite = @convention(c) (OpaquePointer?, UInt64, UnsafeRawPointer, Int) -> Int32
    typealias MemRead =
        @convention(c) (OpaquePointer?, UInt64, UnsafeMutableRawPointer, Int) -> Int32
    typealias RegWrite = @convention(c) (OpaquePointer?, Int32, UnsafeRawPointer) -> Int32
    typealias RegRead = @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer) -> Int32
    typealias EmuStart = @convention(c) (OpaquePointer?, UInt64, UInt64, UInt64, Int) -> Int32
    typealias EmuStop = @convention(c) (OpaquePointer?) -> Int32
    typealias HookDel = @convention(c) (OpaquePointer?, Int) -> Int32
    typealias StrError = @convention(c) (Int32) -> UnsafePointer<CChar>?
    typealias Version =
        @convention(c) (UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?)
        -> UInt32
    typealias ContextAlloc =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias ContextOperation = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    typealias ContextFree = @convention(c) (OpaquePointer?) -> Int32
    typealias ContextSize = @convention(c) (OpaquePointer?) -> Int
    typealias ContextRegRead =
        @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer) -> Int32
    typealias ContextRegWrite = @convention(c) (OpaquePointer?, Int32, UnsafeRawPointer) -> Int32

    let open: Open
    let close: Close
    let memMap: MemMap
    let memMapPtr: MemMapPtr
    let memUnmap: MemUnmap
    let memProtect: MemProtect
    let memWrite: MemWrite
    let memRead: MemRead
    let regWrite: RegWrite
    let regRead: RegRead
    let emuStart: EmuStart
    let emuStop: EmuStop
    let hookDel: HookDel
    let strError: StrError
    let version: Version
    let contextAlloc: ContextAlloc
    let contextSave: ContextOperation
    let contextRestore: ContextOperation
    let contextFree: ContextFree
    let contextSize: ContextSize
    let contextRegRead: ContextRegRead
    let contextRegWrite: ContextRegWrite
    /// Variadic functions: called through the C shim (`xcdb_uc_ctl*`, `xcdb_uc_hook_add*`).
    let ctl: UnsafeMutableRawPointer
    let hookAdd: UnsafeMutableRawPointer
    /// `uc_emu_stop` as a raw pointer, for the C block hook.
    let emuStopPointer: UnsafeMutableRawPointer

    /// The shared-library names tried, in order.
    static let libraryNames = ["libunicorn.so.2", "libunicorn.so", "libunicorn.2.dylib"]

    private static let loaded: Result<UnicornLibrary, EmulationError> = Result {
        () throws(EmulationError) -> UnicornLibrary in try UnicornLibrary()
    }

    /// The library, loaded on first use.
    package static func shared() throws(EmulationError) -> UnicornLibrary {
        try loaded.get()
    }

    /// Whether libunicorn can be loaded on this machine.
    package static var isAvailable: Bool { (try? shared()) != nil }

    private init() throws(EmulationError) {
        guard let library = SharedLibrary(firstOf: Self.libraryNames) else {
            throw .unicornMissing
        }
        func raw(_ name: String) throws(EmulationError) -> UnsafeMutableRawPointer {
            guard let pointer = library.symbol(name) else {
                throw .unicorn("the loaded libunicorn has no \(name); Unicorn 2 is needed")
            }
            return pointer
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(EmulationError) -> T {
            unsafeBitCast(try raw(name), to: type)
        }
        open = try symbol("uc_open", Open.self)
        close = try symbol("uc_close", Close.self)
        memMap = try symbol("uc_mem_map", MemMap.self)
        memMapPtr = try symbol("uc_mem_map_ptr", MemMapPtr.self)
        memUnmap = try symbol("uc_mem_unmap", MemUnmap.self)
        memProtect = try symbol("uc_mem_protect", MemProtect.self)
        memWrite = try symbol("uc_mem_write", MemWrite.self)
        memRead = try symbol("uc_mem_read", MemRead.self)
        regWrite = try symbol("uc_reg_write", RegWrite.self)
        regRead = try symbol("uc_reg_read", RegRead.self)
        emuStart = try symbol("uc_emu_start", EmuStart.self)
        emuStop = try symbol("uc_emu_stop", EmuStop.self)
        hookDel = try symbol("uc_hook_del", HookDel.self)
        strError = try symbol("uc_strerror", StrError.self)
        version = try symbol("uc_version", Version.self)
        contextAlloc = try symbol("uc_context_alloc", ContextAlloc.self)
        contextSave = try symbol("uc_context_save", ContextOperation.self)
        contextRestore = try symbol("uc_context_restore", ContextOperation.self)
        contextFree = try symbol("uc_context_free", ContextFree.self)
        contextSize = try symbol("uc_context_size", ContextSize.self)
        contextRegRead = try symbol("uc_context_reg_read", ContextRegRead.self)
        contextRegWrite = try symbol("uc_context_reg_write", ContextRegWrite.self)
        ctl = try raw("uc_ctl")
        hookAdd = try raw("uc_hook_add")
        emuStopPointer = try raw("uc_emu_stop")
        var major: UInt32 = 0
        var minor: UInt32 = 0
        _ = version(&major, &minor)
        guard major == 2 else {
            throw .unicorn("libunicorn \(major).\(minor) is loaded; Unicorn 2 is needed")
        }
    }

    /// Unicorn's text for a status code.
    func message(_ status: Int32) -> String {
        strError(status).map { String(cString: $0) } ?? "status \(status)"
    }

    /// `major.minor` of the loaded library.
    package var versionText: String {
        var major: UInt32 = 0
        var minor: UInt32 = 0
        _ = version(&major, &minor)
        return "\(major).\(minor)"
    }
}
