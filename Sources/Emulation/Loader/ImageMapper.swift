import FoundationEssentials
import PEFormat

/// Reads a PE32+ file, checks it can be mapped, and maps it into the address space: headers and
/// sections with their protections, base relocations when it cannot sit at its preferred base.
/// A file that is not a well-formed x64 image gives one `EmulationError.image` naming the problem;
/// nothing the file says can make the mapper trap, allocate without bound or loop.
struct ImageMapper {
    /// Images larger than this are refused (Windows' own limit is about 2 GiB).
    static let maximumImageSize: UInt64 = 1 << 30

    let space: AddressSpace

    /// Reads and checks the image at `hostPath`.
    static func open(_ hostPath: String) throws(EmulationError) -> PEImage {
        let image: PEImage
        do {
            image = try PEImage(contentsOfFile: hostPath)
        } catch {
            throw .image(path: hostPath, reason: error.description)
        }
        let fileSize = (image.source as? DataByteSource).map { UInt64($0.data.count) }
        try check(image, path: hostPath, fileSize: fileSize)
        return image
    }

    static func check(_ image: PEImage, path: String, fileSize: UInt64?) throws(EmulationError) {
        func fail(_ reason: String) -> EmulationError { .image(path: path, reason: reason) }
        guard image.is64Bit else { throw fail("not a 64-bit (PE32+) image") }
        guard image.machine == .amd64 else {
            throw fail("the image is for \(image.machine), not x64")
        }
        let size = UInt64(image.sizeOfImage)
        guard size > 0, size <= maximumImageSize else {
            throw fail("SizeOfImage 0x\(String(size, radix: 16)) is implausible")
        }
        let alignment = UInt64(image.optionalHeader.sectionAlignment)
        guard alignment >= 0x1000, alignment & (alignment - 1) == 0 else {
            throw fail("section alignment 0x\(String(alignment, radix: 16)) is not a page multiple")
        }
        guard UInt64(image.optionalHeader.sizeOfHeaders) <= size else {
            throw fail("SizeOfHeaders is larger than the image")
        }
        guard image.sections.count == Int(image.fileHeader.numberOfSections) else {
            throw fail("the section table is truncated")
        }
        var ranges: [(Range<UInt64>, String)] = []
        for section in image.sections {
            let start = UInt64(section.virtualAddress)
            let extent = UInt64(section.virtualExtent)
            guard start >= UInt64(image.optionalHeader.sizeOfHeaders) || extent == 0 else {
                throw fail("section \(section.name) overlaps the headers")
            }
            guard start + extent <= size else {
                throw fail("section \(section.name) ends past SizeOfImage")
            }
            if section.sizeOfRawData > 0, let fileSize {
                guard UInt64(section.pointerToRawData) + UInt64(section.sizeOfRawData) <= fileSize
                else {
                    throw fail("section \(section.name)'s data lies past the end of the file")
                }
            }
            if extent > 0 { ranges.append((start..<start + extent, section.name)) }
        }
        ranges.sort { $0.0.lowerBound < $1.0.lowerBound }
        for (first, second) in zip(ranges, ranges.dropFirst())
        where first.0.upperBound > second.0.lowerBound {
            throw fail("sections \(first.1) and \(second.1) overlap")
        }
        guard UInt64(image.entryPointRVA) < size else {
            throw fail("the entry point lies outside the image")
        }
    }

    /// Maps `image` at its preferred base if that is free, else wherever there is room (it
    /// must then carry relocations). Returns the base.
    func map(_ image: PEImage, path: String, topDown: Bool) throws(EmulationError) -> UInt64 {
        func fail(_ reason: String) -> EmulationError { .image(path: path, reason: reason) }
        let size = UInt64(image.sizeOfImage)
        let preferred = image.imageBase
        var base: UInt64?
        if preferred != 0, preferred & 0xFFFF == 0 {
            base = try? space.reserve(
                at: preferred, size: size, protect: PageProtection.executeWriteCopy,
                type: MemoryState.typeImage)
        }
        if base == nil {
            guard image.characteristics & 0x0001 == 0 else {
                throw fail(
                    "its preferred base \(Hex.text(preferred)) is taken and it has no relocations")
            }
            do {
                base = try space.reserve(
                    at: nil, size: size, protect: PageProtection.executeWriteCopy,
                    type: MemoryState.typeImage, topDown: topDown)
            } catch {
                throw fail("no room for 0x\(String(size, radix: 16)) bytes in the address space")
            }
        }
        guard let base else { throw fail("no room") }
        do {
            try fill(image, at: base, path: path)
        } catch {
            try? space.release(base)
            throw error
        }
        return base
    }

    private func fill(_ image: PEImage, at base: UInt64, path: String) throws(EmulationError) {
        func fail(_ reason: String) -> EmulationError { .image(path: path, reason: reason) }
        let size = UInt64(image.sizeOfImage)
        do {
            try space.commit(base, size: size, protect: PageProtection.readWrite, bySystem: true)
        } catch {
            throw fail("the image does not fit under the memory cap")
        }
        // Headers, then each section's raw data (the rest of each section reads as zeros).
        let headerSize = Int(min(UInt64(image.optionalHeader.sizeOfHeaders), size))
        guard let headers = image.source.read(at: 0, count: headerSize) else {
            throw fail("the headers are truncated")
        }
        _ = headers.withUnsafeBytes { space.write(base, $0) }
        for section in image.sections where section.sizeOfRawData > 0 {
            let count = Int(min(section.sizeOfRawData, section.virtualExtent))
            guard count > 0 else { continue }
            guard let bytes = image.source.read(at: UInt64(section.pointerToRawData), count: count)
            else {
                throw fail("section \(section.name)'s data is truncated")
            }
            _ = bytes.withUnsafeBytes { space.write(base + UInt64(section.virtualAddress), $0) }
        }
        if base != image.imageBase { try relocate(image, at: base, path: path) }
    }

    private func relocate(_ image: PEImage, at base: UInt64, path: String) throws(EmulationError) {
        func fail(_ reason: String) -> EmulationError { .image(path: path, reason: reason) }
        let relocations: [BaseRelocation]
        do {
            relocations = try image.baseRelocations()
        } catch .missing {
            return
        } catch {
            throw fail(error.description)
        }
        let delta = base &- image.imageBase
        let size = UInt64(image.sizeOfImage)
        for relocation in relocations {
            let address = base + UInt64(relocation.rva)
            func patch<T: FixedWidthInteger>(_ type: T.Type, _ change: (T) -> T)
                throws(EmulationError)
            {
                guard UInt64(relocation.rva) + UInt64(MemoryLayout<T>.size) <= size else {
                    throw fail(
                        "a relocation at RVA 0x\(String(relocation.rva, radix: 16)) is outside the image"
                    )
                }
                var value: T = 0
                _ = withUnsafeMutableBytes(of: &value) { space.read(address, into: $0) }
                value = change(T(littleEndian: value)).littleEndian
                _ = withUnsafeBytes(of: value) { space.write(address, $0) }
            }
            switch relocation.kind {
            case .dir64: try patch(UInt64.self) { $0 &+ delta }
            case .highLow: try patch(UInt32.self) { $0 &+ UInt32(truncatingIfNeeded: delta) }
            case .high: try patch(UInt16.self) { $0 &+ UInt16(truncatingIfNeeded: delta >> 16) }
            case .low: try patch(UInt16.self) { $0 &+ UInt16(truncatingIfNeeded: delta) }
            case .absolute: break
            case .highAdjust, .none:
                throw fail("unsupported relocation type \(relocation.rawType)")
            }
        }
    }

    /// Gives headers and sections their final protections (after imports are written).
    func protect(_ image: PEImage, at base: UInt64) {
        let size = UInt64(image.sizeOfImage)
        _ = try? space.protect(base, size: size, protect: PageProtection.readOnly, bySystem: true)
        for section in image.sections where section.virtualExtent > 0 {
            let start = base + UInt64(section.virtualAddress)
            let alignment = UInt64(image.optionalHeader.sectionAlignment)
            let extent = (UInt64(section.virtualExtent) + alignment - 1) & ~(alignment - 1)
            let length = min(extent, base + size - start)
            _ = try? space.protect(
                start, size: length, protect: Self.protection(section.characteristics),
                bySystem: true)
        }
    }

    /// The page protection of a section's characteristics.
    static func protection(_ characteristics: UInt32) -> UInt32 {
        let execute = characteristics & 0x2000_0000 != 0
        let read = characteristics & 0x4000_0000 != 0
        let write = characteristics & 0x8000_0000 != 0
        switch (execute, read || execute, write) {
        case (true, _, true): return PageProtection.executeWriteCopy
        case (true, _, false): return PageProtection.executeRead
        case (false, _, true): return PageProtection.writeCopy
        case (false, true, false): return PageProtection.readOnly
        default: return PageProtection.noAccess
        }
    }
}
