/// `IMAGE_TLS_DIRECTORY`: the image's static thread-local storage. Addresses are virtual
/// addresses at the image's preferred base (relocations move them with the image).
public struct TLSDirectory: Sendable, Equatable {
    /// The template every thread's copy starts from: `startAddressOfRawData..<endAddressOfRawData`.
    public var startAddressOfRawData: UInt64
    public var endAddressOfRawData: UInt64
    /// Where the loader writes the image's TLS index.
    public var addressOfIndex: UInt64
    /// A null-terminated array of `PIMAGE_TLS_CALLBACK`s, or 0.
    public var addressOfCallbacks: UInt64
    /// Zero bytes after the template.
    public var sizeOfZeroFill: UInt32
    public var characteristics: UInt32

    /// Bytes of each thread's block: the template and the zero fill.
    public var blockSize: UInt64 {
        (endAddressOfRawData &- startAddressOfRawData) &+ UInt64(sizeOfZeroFill)
    }
}

extension PEImage {
    /// The TLS directory. Throws `.missing` when the image has none.
    public func tlsDirectory() throws(PEError) -> TLSDirectory {
        let size = is64Bit ? 40 : 24
        guard let directory = dataDirectory(.tls) else { throw .missing(what: "TLS directory") }
        guard let bytes = read(rva: directory.virtualAddress, count: size) else {
            throw .truncated(what: "TLS directory", offset: UInt64(directory.virtualAddress))
        }
        let pointer = pointerSize
        func address(_ index: Int) -> UInt64 {
            ByteReader.pointer(bytes, index * pointer, size: pointer) ?? 0
        }
        let tls = TLSDirectory(
            startAddressOfRawData: address(0), endAddressOfRawData: address(1),
            addressOfIndex: address(2), addressOfCallbacks: address(3),
            sizeOfZeroFill: ByteReader.uint32(bytes, 4 * pointer) ?? 0,
            characteristics: ByteReader.uint32(bytes, 4 * pointer + 4) ?? 0)
        guard tls.endAddressOfRawData >= tls.startAddressOfRawData,
            tls.blockSize <= UInt64(Self.maximumReadSize)
        else {
            throw .implausible(what: "TLS template size", value: tls.blockSize)
        }
        return tls
    }

    /// The callbacks of a TLS directory as virtual addresses at the preferred base (at most
    /// 1024; a list without its terminating null is cut there).
    public func tlsCallbacks(_ tls: TLSDirectory) -> [UInt64] {
        guard tls.addressOfCallbacks >= imageBase,
            tls.addressOfCallbacks - imageBase < UInt64(sizeOfImage)
        else { return [] }
        var callbacks: [UInt64] = []
        var rva = UInt32(tls.addressOfCallbacks - imageBase)
        while callbacks.count < 1024,
            let bytes = read(rva: rva, count: pointerSize),
            let value = ByteReader.pointer(bytes, 0, size: pointerSize), value != 0
        {
            callbacks.append(value)
            let (next, overflow) = rva.addingReportingOverflow(UInt32(pointerSize))
            guard !overflow else { break }
            rva = next
        }
        return callbacks
    }
}
