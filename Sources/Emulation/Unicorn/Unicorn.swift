import CUnicorn
import FoundationEssentials

/// One Unicorn 2 x86-64 engine, with checked statuses and Swift hooks.
///
/// Not thread-safe: an engine is used by one thread at a time. (The machine's break request
/// reaches a running emulation through the C instruction clock, never through this class.)
package final class Unicorn {
    package struct Protection: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }
        package static let read = Protection(rawValue: 1)
        package static let write = Protection(rawValue: 2)
        package static let execute = Protection(rawValue: 4)
        package static let all: Protection = [.read, .write, .execute]
    }

    /// An access Unicorn could not perform: to unmapped memory or against the protection of
    /// its own memory map (the machine's page tables raise page faults instead).
    package struct InvalidAccess: Equatable, Sendable {
        package enum Kind: Equatable, Sendable { case read, write, fetch }
        package var kind: Kind
        package var address: UInt64
        package var size: Int
        /// True for mapped memory whose protection forbids the access.
        package var isProtectionFault: Bool
    }

    /// A memory access seen by a read or write hook.
    package struct Access: Equatable, Sendable {
        package var isWrite: Bool
        package var address: UInt64
        package var size: Int
    }

    /// A hook's handle, for `removeHook`.
    package struct Hook: Hashable, Sendable {
        let raw: Int
    }

    /// The register ids, under the name earlier clients used.
    package typealias Register = UnicornRegister

    package let library: UnicornLibrary
    package let engine: OpaquePointer
    /// Swift closures reached from the C callbacks, kept alive while their hook is installed.
    private var boxes: [Int: AnyObject] = [:]

    /// Loads libunicorn (once per process) and opens an x86-64 engine.
    package init() throws(EmulationError) {
        library = try UnicornLibrary.shared()
        var handle: OpaquePointer?
        let status = library.open(UnicornConstant.archX86, UnicornConstant.mode64, &handle)
        guard status == 0, let handle else {
            throw .unicorn("uc_open failed: \(library.message(status))")
        }
        engine = handle
    }

    deinit {
        _ = library.close(engine)
    }

    /// Whether libunicorn can be loaded on this machine.
    package static var isAvailable: Bool { UnicornLibrary.isAvailable }

    package func check(_ status: Int32, _ what: @autoclosure () -> String) throws(EmulationError) {
        guard status == 0 else {
            throw .unicorn("\(what()) failed: \(library.message(status))")
        }
    }

    /// Unicorn's text for a status code.
    package func message(_ status: Int32) -> String { library.message(status) }

    // MARK: Memory

    /// Maps `size` bytes (a multiple of 4 KiB) at `address` (4 KiB aligned), zero-filled.
    package func map(_ address: UInt64, size: Int, protection: Protection) throws(EmulationError) {
        try check(
            library.memMap(engine, address, size, protection.rawValue),
            "mapping \(Hex.text(address)) (\(size) bytes)")
    }

    /// Maps host memory the caller owns (and keeps alive while mapped) at `address`.
    package func map(
        _ address: UInt64, size: Int, protection: Protection, host: UnsafeMutableRawPointer
    ) throws(EmulationError) {
        try check(
            library.memMapPtr(engine, address, size, protection.rawValue, host),
            "mapping host memory at \(Hex.text(address)) (\(size) bytes)")
    }

    package func unmap(_ address: UInt64, size: Int) throws(EmulationError) {
        try check(
            library.memUnmap(engine, address, size),
            "unmapping \(Hex.text(address)) (\(size) bytes)")
    }

    package func write(_ address: UInt64, _ bytes: [UInt8]) throws(EmulationError) {
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return library.memWrite(engine, address, base, bytes.count)
        }
        try check(status, "writing \(bytes.count) bytes at \(Hex.text(address))")
    }

    package func read(_ address: UInt64, count: Int) throws(EmulationError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        guard count > 0 else { return bytes }
        let status = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return library.memRead(engine, address, base, count)
        }
        try check(status, "reading \(count) bytes at \(Hex.text(address))")
        return bytes
    }

    // MARK: Registers

    /// A register of up to 64 bits (reading fills the low bytes).
    package subscript(register: UnicornRegister) -> UInt64 {
        get {
            var value: UInt64 = 0
            _ = library.regRead(engine, register.rawValue, &value)
            return value
        }
        set {
            var value = newValue
            _ = library.regWrite(engine, register.rawValue, &value)
        }
    }

    /// Reads a register of any size into `buffer` (at least as large as the register).
    package func read(_ register: UnicornRegister, into buffer: UnsafeMutableRawPointer) {
        _ = library.regRead(engine, register.rawValue, buffer)
    }

    /// Writes a register of any size from `buffer`.
    package func write(_ register: UnicornRegister, from buffer: UnsafeRawPointer) {
        _ = library.regWrite(engine, register.rawValue, buffer)
    }

    /// `xmm0`…`xmm15`.
    package func xmm(_ index: Int) -> UInt128 {
        var value: UInt128 = 0
        if let register = UnicornRegister.xmm(index) { read(register, into: &value) }
        return value
    }

    package func setXMM(_ index: Int, _ value: UInt128) {
        var copy = value
        if let register = UnicornRegister.xmm(index) { write(register, from: &copy) }
    }

    /// A model-specific register (`uc_x86_msr`: a 32-bit id, then the 64-bit value).
    package func msr(_ id: UInt32) -> UInt64 {
        var record: (UInt32, UInt32, UInt64) = (id, 0, 0)
        withUnsafeMutableBytes(of: &record) { buffer in
            if let base = buffer.baseAddress { read(.msr, into: base) }
        }
        return record.2
    }

    package func setMSR(_ id: UInt32, _ value: UInt64) {
        var record: (UInt32, UInt32, UInt64) = (id, 0, value)
        withUnsafeBytes(of: &record) { buffer in
            if let base = buffer.baseAddress { write(.msr, from: base) }
        }
    }

    /// Loads a descriptor-table register (`uc_x86_mmr`: selector, base, limit, flags).
    package func setTable(_ register: UnicornRegister, base: UInt64, limit: UInt32) {
        var record: (UInt16, UInt16, UInt32, UInt64, UInt32, UInt32) = (0, 0, 0, base, limit, 0)
        withUnsafeBytes(of: &record) { buffer in
            if let start = buffer.baseAddress { write(register, from: start) }
        }
    }

    // MARK: Running

    /// Runs from `address` until `until` is reached, an instruction faults, or `limit`
    /// instructions have run (0: no limit). Returns Unicorn's status (0 when no error stopped
    /// it).
    package func start(at address: UInt64, until: UInt64, instructionLimit limit: Int) -> Int32 {
        library.emuStart(engine, address, until, 0, limit)
    }

    /// Asks the emulation to stop (from a hook, on the emulating thread).
    package func stop() {
        _ = library.emuStop(engine)
    }

    /// Stops treating any address as the end of `start(at:until:)`: `until` is then ignored.
    /// (Unicorn otherwise re-translates the code at `until - 1` after every run.)
    package func disableExits() throws(EmulationError) {
        try check(
            xcdb_uc_ctl1(
                library.ctl, UnsafeMutableRawPointer(engine), UnicornConstant.Control.useExits, 1),
            "enabling explicit exits")
        try check(
            xcdb_uc_ctl2(
                library.ctl, UnsafeMutableRawPointer(engine), UnicornConstant.Control.exits, 0, 0),
            "clearing the exits")
    }

    /// Drops translated code for `range`, so a hook added or removed there takes effect (a
    /// cached block does not see new hooks: unicorn-engine/unicorn#2341). Unicorn translates the
    /// first address through the CPU's page tables, so the first page must be present.
    package func removeTranslations(_ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        _ = xcdb_uc_ctl2(
            library.ctl, UnsafeMutableRawPointer(engine), UnicornConstant.Control.removeCache,
            range.lowerBound, range.upperBound)
    }

    /// Drops all translated code.
    package func flushTranslations() {
        _ = xcdb_uc_ctl0(
            library.ctl, UnsafeMutableRawPointer(engine), UnicornConstant.Control.flushTranslations)
    }

    // MARK: Contexts

    /// A saved CPU state (`uc_context`).
    package final class Context {
        let library: UnicornLibrary
        let pointer: OpaquePointer

        fileprivate init(library: UnicornLibrary, pointer: OpaquePointer) {
            self.library = library
            self.pointer = pointer
        }

        deinit { _ = library.contextFree(pointer) }

        /// Reads a register of the saved state (up to 64 bits).
        package subscript(register: UnicornRegister) -> UInt64 {
            get {
                var value: UInt64 = 0
                _ = library.contextRegRead(pointer, register.rawValue, &value)
                return value
            }
            set {
                var value = newValue
                _ = library.contextRegWrite(pointer, register.rawValue, &value)
            }
        }

        package func read(_ register: UnicornRegister, into buffer: UnsafeMutableRawPointer) {
            _ = library.contextRegRead(pointer, register.rawValue, buffer)
        }

        package func write(_ register: UnicornRegister, from buffer: UnsafeRawPointer) {
            _ = library.contextRegWrite(pointer, register.rawValue, buffer)
        }

        /// The raw saved bytes (Unicorn's CPU structure), `size` long.
        package var bytes: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointer) }
    }

    package func makeContext() throws(EmulationError) -> Context {
        var pointer: OpaquePointer?
        try check(library.contextAlloc(engine, &pointer), "allocating a CPU context")
        guard let pointer else { throw .unicorn("uc_context_alloc returned nothing") }
        return Context(library: library, pointer: pointer)
    }

    /// Bytes in a saved context.
    package var contextSize: Int { library.contextSize(engine) }

    package func save(into context: Context) {
        _ = library.contextSave(engine, context.pointer)
    }

    package func restore(_ context: Context) {
        _ = library.contextRestore(engine, context.pointer)
    }

    // MARK: Hooks

    private final class Box<Handler> {
        let handler: Handler
        init(_ handler: Handler) { self.handler = handler }
    }

    private func install<Handler>(
        _ handler: Handler, type: Int32, callback: UnsafeRawPointer, range: ClosedRange<UInt64>?,
        instruction: Int32? = nil
    ) throws(EmulationError) -> Hook {
        let box = Box(handler)
        let userData = Unmanaged.passUnretained(box).toOpaque()
        // Unicorn reads begin > end as "every address".
        let begin = range?.lowerBound ?? 1
        let end = range?.upperBound ?? 0
        var handle = 0
        let status: Int32
        if let instruction {
            status = xcdb_uc_hook_add_instruction(
                library.hookAdd, UnsafeMutableRawPointer(engine), &handle,
                UnsafeMutableRawPointer(mutating: callback), userData, begin, end, instruction)
        } else {
            status = xcdb_uc_hook_add(
                library.hookAdd, UnsafeMutableRawPointer(engine), &handle, type,
                UnsafeMutableRawPointer(mutating: callback), userData, begin, end)
        }
        try check(status, "adding a hook")
        boxes[handle] = box
        return Hook(raw: handle)
    }

    /// Installs a C callback with its own user data (the instruction clock).
    package func addRawHook(
        type: Int32, callback: UnsafeRawPointer, userData: UnsafeMutableRawPointer?,
        range: ClosedRange<UInt64>? = nil
    ) throws(EmulationError) -> Hook {
        var handle = 0
        try check(
            xcdb_uc_hook_add(
                library.hookAdd, UnsafeMutableRawPointer(engine), &handle, type,
                UnsafeMutableRawPointer(mutating: callback), userData, range?.lowerBound ?? 1,
                range?.upperBound ?? 0), "adding a hook")
        return Hook(raw: handle)
    }

    package func removeHook(_ hook: Hook) {
        _ = library.hookDel(engine, hook.raw)
        boxes[hook.raw] = nil
    }

    private typealias CodeHandler = (UInt64, UInt32) -> Void
    private typealias CodeCallback =
        @convention(c) (OpaquePointer?, UInt64, UInt32, UnsafeMutableRawPointer?) -> Void

    /// Calls `handler(address, size)` before each instruction in `range` (all code when nil).
    @discardableResult
    package func onInstruction(
        in range: ClosedRange<UInt64>?, _ handler: @escaping (UInt64, UInt32) -> Void
    ) throws(EmulationError) -> Hook {
        let callback: CodeCallback = { _, address, size, userData in
            guard let userData else { return }
            Unmanaged<Box<CodeHandler>>.fromOpaque(userData).takeUnretainedValue().handler(
                address, size)
        }
        return try install(
            handler as CodeHandler, type: UnicornConstant.Hook.code,
            callback: unsafeBitCast(callback, to: UnsafeRawPointer.self), range: range)
    }

    /// Calls `handler(address, size)` before each instruction in `range` (half-open).
    @discardableResult
    package func onInstruction(
        in range: Range<UInt64>, _ handler: @escaping (UInt64, UInt32) -> Void
    )
        throws(EmulationError) -> Hook
    {
        guard !range.isEmpty else { throw .invalidArgument("an empty instruction range") }
        return try onInstruction(in: range.lowerBound...(range.upperBound - 1), handler)
    }

    private typealias InvalidHandler = (InvalidAccess) -> Bool
    private typealias MemoryEventCallback =
        @convention(c) (OpaquePointer?, Int32, UInt64, Int32, Int64, UnsafeMutableRawPointer?) ->
        Bool

    /// Calls `handler` for each access to memory Unicorn has not mapped, or against the
    /// protection Unicorn was given. Returning true says the handler fixed it (the access is
    /// retried); false stops the emulation with the access not performed.
    @discardableResult
    package func onInvalidAccess(_ handler: @escaping (InvalidAccess) -> Bool)
        throws(EmulationError) -> Hook
    {
        let callback: MemoryEventCallback = { _, type, address, size, _, userData in
            guard let userData else { return false }
            // uc_mem_type: 19-21 unmapped read/write/fetch, 22 write-protected,
            // 23 read-protected, 24 fetch-protected.
            let kind: InvalidAccess.Kind =
                switch type {
                case 20, 22: .write
                case 21, 24: .fetch
                default: .read
                }
            return Unmanaged<Box<InvalidHandler>>.fromOpaque(userData).takeUnretainedValue()
                .handler(
                    InvalidAccess(
                        kind: kind, address: address, size: Int(size), isProtectionFault: type >= 22
                    ))
        }
        return try install(
            handler as InvalidHandler,
            type: UnicornConstant.Hook.memoryUnmapped | UnicornConstant.Hook.memoryProtection,
            callback: unsafeBitCast(callback, to: UnsafeRawPointer.self), range: nil)
    }

    /// Calls `handler(access)` for each guest read and/or write in `range` (by the address the
    /// access starts at). While any such hook exists, every memory access takes Unicorn's slow
    /// path, and code translated before it was added does not call it: flush translations.
    @discardableResult
    package func onMemoryAccess(
        reads: Bool, writes: Bool, in range: ClosedRange<UInt64>,
        _ handler: @escaping (Access) -> Void
    ) throws(EmulationError) -> Hook {
        typealias Handler = (Access) -> Void
        let callback: MemoryEventCallback = { _, type, address, size, _, userData in
            guard let userData else { return false }
            // UC_MEM_READ = 16, UC_MEM_WRITE = 17.
            Unmanaged<Box<Handler>>.fromOpaque(userData).takeUnretainedValue().handler(
                Access(isWrite: type == 17, address: address, size: Int(size)))
            return false
        }
        let type =
            (reads ? UnicornConstant.Hook.memoryRead : 0)
            | (writes ? UnicornConstant.Hook.memoryWrite : 0)
        return try install(
            handler as Handler, type: type,
            callback: unsafeBitCast(callback, to: UnsafeRawPointer.self), range: range)
    }

    private typealias InterruptHandler = (UInt32) -> Void
    private typealias InterruptCallback =
        @convention(c) (OpaquePointer?, UInt32, UnsafeMutableRawPointer?) -> Void

    /// Calls `handler(vector)` for each CPU exception or `int n`. After a software interrupt
    /// `rip` is past the instruction; after a fault it is at the faulting instruction.
    @discardableResult
    package func onInterrupt(_ handler: @escaping (UInt32) -> Void) throws(EmulationError) -> Hook {
        let callback: InterruptCallback = { _, vector, userData in
            guard let userData else { return }
            Unmanaged<Box<InterruptHandler>>.fromOpaque(userData).takeUnretainedValue().handler(
                vector)
        }
        return try install(
            handler as InterruptHandler, type: UnicornConstant.Hook.interrupt,
            callback: unsafeBitCast(callback, to: UnsafeRawPointer.self), range: nil)
    }

    private typealias PlainHandler = () -> Void
    private typealias PlainCallback =
        @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) ->
        Void

    /// Calls `handler` for each `syscall` instruction, with `rip` at the instruction (Unicorn
    /// moves past it when the handler returns).
    @discardableResult
    package func onSyscall(_ handler: @escaping () -> Void) throws(EmulationError) -> Hook {
        let callback: PlainCallback = { _, userData in
            guard let userData else { return }
            Unmanaged<Box<PlainHandler>>.fromOpaque(userData).takeUnretainedValue().handler()
        }
        return try install(
            handler as PlainHandler, type: 2,
            callback: unsafeBitCast(callback, to: UnsafeRawPointer.self), range: nil,
            instruction: UnicornConstant.syscallInstruction)
    }

    private typealias InvalidInstructionHandler = () -> Bool
    private typealias InvalidInstructionCallback =
        @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Bool

    /// Calls `handler` for an instruction the CPU cannot decode, with `rip` at it. Returning
    /// false stops the emulation (status `UC_ERR_INSN_INVALID`).
    @discardableResult
    package func onInvalidInstruction(_ handler: @escaping () -> Bool) throws(EmulationError)
        -> Hook
    {
        let callback: InvalidInstructionCallback = { _, userData in
            guard let userData else { return false }
            return Unmanaged<Box<InvalidInstructionHandler>>.fromOpaque(userData)
                .takeUnretainedValue().handler()
        }
        return try install(
            handler as InvalidInstructionHandler, type: UnicornConstant.Hook.invalidInstruction,
            callback: unsafeBitCast(callback, to: UnsafeRawPointer.self), range: nil)
    }
}

/// Hex formatting for messages.
package enum Hex {
    /// `0x140001174`.
    package static func text(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
