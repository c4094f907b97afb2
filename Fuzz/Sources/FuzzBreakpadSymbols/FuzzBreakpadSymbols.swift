import Symbols

/// libFuzzer entry point: parse the bytes as a Breakpad `.sym` file and ask what the debugger
/// asks of one: symbols near addresses, names, patterns, source lines, inline frames, and the
/// unwind rules (evaluated against made-up registers and memory). Symbol files come from the
/// symbol path, which may hold anything, so any crash, timeout or runaway allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBreakpadSymbols(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = BreakpadSymbolSource(
        contents: Array(UnsafeBufferPointer(start: data, count: size)))
    guard (try? source.load()) != nil else { return 0 }
    let symbols = source.allSymbols()
    var addresses: [UInt64] = [0, 1, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF]
    for symbol in symbols.prefix(64) {
        addresses += [symbol.rva, symbol.rva &+ 1, symbol.rva &- 1]
        if let size = symbol.size { addresses.append(symbol.rva &+ size) }
        _ = source.symbols(named: symbol.name)
    }
    let registers: [String: UInt64] = [
        "eip": 0x1000, "esp": 0x8000, "ebp": 0x8100, "rip": 0x1000, "rsp": 0x8000,
        "rbp": 0x8100, "pc": 0x1000, "sp": 0x8000, "x29": 0x8100,
    ]
    // Memory that answers every read with a value derived from its address.
    let memory: UnwindMemoryReader = { address, count in
        count > 0 && count <= 8 ? address &* 2_654_435_761 : nil
    }
    for address in addresses {
        _ = source.nearestSymbol(atOrBelow: address)
        _ = source.nextSymbol(after: address)
        _ = source.symbols(at: address)
        _ = source.sourceLine(at: address)
        _ = source.inlineFrames(at: address)
        _ = source.parameterSize(at: address)
        if let rules = source.cfiRules(at: address) {
            for wordSize in [4, 8] {
                _ = try? CFIEvaluator.evaluate(
                    rules, registers: registers, wordSize: wordSize, readMemory: memory)
            }
        }
        if let info = source.windowsFrameInfo(at: address) {
            _ = try? StackWinEvaluator.evaluate(
                info, registers: registers, calleeParameterSize: 8, readMemory: memory)
        }
    }
    for text in ["*", "main", "*::*", "[a-z]*"] {
        if let pattern = try? SymbolPattern(text) { _ = source.symbols(matching: pattern) }
    }
    return 0
}
