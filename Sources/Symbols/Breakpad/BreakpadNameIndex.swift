/// FUNC and PUBLIC records sorted by name with ASCII case folded, for exact
/// case-insensitive lookups (`bp mod!Name`, `? mod!Name`). Built on the first name lookup.
struct BreakpadNameIndex: Sendable {
    /// Encoded references: `>= 0` a FUNC index, `< 0` the PUBLIC index `~value`.
    private let sorted: [Int32]

    init(table: BreakpadSymbolTable) {
        var references: [Int32] = []
        references.reserveCapacity(table.functions.count + table.publics.count)
        for index in table.functions.indices { references.append(Int32(truncatingIfNeeded: index)) }
        for index in table.publics.indices { references.append(~Int32(truncatingIfNeeded: index)) }
        references = table.text.withUnsafeBufferPointer { text in
            references.sorted { a, b in
                let order = Self.compare(
                    Self.name(a, table: table, text: text), Self.name(b, table: table, text: text))
                return order != 0 ? order < 0 : a < b
            }
        }
        self.sorted = references
    }

    /// Every FUNC and PUBLIC whose name equals `name` ignoring ASCII case (or, with
    /// `asPrefix`, starts with it: names sharing a prefix are neighbours in the order).
    func lookup(_ name: String, in table: BreakpadSymbolTable, asPrefix: Bool = false)
        -> [SymbolReference]
    {
        let wanted = Array(name.utf8)
        return table.text.withUnsafeBufferPointer { text in
            wanted.withUnsafeBufferPointer { wanted in
                var low = 0
                var high = sorted.count
                while low < high {
                    let middle = low + (high - low) / 2
                    let order = Self.compare(
                        Self.name(sorted[middle], table: table, text: text), wanted[...])
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                var result: [SymbolReference] = []
                while low < sorted.count {
                    var candidate = Self.name(sorted[low], table: table, text: text)
                    if asPrefix { candidate = candidate.prefix(wanted.count) }
                    guard Self.compare(candidate, wanted[...]) == 0 else { break }
                    result.append(Self.reference(sorted[low]))
                    low += 1
                }
                return result
            }
        }
    }

    private static func reference(_ encoded: Int32) -> SymbolReference {
        encoded >= 0 ? .function(Int(encoded)) : .publicSymbol(Int(~encoded))
    }

    private static func name(
        _ encoded: Int32, table: BreakpadSymbolTable, text: UnsafeBufferPointer<UInt8>
    ) -> Slice<UnsafeBufferPointer<UInt8>> {
        let range =
            encoded >= 0 ? table.functions[Int(encoded)].name : table.publics[Int(~encoded)].name
        let start = Int(range.offset)
        let end = min(start + Int(range.length), text.count)
        return text[min(start, end)..<end]
    }

    /// Three-way comparison with ASCII letters folded to lower case.
    private static func compare(
        _ a: Slice<UnsafeBufferPointer<UInt8>>, _ b: Slice<UnsafeBufferPointer<UInt8>>
    ) -> Int {
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex, j < b.endIndex {
            let x = fold(a[i])
            let y = fold(b[j])
            if x != y { return x < y ? -1 : 1 }
            i += 1
            j += 1
        }
        let aLeft = a.endIndex - i
        let bLeft = b.endIndex - j
        return aLeft == bLeft ? 0 : (aLeft < bLeft ? -1 : 1)
    }

    private static func fold(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
