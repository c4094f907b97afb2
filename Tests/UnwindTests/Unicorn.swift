import Foundation

/// A minimal x86-64 Unicorn binding loaded with `dlopen`, so the tests can run real code
/// without a system-library target in the package. Register ids and constants are Unicorn 2's
/// (`unicorn/x86.h`).
final class UnicornX64 {
    enum Register: Int32 {
        case rax = 35, rbx = 37, rcx = 38, rdx = 40, rsi = 43, rdi = 39, rbp = 36, rsp = 44, rip =
            41
        case r8 = 106, r9, r10, r11, r12, r13, r14, r15
        case eflags = 25
    }

    static let xmm0: Int32 = 122

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

    private let library: UnsafeMutableRawPointer
    private let engine: OpaquePointer
    private let close: Close
    private let memMap: MemMap
    private let memWrite: MemWrite
    private let memRead: MemRead
    private let regWrite: RegWrite
    private let regRead: RegRead
    private let emuStart: EmuStart

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        guard let library = dlopen("libunicorn.so.2", RTLD_NOW) ?? dlopen("libunicorn.so", RTLD_NOW)
        else {
            throw Failure(
                description: "libunicorn is not installed (apt-get install libunicorn-dev)")
        }
        self.library = library
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let pointer = dlsym(library, name) else {
                throw Failure(description: "no \(name) in libunicorn")
            }
            return unsafeBitCast(pointer, to: type)
        }
        let open = try symbol("uc_open", Open.self)
        close = try symbol("uc_close", Close.self)
        memMap = try symbol("uc_mem_map", MemMap.self)
        memWrite = try symbol("uc_mem_write", MemWrite.self)
        memRead = try symbol("uc_mem_read", MemRead.self)
        regWrite = try symbol("uc_reg_write", RegWrite.self)
        regRead = try symbol("uc_reg_read", RegRead.self)
        emuStart = try symbol("uc_emu_start", EmuStart.self)
        var handle: OpaquePointer?
        // UC_ARCH_X86 = 4, UC_MODE_64 = 8.
        guard open(4, 8, &handle) == 0, let handle else {
            throw Failure(description: "uc_open failed")
        }
        engine = handle
    }

    deinit {
        _ = close(engine)
        dlclose(library)
    }

    func map(_ address: UInt64, size: Int) throws {
        guard memMap(engine, address, size, 7) == 0 else {
            throw Failure(description: "uc_mem_map failed")
        }
    }

    func write(_ address: UInt64, _ bytes: [UInt8]) throws {
        let status = bytes.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return memWrite(engine, address, base, bytes.count)
        }
        guard status == 0 else { throw Failure(description: "uc_mem_write failed") }
    }

    func read(_ address: UInt64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return memRead(engine, address, base, count)
        }
        guard status == 0 else { throw Failure(description: "uc_mem_read failed") }
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

    func xmm(_ index: Int) -> UInt128 {
        var value: UInt128 = 0
        _ = regRead(engine, Self.xmm0 + Int32(index), &value)
        return value
    }

    func setXMM(_ index: Int, _ value: UInt128) {
        var copy = value
        _ = regWrite(engine, Self.xmm0 + Int32(index), &copy)
    }

    /// Runs from `start` until RIP reaches `until` (not executed).
    func run(from start: UInt64, until: UInt64) throws {
        let status = emuStart(engine, start, until, 0, 100_000)
        guard status == 0, self[.rip] == until else {
            throw Failure(
                description:
                    "emulation stopped at 0x\(String(self[.rip], radix: 16)) (status \(status)), "
                    + "expected 0x\(String(until, radix: 16))")
        }
    }
}
