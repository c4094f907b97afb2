import Symbols

/// `s -v Range Object`: objects of the same C++ class as `Object`, found by the address of the
/// class's virtual function table (the s command page: "searches the Range memory area for the
/// addresses of this class's Vtables ... returns the base address of the object and full
/// information about this object, similar to the output of dt"). Object is the address of an
/// object or of a pointer to one. Each hit prints its address and the class's `dt` of it.
/// A class with several vtables (multiple inheritance) matches only where all of them sit at
/// the offsets they have in Object ("the search algorithm looks for all of these pointer
/// values, separated by the proper number of bytes").
enum ObjectSearch {
    static func run(
        in window: Range<UInt64>, objectText: Substring, target: any Target,
        options: MemorySearch.Options, invocation: CommandInvocation
    ) throws {
        let objectText = objectText.trimmingWhitespace()
        guard !objectText.isEmpty else { throw CommandError.syntax(at: objectText.startIndex) }
        let object = try invocation.evaluate(objectText[...])
        let size = options.kind.unit(pointerSize: target.machine.pointerSize)
        guard
            let (base, vtable, className) = classOf(
                object, state: invocation.state, target: target)
        else {
            throw CommandError.message(
                "\(Hex.pointer(object, size: size)) is not a C++ object "
                    + "with a virtual function table, nor a pointer to one")
        }
        let others = otherTables(
            of: className, in: base, first: vtable, state: invocation.state, target: target)
        let pattern = withUnsafeBytes(of: vtable.littleEndian) { Array($0.prefix(size)) }
        var found: [UInt64] = []
        try PatternScanner.scan(
            target: target, in: window, pattern: pattern, alignment: size,
            invocation: invocation
        ) { address in
            let complete = others.allSatisfy {
                target.readInteger(at: address &+ $0.offset, size: size) == $0.table
            }
            if complete { found.append(address) }
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

    /// The object's address, its first vtable and its `module!Class`, for the object at
    /// `address` or the object `address` points to.
    static func classOf(_ address: UInt64, state: DebuggerState, target: any Target)
        -> (object: UInt64, table: UInt64, name: String)?
    {
        guard let first = target.readPointer(at: address) else { return nil }
        if let name = className(ofTable: first, state: state) { return (address, first, name) }
        guard let second = target.readPointer(at: first),
            let name = className(ofTable: second, state: state)
        else { return nil }
        return (first, second, name)
    }

    /// The part of a class name that its vtables' decorated names also hold (patterns match
    /// decorated names: `??_7Label@@6BShape@@@`): the last component without template
    /// arguments (`Outer::Inner<int>` → `Inner`).
    static func searchWord(_ className: String) -> String {
        let last = className.components(separatedBy: "::").last ?? className
        return String(last.prefix { $0 != "<" })
    }

    /// Bytes of an object looked through for its other vtables when its type's size is
    /// unknown.
    static let unknownObjectSize: UInt64 = 0x200

    /// The class's vtables other than `first` (`Class::`vftable'{for `Base'}`, one per base
    /// with virtual functions) and where each sits in the object at `object`.
    static func otherTables(
        of className: String, in object: UInt64, first: UInt64, state: DebuggerState,
        target: any Target
    ) -> [(offset: UInt64, table: UInt64)] {
        guard let bang = className.firstIndex(of: "!") else { return [] }
        let moduleName = String(className[..<bang])
        let bareClass = String(className[className.index(after: bang)...])
        let map = state.moduleMap
        guard let index = map.index(named: moduleName),
            let source = state.symbols.source(for: map.modules[index], in: state),
            let pattern = try? SymbolPattern("*\(searchWord(bareClass))*")
        else { return [] }
        let base = map.modules[index].base
        let prefix = bareClass + "::`vftable'"
        let tables = Set(
            source.symbols(matching: pattern).filter {
                let name = $0.name.hasPrefix("const ") ? $0.name.dropFirst(6) : $0.name[...]
                return name.hasPrefix(prefix)
            }.map { base &+ $0.rva }
        ).subtracting([first])
        guard !tables.isEmpty else { return [] }
        let type = try? DisplayTypeCommand.findQuietly(className, state: state, preferred: nil)
        let size = type.flatMap { $0.pdb.types.size(of: $0.type) } ?? unknownObjectSize
        let pointerSize = target.machine.pointerSize
        var result: [(offset: UInt64, table: UInt64)] = []
        var remaining = tables
        var offset = UInt64(pointerSize)
        while offset < min(size, 0x10000), !remaining.isEmpty {
            if let value = target.readInteger(at: object &+ offset, size: pointerSize),
                remaining.remove(value) != nil
            {
                result.append((offset, value))
            }
            offset += UInt64(pointerSize)
        }
        return result
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
