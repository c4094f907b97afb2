/// A loaded module with its name and debug records resolved.
public struct MinidumpModule: Sendable, Equatable {
    public let raw: MINIDUMP_MODULE
    /// The module's path as recorded (empty when the name could not be read; see `warnings`).
    public let name: String
    /// The CodeView record, when present and readable.
    public let codeView: CodeViewRecord?
    /// The `IMAGE_DEBUG_MISC` record, when present and readable.
    public let miscRecord: IMAGE_DEBUG_MISC?

    public var baseAddress: UInt64 { raw.baseOfImage }
    public var size: UInt64 { UInt64(raw.sizeOfImage) }
    /// One past the last byte (saturating at 2^64 − 1 for a damaged entry).
    public var endAddress: UInt64 {
        let (end, overflow) = raw.baseOfImage.addingReportingOverflow(UInt64(raw.sizeOfImage))
        return overflow ? .max : end
    }

    /// The file name without its directory (`ntdll.dll` for `C:\Windows\System32\ntdll.dll`).
    public var fileName: String {
        let parts = name.split(whereSeparator: { $0 == "\\" || $0 == "/" })
        return parts.last.map(String.init) ?? name
    }

    public func contains(_ address: UInt64) -> Bool {
        address >= raw.baseOfImage && address < endAddress
    }
}

/// A module unloaded before the dump was written, with its name resolved.
public struct MinidumpUnloadedModule: Sendable, Equatable {
    public let raw: MINIDUMP_UNLOADED_MODULE
    public let name: String
}

extension Minidump {
    /// The ModuleList stream with names, CodeView and misc records resolved (cached).
    /// A name or record that cannot be read leaves that field empty and adds a warning.
    public func modules() throws(MinidumpError) -> [MinidumpModule] {
        if let cached = cache.withLock({ $0.modules }) { return try cached.get() }
        let result = ReadOutcome { () throws(MinidumpError) -> [MinidumpModule] in
            let raw = try readList(.moduleList, entrySize: MINIDUMP_MODULE.size) {
                (c: inout Cursor) throws(MinidumpError) in
                try MINIDUMP_MODULE(from: &c)
            }
            var budget = DecodeBudget(stream: "ModuleList")
            var modules: [MinidumpModule] = []
            modules.reserveCapacity(raw.count)
            for (index, module) in raw.enumerated() {
                modules.append(resolve(module: module, index: index, budget: &budget))
            }
            return modules
        }
        cache.withLock { $0.modules = result }
        return try result.get()
    }

    private func resolve(module raw: MINIDUMP_MODULE, index: Int, budget: inout DecodeBudget)
        -> MinidumpModule
    {
        var name = ""
        do {
            name = try string(
                at: raw.moduleNameRva, what: "name of module \(index)", budget: &budget)
        } catch {
            warn("ModuleList: \(error.message)")
        }
        var codeView: CodeViewRecord?
        if raw.cvRecord.dataSize > 0 {
            do {
                try budget.spend(Int(raw.cvRecord.dataSize), at: Int(raw.cvRecord.rva))
                var c = try Cursor(
                    bytes, offset: Int(raw.cvRecord.rva), length: Int(raw.cvRecord.dataSize),
                    label: "CodeView record of module \(index) (\(name))")
                codeView = try CodeViewRecord(from: &c)
            } catch {
                warn("ModuleList: \(error.message)")
            }
        }
        var misc: IMAGE_DEBUG_MISC?
        if raw.miscRecord.dataSize > 0 {
            do {
                try budget.spend(Int(raw.miscRecord.dataSize), at: Int(raw.miscRecord.rva))
                var c = try Cursor(
                    bytes, offset: Int(raw.miscRecord.rva), length: Int(raw.miscRecord.dataSize),
                    label: "misc record of module \(index) (\(name))")
                misc = try IMAGE_DEBUG_MISC(from: &c)
            } catch {
                warn("ModuleList: \(error.message)")
            }
        }
        return MinidumpModule(raw: raw, name: name, codeView: codeView, miscRecord: misc)
    }

    /// The module whose image contains `address`, if any.
    public func module(containing address: UInt64) -> MinidumpModule? {
        (try? modules())?.first { $0.contains(address) }
    }

    /// The UnloadedModuleList stream with names resolved.
    public func unloadedModules() throws(MinidumpError) -> [MinidumpUnloadedModule] {
        let raw = try readExtendedList(
            .unloadedModuleList, minimumEntrySize: MINIDUMP_UNLOADED_MODULE.size
        ) { (c: inout Cursor, _: Int) throws(MinidumpError) in
            try MINIDUMP_UNLOADED_MODULE(from: &c)
        }
        return raw.enumerated().map { index, module in
            var name = ""
            do throws(MinidumpError) {
                name = try string(
                    at: module.moduleNameRva, what: "name of unloaded module \(index)")
            } catch {
                warn("UnloadedModuleList: \(error.message)")
            }
            return MinidumpUnloadedModule(raw: module, name: name)
        }
    }
}
