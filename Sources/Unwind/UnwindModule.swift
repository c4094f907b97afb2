import PEFormat

/// What the unwinder knows about one loaded module.
///
/// Build it from a `PEImage` (`init(base:image:)`, the image in the target's memory or the file
/// on disk) or from parts: a dump's FunctionTable stream gives `x64FunctionTable` without an
/// image. A module without any function table is still useful: it tells the scan which
/// addresses are code.
public struct UnwindModule: Sendable {
    public var base: UInt64
    public var size: UInt64
    public var name: String
    /// RUNTIME_FUNCTION entries (RVAs from `base`), for x64 modules.
    public var x64FunctionTable: X64FunctionTable?
    /// `.pdata` of an ARM64/ARM module, used for function ranges (leaf detection).
    public var armFunctionTable: ARMFunctionTable?
    /// RVA-addressed bytes of the image for UNWIND_INFO and code, e.g. `PEImage.rvaSource` of
    /// the file on disk. Nil: read the target's memory at `base + rva`.
    public var imageBytes: (any ByteSource)?
    /// RVA ranges of executable sections; nil when unknown (then the whole module counts).
    public var executableRanges: [Range<UInt32>]?

    public init(
        base: UInt64, size: UInt64, name: String = "", x64FunctionTable: X64FunctionTable? = nil,
        armFunctionTable: ARMFunctionTable? = nil, imageBytes: (any ByteSource)? = nil,
        executableRanges: [Range<UInt32>]? = nil
    ) {
        self.base = base
        self.size = size
        self.name = name
        self.x64FunctionTable = x64FunctionTable
        self.armFunctionTable = armFunctionTable
        self.imageBytes = imageBytes
        self.executableRanges = executableRanges
    }

    /// A module loaded at `base` described by `image`: function table, executable sections and
    /// (when `useImageBytes`) the image itself as the source of unwind info and code bytes.
    /// Missing tables are simply left out.
    public init(base: UInt64, image: PEImage, name: String = "", useImageBytes: Bool = true) {
        self.init(base: base, size: UInt64(image.sizeOfImage), name: name)
        if image.machine == .amd64 {
            x64FunctionTable = try? image.x64FunctionTable()
        } else if image.machine == .arm64 || image.machine == .armNT {
            armFunctionTable = try? image.armFunctionTable()
        }
        if useImageBytes { imageBytes = image.rvaSource }
        executableRanges = image.sections.filter(\.isExecutable).map { section in
            let end = min(
                UInt64(section.virtualAddress) + UInt64(section.virtualExtent), UInt64(UInt32.max))
            return section.virtualAddress..<UInt32(end)
        }
    }

    /// True when `address` is inside the module.
    public func contains(_ address: UInt64) -> Bool {
        address >= base && address - base < size
    }

    /// The RVA of `address`, when inside the module and representable.
    func rva(of address: UInt64) -> UInt32? {
        guard contains(address), address - base <= UInt64(UInt32.max) else { return nil }
        return UInt32(address - base)
    }

    /// True when `address` is in executable code of this module (or anywhere in it when the
    /// sections are unknown).
    public func isCode(_ address: UInt64) -> Bool {
        guard let rva = rva(of: address) else { return false }
        guard let ranges = executableRanges else { return true }
        return ranges.contains { $0.contains(rva) }
    }

    /// Bytes at `rva` from the image bytes, falling back to the target memory.
    func read(rva: UInt32, count: Int, memory: any ByteSource) -> [UInt8]? {
        if let imageBytes, let bytes = imageBytes.read(at: UInt64(rva), count: count) {
            return bytes
        }
        let (address, overflow) = base.addingReportingOverflow(UInt64(rva))
        return overflow ? nil : memory.read(at: address, count: count)
    }
}

/// Finds the module that holds an address. The engine implements it over its module list, or
/// uses `UnwindModuleList`.
public protocol UnwindModuleLookup: Sendable {
    func module(containing address: UInt64) -> UnwindModule?
}

/// A sorted, binary-searched list of modules.
public struct UnwindModuleList: UnwindModuleLookup {
    public let modules: [UnwindModule]

    public init(_ modules: [UnwindModule]) {
        self.modules = modules.sorted { $0.base < $1.base }
    }

    public func module(containing address: UInt64) -> UnwindModule? {
        var low = 0
        var high = modules.count
        while low < high {
            let middle = (low + high) / 2
            if modules[middle].base <= address {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0, modules[low - 1].contains(address) else { return nil }
        return modules[low - 1]
    }
}
