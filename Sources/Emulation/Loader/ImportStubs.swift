/// Code the executive owns in the guest: one small stub per import nobody implements, and the
/// return address of threads started without `ntdll`.
///
/// An unimplemented import's IAT slot points at its stub, `mov eax, 0x10000000 + n; syscall;
/// ret`: calling it traps to the executive, which stops the target with an event naming
/// `DLL!function`; continuing returns 0 with last error `ERROR_PROC_NOT_FOUND` to the caller.
final class ImportStubs {
    struct Stub: Equatable {
        let dll: String
        let function: String
        let address: UInt64
    }

    /// Service numbers from here name stubs.
    static let serviceBase: UInt32 = 0x1000_0000
    static let stubSize: UInt64 = 16
    private static let regionSize: UInt64 = 0x1_0000

    private let space: AddressSpace
    private(set) var stubs: [Stub] = []
    private var byName: [String: Int] = [:]
    private var regions: [UInt64] = []
    private var used: UInt64 = 0
    /// Where a thread without `ntdll` returns to: it ends the thread with `rax` as exit code.
    private(set) var threadExit: UInt64 = 0

    init(space: AddressSpace) throws(EmulationError) {
        self.space = space
        // mov rdx, rax; mov rcx, -2; mov r10, rcx; mov eax, NtTerminateThread; syscall; int3
        threadExit = try place(
            [
                0x48, 0x89, 0xC2, 0x48, 0xC7, 0xC1, 0xFE, 0xFF, 0xFF, 0xFF, 0x49, 0x89, 0xCA, 0xB8,
                0x02, 0, 0, 0, 0x0F, 0x05, 0xCC,
            ], size: 32)
    }

    /// The stub for `dll!function`, made on first use.
    func address(dll: String, function: String) throws(EmulationError) -> UInt64 {
        let key = dll.lowercased() + "!" + function
        if let index = byName[key] { return stubs[index].address }
        let number = Self.serviceBase + UInt32(stubs.count)
        var code: [UInt8] = [0xB8]
        code += withUnsafeBytes(of: number.littleEndian) { Array($0) }
        code += [0x0F, 0x05, 0xC3]
        let address = try place(code, size: Self.stubSize)
        byName[key] = stubs.count
        stubs.append(Stub(dll: dll, function: function, address: address))
        return address
    }

    /// The stub a service number names.
    func stub(service number: UInt32) -> Stub? {
        guard number >= Self.serviceBase else { return nil }
        let index = Int(number - Self.serviceBase)
        return index < stubs.count ? stubs[index] : nil
    }

    /// The stub whose code holds `address`.
    func stub(containing address: UInt64) -> Stub? {
        stubs.first { address >= $0.address && address < $0.address + Self.stubSize }
    }

    private func place(_ code: [UInt8], size: UInt64) throws(EmulationError) -> UInt64 {
        if regions.isEmpty || used + size > Self.regionSize {
            do {
                let base = try space.reserve(
                    at: nil, size: Self.regionSize, protect: PageProtection.executeRead,
                    topDown: true, isSystem: true)
                try space.commit(
                    base, size: Self.regionSize, protect: PageProtection.executeRead,
                    bySystem: true)
                regions.append(base)
                used = 0
            } catch {
                throw .host("no room for the executive's import stubs")
            }
        }
        guard let base = regions.last else { throw .host("no stub region") }
        let address = base + used
        var padded = code
        padded += Array(repeating: 0xCC, count: Int(size) - code.count)
        _ = padded.withUnsafeBytes { space.write(address, $0) }
        used += size
        return address
    }
}
