import PEFormat

/// Maps an image the way the loader does, without running it: headers and sections with their
/// protections, relocations (a second copy is always relocated, the first holding the preferred
/// base), imports bound to stubs, exports, TLS and `.pdata` read. It needs no emulator; the PE
/// loader's fuzz target drives it, and it can vet an image before a machine starts.
public final class ImageProbe {
    private let windows: HostWindows
    private let space: AddressSpace
    private let stubs: ImportStubs

    public init() throws(EmulationError) {
        windows = try HostWindows()
        guard let low = windows.windows.first else { throw .host("no host window") }
        let system = low.end - GuestCPU.systemAreaSize
        let tables = try PageTables(windows: windows, pool: system..<low.end)
        var arenas = [0x10000..<system]
        if windows.windows.count > 1 {
            arenas.append(windows.windows[1].base..<HostWindows.userSpaceEnd)
        }
        space = AddressSpace(windows: windows, pageTables: tables, arenas: arenas, cap: 1 << 30)
        stubs = try ImportStubs(space: space)
    }

    /// Loads `bytes` (a PE32+ file) twice and unloads it; throws the loader's error for a bad
    /// image.
    public func load(_ bytes: [UInt8]) throws(EmulationError) {
        let path = "<probe>"
        let image: PEImage
        do {
            image = try PEImage(source: ArrayByteSource(bytes), layout: .file)
        } catch {
            throw .image(path: path, reason: error.description)
        }
        try ImageMapper.check(image, path: path, fileSize: UInt64(bytes.count))
        let mapper = ImageMapper(space: space)
        let first = try mapper.map(image, path: path, topDown: false)
        defer { try? space.release(first) }
        let second = try mapper.map(image, path: path, topDown: true)
        defer { try? space.release(second) }
        for base in [first, second] {
            if let imports = try? image.imports() {
                for module in imports {
                    for function in module.functions {
                        guard UInt64(function.iatRVA) + 8 <= UInt64(image.sizeOfImage) else {
                            throw .image(
                                path: path, reason: "an import address slot lies outside the image")
                        }
                        let name: String
                        switch function.reference {
                        case .name(let text, _): name = text
                        case .ordinal(let ordinal): name = "#\(ordinal)"
                        case .unknown: name = "?"
                        }
                        let stub = try stubs.address(dll: module.dllName, function: name)
                        _ = withUnsafeBytes(of: stub.littleEndian) {
                            space.write(base + UInt64(function.iatRVA), $0)
                        }
                    }
                }
            }
            mapper.protect(image, at: base)
        }
        if let exports = try? image.exports() {
            for export in exports.exports.prefix(4096) {
                _ = exports.export(ordinal: export.ordinal)
            }
        }
        if let tls = try? image.tlsDirectory() { _ = image.tlsCallbacks(tls) }
        _ = try? image.x64FunctionTable()
    }
}
