/// `s -v Range Object`: objects of the same C++ class as `Object`, found by the address of the
/// class's virtual function table (the s command page: "searches the Range memory area for the
/// addresses of this class's Vtables ... returns the base address of the object and full
/// information about this object, similar to the output of dt"). Object is the address of an
/// object or of a pointer to one. Each hit prints its address and the class's `dt` of it.
/// Only the first vtable of a class with several (multiple inheritance) is looked for.
enum ObjectSearch {
    static func run(
        in window: Range<UInt64>, objectText: Substring, target: any Target,
        options: MemorySearch.Options, invocation: CommandInvocation
    ) throws {
        let objectText = objectText.trimmingWhitespace()
        guard !objectText.isEmpty else { throw CommandError.syntax(at: objectText.startIndex) }
        let object = try invocation.evaluate(objectText[...])
        let size = options.kind.unit(pointerSize: target.machine.pointerSize)
        guard let (vtable, className) = classOf(object, state: invocation.state, target: target)
        else {
            throw CommandError.message(
                "\(Hex.pointer(object, size: size)) is not a C++ object "
                    + "with a virtual function table, nor a pointer to one")
        }
        let pattern = withUnsafeBytes(of: vtable.littleEndian) { Array($0.prefix(size)) }
        var found: [UInt64] = []
        try PatternScanner.scan(
            target: target, in: window, pattern: pattern, alignment: size,
            invocation: invocation
        ) { address in
            found.append(address)
            return found.count < options.maximumHits
        }
        for address in found {
            let shown = Hex.pointer(address, size: size)
            invocation.out.line(shown)
            if !options.addressesOnly {
                try invocation.runNested("dt \(className) \(shown)", echo: false)
            }
        }
    }

    /// The vtable and `module!Class` of the object at `address`, or of the object `address`
    /// points to.
    static func classOf(_ address: UInt64, state: DebuggerState, target: any Target)
        -> (UInt64, String)?
    {
        guard let first = target.readPointer(at: address) else { return nil }
        if let name = className(ofTable: first, state: state) { return (first, name) }
        guard let second = target.readPointer(at: first),
            let name = className(ofTable: second, state: state)
        else { return nil }
        return (second, name)
    }

    /// `pdbdemo!Square` for the address of `pdbdemo!Square::`vftable'` (also in its
    /// `const Square::`vftable'` and `Square::`vftable'{for `Base'}` forms).
    static func className(ofTable address: UInt64, state: DebuggerState) -> String? {
        guard let symbol = state.symbols.nearestSymbol(to: address, in: state),
            symbol.offset == 0, let bang = symbol.name.firstIndex(of: "!"),
            let table = symbol.name.firstRange(of: "::`vftable'")
        else { return nil }
        var name = symbol.name[symbol.name.index(after: bang)..<table.lowerBound]
        if name.hasPrefix("const ") { name = name.dropFirst("const ".count) }
        guard !name.isEmpty else { return nil }
        return String(symbol.name[..<bang]) + "!" + name
    }
}
