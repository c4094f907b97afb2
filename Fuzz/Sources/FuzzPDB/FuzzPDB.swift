import Symbols

/// libFuzzer entry point: open the bytes as a PDB and ask what a debugger session asks: the
/// MSF directory, the info, DBI, publics and globals streams, module symbols and lines, and the
/// TPI/IPI type records. Any crash, sanitizer report, timeout or runaway allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDB(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? PDBFile(bytes: bytes, name: "fuzz.pdb") else { return 0 }
    let source = PDBSymbolSource(file: file)
    _ = source.kind
    _ = try? file.modules
    _ = try? file.sections
    if let pattern = try? SymbolPattern("*a*") { _ = source.symbols(matching: pattern) }
    _ = source.symbols(named: "main")
    for symbol in source.allSymbols().prefix(32) {
        _ = source.nearestSymbol(atOrBelow: symbol.rva &+ 1)
        _ = source.nextSymbol(after: symbol.rva)
        _ = source.sourceLine(at: symbol.rva)
        if let function = source.function(containing: symbol.rva) {
            for variable in source.variables(in: function, at: function.rva &+ 1).prefix(32) {
                _ = source.types.name(of: variable.type)
                _ = source.types.dtName(of: variable.type, pointerSize: 8)
            }
        }
        if let type = symbol.typeIndex {
            _ = source.parameterList(of: type)
            _ = source.types.members(of: type)
        }
    }
    // Every type index the stream claims, a bounded number of them.
    let types = source.types
    for index in UInt32(0x1000)..<UInt32(0x1000 + 256) {
        _ = types.shape(of: index)
        _ = types.name(of: index)
        _ = types.size(of: index)
        _ = types.members(of: index).count
    }
    _ = types.lookup("Node")
    _ = MicrosoftDemangler.undecoratedName(String(decoding: bytes.prefix(200), as: UTF8.self))
    return 0
}
