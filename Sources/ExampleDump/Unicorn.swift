import Foundation

/// A small binding to Unicorn 2's x86-64 emulator, loaded with `dlopen` when an emulator is
/// made, so the package builds (and xcdb runs) on machines without libunicorn. Register ids and
/// constants are Unicorn 2's (`unicorn/unicorn.h`, `unicorn/x86.h`).
///
/// Not thread-safe: one emulator is used by one run, on one thread.
final class Unicorn {
    enum Register: Int32, CaseIterable {
        case rax = 35, rbx = 37, rcx = 38, rdx = 40, rsi = 43, rdi = 39, rbp = 36, rsp = 44
        case rip = 41
        case r8 = 106, r9, r10, r11, r12, r13, r14, r15
        case eflags = 25
        case fpsw = 31, fpcw = 246, fptag = 247, mxcsr = 249
        case gsBase = 251
    }

    struct Protection: OptionSet {
        let rawValue: UInt32
        static let read = Protection(rawValue: 1)
        static let write = Protection(rawValue: 2)
        static let execute = Protection(rawValue: 4)
        static let all: Protection = [.read, .write, .execute]
    }

    /// An access Unicorn could not perform: to unmapped memory or against the protection.
    struct InvalidAccess: Equatable {
        enum Kind: Equatable { case read, write, fetch }
        var kind: Kind
        var address: UInt64
        var size: Int
        /// True for mapped memory whose protection forbids the access.
        var isProtectionFault: Bool
    }

    private typealias Open =
        @convention(c) (Int32, Int32, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    private typealias Close = @convention(c) (OpaquePointer?) -> Int32
    private typealias MemMap = @convention(c) (OpaquePointer?, UInt64, Int, UInt32) -> Int32
    private typealias MemWrite =
        @convention(c) (OpaquePointer?, UInt64, UnsafeRawPointer, Int) -> Int32
    private typealias MemRead =
        @convention(c) (OpaquePointer?, UInt64, UnsafeMutableRawPointer, Int) -> Int32
    private typealias RegWrite = @convention(c) (OpaquePointer?, Int32, UnsafeRawPointer) -> Int32
    private typealias RegRead =
        @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer) -> Int32
    private typealias EmuStart =
        @convention(c) (OpaquePointer?, UInt64, UInt64, UInt64, Int) -> Int32
    private typealias StrError = @convention(c) (Int32) -> UnsafePointer<CChar>?
    /// `uc_hook_add` is variadic, but its variadic part is read only for `UC_HOOK_INSN`; the
    /// named arguments are passed the same way through this non-variadic type on the ABIs
    /// Swift runs on.
    private typealias HookAdd =
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<Int>, Int32, UnsafeRawPointer,
            UnsafeMutableRawPointer?, UInt64, UInt64
        ) -> Int32
    private typealias MemoryEventCallback =
        @convention(c) (OpaquePointer?, Int32, UInt64, Int32, Int64, UnsafeMutableRawPointer?) ->
        Bool
    private typealias CodeCallback =
        @convention(c) (OpaquePointer?, UInt64, UInt32, UnsafeMutableRawPointer?) -> Void

    /// What hook callbacks reach through their user-data pointer.
    private final class Hooks {
        var invalidAccess: ((InvalidAccess) -> Void)?
        var instruction: ((UInt64, UInt32) -> Void)?
    }

    private let library: UnsafeMutableRawPointer
    private let engine: OpaquePointer
    private let close: Close
    private let memMap: MemMap
    private let memWrite: MemWrite
    private let memRead: MemRead
    private let regWrite: RegWrite
    private let regRead: RegRead
    private let emuStart: EmuStart
    private let strError: StrError
    private let hookAdd: HookAdd
    private let hooks = Hooks()

    /// The shared-library names tried, in order.
    static let libraryNames = ["libunicorn.so.2", "libunicorn.so", "libunicorn.2.dylib"]

    /// Whether libunicorn can be loaded on this machine.
    static var isAvailable: Bool {
        libraryNames.contains { name in
            guard let handle = dlopen(name, RTLD_NOW) else { return false }
            dlclose(handle)
            return true
        }
    }

    /// Loads libunicorn and opens an x86-64 emulator.
    init() throws(ExampleError) {
        guard let library = Self.libraryNames.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first
        else {
            throw .unicornMissing
        }
        self.library = library
        func symbol<T>(_ name: String, _ type: T.Type) throws(ExampleError) -> T {
            guard let pointer = dlsym(library, name) else {
                throw .emulation("the loaded libunicorn has no \(name); Unicorn 2 is needed")
            }
            return unsafeBitCast(pointer, to: type)
        }
        do throws(ExampleError) {
            let open = try symbol("uc_open", Open.self)
            close = try symbol("uc_close", Close.self)
            memMap = try symbol("uc_mem_map", MemMap.self)
            memWrite = try symbol("uc_mem_write", MemWrite.self)
            memRead = try symbol("uc_mem_read", MemRead.self)
            regWrite = try symbol("uc_reg_write", RegWrite.self)
            regRead = try symbol("uc_reg_read", RegRead.self)
            emuStart = try symbol("uc_emu_start", EmuStart.self)
            strError = try symbol("uc_strerror", StrError.self)
            hookAdd = try symbol("uc_hook_add", HookAdd.self)
            var handle: OpaquePointer?
            // UC_ARCH_X86 = 4, UC_MODE_64 = 8.
            let status = open(4, 8, &handle)
            guard status == 0, let handle else {
                throw ExampleError.emulation("uc_open failed (status \(status))")
            }
            engine = handle
        } catch {
            dlclose(library)
            throw error
        }
    }

    deinit {
        _ = close(engine)
        dlclose(library)
    }

    private func check(_ status: Int32, _ what: @autoclosure () -> String) throws(ExampleError) {
        guard status == 0 else {
            throw .emulation("\(what()) failed: \(message(status))")
        }
    }

    /// Unicorn's text for a status code.
    func message(_ status: Int32) -> String {
        strError(status).map { String(cString: $0) } ?? "status \(status)"
    }

    /// Maps `size` bytes (a multiple of 4 KiB) at `address` (4 KiB aligned), zero-filled.
    func map(_ address: UInt64, size: Int, protection: Protection) throws(ExampleError) {
        try check(
            memMap(engine, address, size, protection.rawValue),
            "mapping \(Hex.text(address)) (\(size) bytes)")
    }

    func write(_ address: UInt64, _ bytes: [UInt8]) throws(ExampleError) {
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return memWrite(engine, address, base, bytes.count)
        }
        try check(status, "writing \(bytes.count) bytes at \(Hex.text(address))")
    }

    func read(_ address: UInt64, count: Int) throws(ExampleError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let status = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return memRead(engine, address, base, count)
        }
        try check(status, "reading \(count) bytes at \(Hex.text(address))")
        return bytes
    }

    subscript(register: Register) -> UInt64 {
        get {
            var value: UInt64 = 0
            _ = regRead(engine, register.rawValue, &value)
            return value
        }
        set {
            var value = newValue
            _ = regWrite(engine, register.rawValue, &value)
        }
    }

    /// `xmm0`…`xmm15`.
    func xmm(_ index: Int) -> UInt128 {
        var value: UInt128 = 0
        _ = regRead(engine, 122 + Int32(index), &value)
        return value
    }

    /// Sets `xmm0`…`xmm15`.
    func setXMM(_ index: Int, _ value: UInt128) {
        var copy = value
        _ = regWrite(engine, 122 + Int32(index), &copy)
    }

    /// Calls `handler` for each access to unmapped or protected memory; the emulation then
    /// stops with that access not performed.
    func onInvalidAccess(_ handler: @escaping (InvalidAccess) -> Void) throws(ExampleError) {
        hooks.invalidAccess = handler
        let callback: MemoryEventCallback = { _, type, address, size, _, userData in
            guard let userData else { return false }
            let hooks = Unmanaged<Hooks>.fromOpaque(userData).takeUnretainedValue()
            // uc_mem_type: 19-21 unmapped read/write/fetch, 22 write-protected,
            // 23 read-protected, 24 fetch-protected.
            let kind: InvalidAccess.Kind =
                switch type {
                case 20, 22: .write
                case 21, 24: .fetch
                default: .read
                }
            hooks.invalidAccess?(
                InvalidAccess(
                    kind: kind, address: address, size: Int(size), isProtectionFault: type >= 22))
            return false
        }
        // UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, over all addresses (begin > end).
        try addHook(
            type: 0x70 | 0x380, callback: unsafeBitCast(callback, to: UnsafeRawPointer.self))
    }

    /// Calls `handler(address, size)` before each instruction in `range` runs.
    func onInstruction(in range: Range<UInt64>, _ handler: @escaping (UInt64, UInt32) -> Void)
        throws(ExampleError)
    {
        hooks.instruction = handler
        let callback: CodeCallback = { _, address, size, userData in
            guard let userData else { return }
            Unmanaged<Hooks>.fromOpaque(userData).takeUnretainedValue().instruction?(address, size)
        }
        // UC_HOOK_CODE; the range's end is inclusive in Unicorn.
        try addHook(
            type: 4, callback: unsafeBitCast(callback, to: UnsafeRawPointer.self),
            begin: range.lowerBound, end: range.upperBound &- 1)
    }

    private func addHook(
        type: Int32, callback: UnsafeRawPointer, begin: UInt64 = 1, end: UInt64 = 0
    ) throws(ExampleError) {
        var handle = 0
        let userData = Unmanaged.passUnretained(hooks).toOpaque()
        try check(
            hookAdd(engine, &handle, type, callback, userData, begin, end), "adding a hook")
    }

    /// Runs from `address` until `until` is reached, an instruction faults, or `limit`
    /// instructions have run. Returns Unicorn's status (0 when no error stopped it).
    func start(at address: UInt64, until: UInt64, instructionLimit limit: Int) -> Int32 {
        emuStart(engine, address, until, 0, limit)
    }
}

/// Hex formatting for messages.
enum Hex {
    /// `0x140001174`.
    static func text(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
