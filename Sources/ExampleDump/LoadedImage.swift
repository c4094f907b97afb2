import Emulation
import PEFormat

/// The example executable as the Windows loader would lay it out at its preferred base (or
/// at another base, relocated as ASLR would move it): the bytes of every page, the protection of each section, and the facts a dump's module list
/// records (timestamp, checksum, CodeView record, version).
struct LoadedImage {
    let image: PEImage
    /// The image as mapped: `SizeOfImage` bytes from the image base.
    let bytes: [UInt8]
    let codeView: PEFormat.CodeViewRecord?
    let version: FixedFileInfo?
    /// Where the image is loaded.
    let base: UInt64

    /// The largest image the generator loads; the example is a few pages.
    static let maximumSize: UInt32 = 64 << 20

    init(path: String, loadBase: UInt64? = nil) throws(ExampleError) {
        let image: PEImage
        do {
            image = try PEImage(contentsOfFile: path)
        } catch {
            throw .image("\(error)")
        }
        guard image.machine == .amd64, image.is64Bit else {
            throw .image(
                "\(path) is built for \(image.machine); the generator runs x64 (AMD64) code")
        }
        guard image.sizeOfImage > 0, image.sizeOfImage <= Self.maximumSize else {
            throw .image("\(path) declares an implausible SizeOfImage (\(image.sizeOfImage))")
        }
        guard image.imageBase & 0xFFFF == 0, image.imageBase < 0x7FFF_0000_0000 else {
            throw .image("\(path) has an unusable image base \(Hex.text(image.imageBase))")
        }
        guard image.entryPointRVA != 0, image.isExecutable(rva: image.entryPointRVA) else {
            throw .image("\(path) has no entry point in an executable section")
        }
        guard var bytes = image.read(rva: 0, count: Int(image.sizeOfImage)) else {
            throw .image("\(path) is truncated: its sections do not fill SizeOfImage")
        }
        let base = loadBase ?? image.imageBase
        if base != image.imageBase {
            guard base & 0xFFFF == 0, base >= 0x10000,
                base < 0x7FFF_0000_0000 - UInt64(image.sizeOfImage)
            else {
                throw .image(
                    "load base \(Hex.text(base)) must be 64 KiB-aligned user-mode address space")
            }
            try Self.relocate(&bytes, image: image, to: base, path: path)
        }
        self.image = image
        self.base = base
        self.bytes = bytes
        codeView = try? image.codeView()
        version = (try? image.versionInfo())?.fixed
    }

    var size: UInt64 { UInt64(image.sizeOfImage) }
    var range: Range<UInt64> { base..<base + size }
    var entryPoint: UInt64 { base + UInt64(image.entryPointRVA) }

    /// Page-aligned pieces of the image with the protection the loader gives them, merged
    /// where neighbours agree (as `VirtualQuery` reports them).
    func regions() -> [ProcessRegion] {
        let alignment = UInt64(max(image.optionalHeader.sectionAlignment, 0x1000))
        func aligned(_ value: UInt64) -> UInt64 { (value + alignment - 1) / alignment * alignment }
        var pieces: [(start: UInt64, end: UInt64, protect: UInt32)] = []
        let headerEnd = min(aligned(UInt64(image.optionalHeader.sizeOfHeaders)), size)
        pieces.append((0, headerEnd, PageProtection.readOnly))
        for section in image.sections.sorted(by: { $0.virtualAddress < $1.virtualAddress }) {
            let start = UInt64(section.virtualAddress)
            let end = min(start + aligned(UInt64(section.virtualExtent)), size)
            guard start >= headerEnd, end > start else { continue }
            pieces.append((start, end, Self.protection(of: section)))
        }
        var regions: [ProcessRegion] = []
        for piece in pieces {
            if var last = regions.last, last.end == base + piece.start,
                last.protect == piece.protect
            {
                last.size += piece.end - piece.start
                regions[regions.count - 1] = last
                continue
            }
            regions.append(
                ProcessRegion(
                    base: base + piece.start, size: piece.end - piece.start, allocationBase: base,
                    allocationProtect: PageProtection.executeWriteCopy, state: .commit,
                    protect: piece.protect, type: .image))
        }
        return regions
    }

    /// What a loaded section's pages allow. Writable sections are `PAGE_READWRITE` once
    /// written; the example writes its `.data` (the inventory) before it crashes.
    static func protection(of section: SectionHeader) -> UInt32 {
        switch (section.isExecutable, section.isWritable) {
        case (true, true): PageProtection.executeReadWrite
        case (true, false): PageProtection.executeRead
        case (false, true): PageProtection.readWrite
        case (false, false): PageProtection.readOnly
        }
    }

    /// Applies the base relocations for a move to `base` and records the new base in the
    /// mapped optional header, as the Windows loader does.
    private static func relocate(
        _ bytes: inout [UInt8], image: PEImage, to base: UInt64, path: String
    ) throws(ExampleError) {
        let relocations: [BaseRelocation]
        do {
            relocations = try image.baseRelocations()
        } catch {
            throw .image("\(path) cannot be moved: \(error)")
        }
        let delta = base &- image.imageBase
        for relocation in relocations {
            let offset = Int(relocation.rva)
            switch relocation.kind {
            case .dir64?:
                guard offset + 8 <= bytes.count else {
                    throw .image(
                        "\(path): a relocation at RVA \(Hex.text(UInt64(offset))) is outside the image"
                    )
                }
                var value: UInt64 = 0
                for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
                value = value &+ delta
                for index in 0..<8 {
                    bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))
                }
            case .absolute?: break
            default:
                throw .image(
                    "\(path): relocation type \(relocation.rawType) is not supported for x64")
            }
        }
        // OptionalHeader.ImageBase: e_lfanew + signature (4) + file header (20) + 24.
        guard bytes.count > 0x40 else { return }
        let headerOffset = Int(bytes[0x3C]) | Int(bytes[0x3D]) << 8 | Int(bytes[0x3E]) << 16
        let field = headerOffset + 4 + 20 + 24
        guard field + 8 <= bytes.count else { return }
        for index in 0..<8 {
            bytes[field + index] = UInt8(truncatingIfNeeded: base >> (8 * UInt64(index)))
        }
    }
}
