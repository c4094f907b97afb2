import PEFormat

/// A module (image) mapped in the guest.
public struct ModuleInfo: Sendable, Equatable {
    /// The file name as the loader lists it (`ntdll.dll`, `prog.exe`).
    public var name: String
    /// The path the guest sees (`C:\Windows\System32\ntdll.dll`).
    public var guestPath: String
    /// The file it was read from on the host.
    public var hostPath: String
    public var base: UInt64
    public var size: UInt64
    /// 0 when the image has none.
    public var entryPoint: UInt64
    public var preferredBase: UInt64
    public var timestamp: UInt32
    public var checksum: UInt32
    /// The `.pdata` table (RUNTIME_FUNCTION entries) in guest memory, if any.
    public var exceptionTable: Range<UInt64>?
    /// The image's static TLS index, when it has a TLS directory.
    public var tlsIndex: UInt32?
    public var isMainImage: Bool

    public var end: UInt64 { base + size }

    /// The module name debuggers use: the file name without its extension.
    public var moduleName: String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    public func contains(_ address: UInt64) -> Bool { address >= base && address - base < size }
}

/// A module with what the loader keeps about it besides the public facts.
final class LoadedModule {
    var info: ModuleInfo
    let image: PEImage
    /// The image as read from the file; export lookups read from here (never from guest memory,
    /// which the program may change).
    let exports: ExportTable?
    let tls: TLSDirectory?
    /// The guest address of each LDR_DATA_TABLE_ENTRY, once written.
    var loaderEntry: UInt64 = 0

    init(info: ModuleInfo, image: PEImage, exports: ExportTable?, tls: TLSDirectory?) {
        self.info = info
        self.image = image
        self.exports = exports
        self.tls = tls
    }

    var delta: UInt64 { info.base &- info.preferredBase }
}
