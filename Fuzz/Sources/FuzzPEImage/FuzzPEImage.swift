import PEFormat

/// libFuzzer entry point: read the bytes as a PE image in both layouts (a file on disk, and an
/// image as mapped in a dump's memory) and ask for every table the debugger reads. Any crash,
/// sanitizer report, timeout or runaway allocation is a bug in the reader: images come from
/// dumps and from the image path, and either can be hostile.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPEImage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for layout in [PEImage.Layout.file, .mapped] {
        guard let image = try? PEImage(source: ArrayByteSource(bytes), layout: layout) else {
            continue
        }
        _ = (image.machine, image.is64Bit, image.imageBase, image.sizeOfImage)
        if let exports = try? image.exports() {
            for export in exports.exports.prefix(64) {
                _ = exports.nearestExport(atOrBelow: export.rva)
                if let name = export.name { _ = exports.export(named: name) }
            }
            _ = exports.export(ordinal: exports.ordinalBase)
        }
        _ = try? image.imports()
        _ = try? image.resources()
        _ = try? image.versionInfo()
        if let entries = try? image.debugDirectory() {
            for entry in entries.prefix(16) { _ = image.debugData(entry) }
        }
        _ = try? image.codeView()
        // Every entry only of a table of plausible size: listing a hostile 64 MB table (8 million
        // entries) takes seconds by nature; larger ones are sampled from the front.
        let plausibleEntries = 65_536
        if let table = try? image.x64FunctionTable() {
            let entries =
                table.count <= plausibleEntries
                ? table.allEntries() : (0..<256).compactMap { table.entry(at: $0) }
            for entry in entries.prefix(256) {
                _ = table.lookup(rva: entry.beginAddress)
                _ = try? image.x64UnwindInfo(at: entry.unwindInfoAddress)
            }
        }
        if let table = try? image.armFunctionTable() {
            let entries =
                table.count <= plausibleEntries
                ? table.allEntries() : (0..<256).compactMap { table.entry(at: $0) }
            for entry in entries.prefix(256) {
                _ = table.lookup(rva: entry.beginAddress)
            }
        }
        for section in image.sections.prefix(64) {
            _ = image.read(rva: section.virtualAddress, count: 64)
            _ = image.isExecutable(rva: section.virtualAddress)
        }
        _ = image.readCString(rva: image.entryPointRVA)
        _ = image.readUInt32(rva: 0xFFFF_FFFC)
    }
    return 0
}
