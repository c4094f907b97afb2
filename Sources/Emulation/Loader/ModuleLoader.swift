import FoundationEssentials
import PEFormat

/// Loads the program and the DLLs it needs the way the Windows loader lays them out: the
/// program, `ntdll`, `kernel32`, then imports depth first; every import snapped by name or
/// ordinal through forwarders; unimplemented ones bound to stubs. DLLs come from the system DLL
/// folder, then the program's folder. A DLL found nowhere does not stop the load: its imports
/// become stubs too.
final class ModuleLoader {
    let space: AddressSpace
    let stubs: ImportStubs
    let systemFolder: String?
    let programFolder: String
    private(set) var modules: [LoadedModule] = []
    /// DLLs in the order their initialisation runs (dependencies first); not the program.
    private(set) var initializationOrder: [LoadedModule] = []
    /// DLLs nothing could be found for.
    private(set) var missing: [String] = []
    /// Static TLS indices handed out so far.
    private(set) var tlsCount: UInt32 = 0
    private var folderListings: [String: [String: String]] = [:]

    static let systemGuestFolder = "C:\\Windows\\System32\\"
    static let programGuestFolder = "C:\\sandbox\\"

    init(space: AddressSpace, stubs: ImportStubs, systemFolder: String?, programFolder: String) {
        self.space = space
        self.stubs = stubs
        self.systemFolder = systemFolder
        self.programFolder = programFolder
    }

    func module(named name: String) -> LoadedModule? {
        let wanted = Self.normalized(name)
        return modules.first { Self.normalized($0.info.name) == wanted }
    }

    func module(containing address: UInt64) -> LoadedModule? {
        modules.first { $0.info.contains(address) }
    }

    /// `foo` → `foo.dll`, lower case: how the loader compares DLL names.
    static func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.contains(".") ? lower : lower + ".dll"
    }

    // MARK: Loading

    /// Maps the program and everything it imports; snaps imports. Returns the program.
    func loadProgram(_ hostPath: String) throws(EmulationError) -> LoadedModule {
        let image = try ImageMapper.open(hostPath)
        guard image.characteristics & 0x2000 == 0 else {
            throw .image(path: hostPath, reason: "it is a DLL, not a program")
        }
        let name = URL(fileURLWithPath: hostPath).lastPathComponent
        let main = try map(
            image, hostPath: hostPath, name: name, guestPath: Self.programGuestFolder + name,
            isMain: true)
        var fresh = [main]
        for required in ["ntdll.dll", "kernel32.dll"] {
            if let found = locateSystem(required), module(named: required) == nil {
                let loaded = try map(
                    try ImageMapper.open(found.path), hostPath: found.path, name: found.name,
                    guestPath: Self.systemGuestFolder + found.name, isMain: false)
                fresh.append(loaded)
            }
        }
        var visited: Set<String> = []
        for module in fresh { try loadDependencies(of: module, visited: &visited, fresh: &fresh) }
        try finish(fresh)
        return main
    }

    /// Loads a DLL at run time (`NtXcdbLoadDll`), with its dependencies. Returns the module and
    /// the modules newly mapped (empty when it was already loaded); nil when no file is found.
    func loadLibrary(_ name: String) throws(EmulationError) -> (LoadedModule, [LoadedModule])? {
        let fileName =
            (name.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last.map(String.init)) ?? name
        if let loaded = module(named: fileName) { return (loaded, []) }
        guard let found = locate(fileName) else { return nil }
        let image = try ImageMapper.open(found.path)
        let module = try map(
            image, hostPath: found.path, name: found.name, guestPath: found.guestPath,
            isMain: false)
        var fresh = [module]
        var visited: Set<String> = []
        try loadDependencies(of: module, visited: &visited, fresh: &fresh)
        try finish(fresh)
        return (module, fresh)
    }

    private func map(
        _ image: PEImage, hostPath: String, name: String, guestPath: String, isMain: Bool
    ) throws(EmulationError) -> LoadedModule {
        let mapper = ImageMapper(space: space)
        let base = try mapper.map(image, path: hostPath, topDown: !isMain)
        let exports = try? image.exports()
        var tls: TLSDirectory?
        do {
            tls = try image.tlsDirectory()
        } catch .missing {
            tls = nil
        } catch {
            try? space.release(base)
            throw .image(path: hostPath, reason: error.description)
        }
        let pdata = image.dataDirectory(.exception).map {
            base + UInt64($0.virtualAddress)..<base + UInt64($0.virtualAddress) + UInt64($0.size)
        }
        let info = ModuleInfo(
            name: name, guestPath: guestPath, hostPath: hostPath, base: base,
            size: UInt64(image.sizeOfImage),
            entryPoint: image.entryPointRVA == 0 ? 0 : base + UInt64(image.entryPointRVA),
            preferredBase: image.imageBase, timestamp: image.timeDateStamp,
            checksum: image.checkSum, exceptionTable: pdata, tlsIndex: nil, isMainImage: isMain)
        let module = LoadedModule(info: info, image: image, exports: exports, tls: tls)
        modules.append(module)
        return module
    }

    private func loadDependencies(
        of module: LoadedModule, visited: inout Set<String>, fresh: inout [LoadedModule]
    ) throws(EmulationError) {
        let key = Self.normalized(module.info.name)
        guard visited.insert(key).inserted else { return }
        let imports: [ImportedModule]
        do {
            imports = try module.image.imports()
        } catch .missing {
            imports = []
        } catch {
            throw .image(path: module.info.hostPath, reason: error.description)
        }
        for imported in imports {
            let dll = imported.dllName
            if let loaded = self.module(named: dll) {
                try loadDependencies(of: loaded, visited: &visited, fresh: &fresh)
                continue
            }
            guard let found = locate(dll) else {
                if !missing.contains(Self.normalized(dll)) { missing.append(Self.normalized(dll)) }
                continue
            }
            let image = try ImageMapper.open(found.path)
            let loaded = try map(
                image, hostPath: found.path, name: found.name, guestPath: found.guestPath,
                isMain: false)
            fresh.append(loaded)
            try loadDependencies(of: loaded, visited: &visited, fresh: &fresh)
        }
    }

    /// Snaps imports of the new modules, assigns TLS indices, sets protections and extends the
    /// initialisation order.
    private func finish(_ fresh: [LoadedModule]) throws(EmulationError) {
        for module in fresh { try resolveImports(of: module) }
        let mapper = ImageMapper(space: space)
        for module in fresh {
            if let tls = module.tls {
                let index = tlsCount
                tlsCount += 1
                module.info.tlsIndex = index
                let address = tls.addressOfIndex &+ module.delta
                if module.info.contains(address) {
                    _ = withUnsafeBytes(of: index.littleEndian) { space.write(address, $0) }
                }
            }
            mapper.protect(module.image, at: module.info.base)
        }
        var ordered: [LoadedModule] = []
        var seen = Set(initializationOrder.map { ObjectIdentifier($0) })
        func visit(_ module: LoadedModule, depth: Int) {
            guard depth < 256, !seen.contains(ObjectIdentifier(module)) else { return }
            seen.insert(ObjectIdentifier(module))
            for dll in (try? module.image.imports())?.map(\.dllName) ?? [] {
                if let dependency = self.module(named: dll) { visit(dependency, depth: depth + 1) }
            }
            if !module.info.isMainImage { ordered.append(module) }
        }
        // ntdll and kernel32 initialise first, as on Windows.
        for name in ["ntdll.dll", "kernel32.dll"] {
            if let module = module(named: name), fresh.contains(where: { $0 === module }) {
                visit(module, depth: 0)
            }
        }
        for module in fresh { visit(module, depth: 0) }
        initializationOrder += ordered
    }

    // MARK: Imports

    private func resolveImports(of module: LoadedModule) throws(EmulationError) {
        let imports: [ImportedModule]
        do {
            imports = try module.image.imports()
        } catch .missing {
            return
        } catch {
            throw .image(path: module.info.hostPath, reason: error.description)
        }
        for imported in imports {
            let target = self.module(named: imported.dllName)
            for function in imported.functions {
                let slot = module.info.base + UInt64(function.iatRVA)
                guard UInt64(function.iatRVA) + 8 <= module.info.size else {
                    throw .image(
                        path: module.info.hostPath,
                        reason: "an import address slot lies outside the image")
                }
                let symbol: String
                var address: UInt64?
                switch function.reference {
                case .name(let name, _):
                    symbol = name
                    if let target { address = try resolve(target, .name(name), importer: module) }
                case .ordinal(let ordinal):
                    symbol = "#\(ordinal)"
                    if let target {
                        address = try resolve(target, .ordinal(UInt32(ordinal)), importer: module)
                    }
                case .unknown:
                    throw .image(
                        path: module.info.hostPath,
                        reason: "an import from \(imported.dllName) cannot be read")
                }
                let value: UInt64
                if let address {
                    value = address
                } else {
                    value = try stubs.address(dll: imported.dllName, function: symbol)
                }
                _ = withUnsafeBytes(of: value.littleEndian) { space.write(slot, $0) }
            }
        }
    }

    enum ExportReference: Hashable {
        case name(String)
        case ordinal(UInt32)

        var text: String {
            switch self {
            case .name(let name): name
            case .ordinal(let ordinal): "#\(ordinal)"
            }
        }
    }

    /// The address of an export, following forwarders (loading the DLLs they name); nil when
    /// nothing implements it. A forwarder loop is an error of the image that starts it.
    func resolve(_ module: LoadedModule, _ reference: ExportReference, importer: LoadedModule?)
        throws(EmulationError) -> UInt64?
    {
        var current = module
        var wanted = reference
        var chain: [String] = []
        while true {
            let step = "\(current.info.name)!\(wanted.text)"
            if chain.contains(step) || chain.count > 32 {
                throw .image(
                    path: (importer ?? module).info.hostPath,
                    reason: "forwarded exports loop: " + (chain + [step]).joined(separator: " -> "))
            }
            chain.append(step)
            guard let exports = current.exports else { return nil }
            let export: Export?
            switch wanted {
            case .name(let name): export = exports.export(named: name)
            case .ordinal(let ordinal): export = exports.export(ordinal: ordinal)
            }
            guard let export else { return nil }
            guard let forwarder = export.forwarder else {
                return current.info.base + UInt64(export.rva)
            }
            guard let dot = forwarder.lastIndex(of: ".") else { return nil }
            let dll = String(forwarder[..<dot])
            let symbol = String(forwarder[forwarder.index(after: dot)...])
            if symbol.hasPrefix("#"), let ordinal = UInt32(symbol.dropFirst()) {
                wanted = .ordinal(ordinal)
            } else {
                wanted = .name(symbol)
            }
            if let loaded = self.module(named: dll) {
                current = loaded
            } else if let (loaded, _) = try loadLibrary(Self.normalized(dll)) {
                current = loaded
            } else {
                return nil
            }
        }
    }

    // MARK: Files

    struct Found {
        let path: String
        let name: String
        let guestPath: String
    }

    private func locateSystem(_ name: String) -> Found? {
        guard let systemFolder, let file = listing(systemFolder)[Self.normalized(name)] else {
            return nil
        }
        return Found(
            path: systemFolder + "/" + file, name: file, guestPath: Self.systemGuestFolder + file)
    }

    /// A DLL file: the system folder first, then the program's folder.
    private func locate(_ name: String) -> Found? {
        if let found = locateSystem(name) { return found }
        guard let file = listing(programFolder)[Self.normalized(name)] else { return nil }
        return Found(
            path: programFolder + "/" + file, name: file, guestPath: Self.programGuestFolder + file)
    }

    private func listing(_ folder: String) -> [String: String] {
        if let cached = folderListings[folder] { return cached }
        var map: [String: String] = [:]
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            map[file.lowercased()] = file
        }
        folderListings[folder] = map
        return map
    }
}
