/// The string hash of PDB hash tables (`hashStringV1` in LLVM, `Hasher::lhashPbCb` in
/// Microsoft's sources): XOR of the little-endian 32-bit words, then the tail, forced towards
/// lower case, then folded. Globals, publics and the TPI name buckets all use it.
enum PDBHash {
    static func stringV1(_ bytes: some Collection<UInt8>) -> UInt32 {
        var result: UInt32 = 0
        var iterator = bytes.makeIterator()
        var remaining = bytes.count
        while remaining >= 4 {
            var word: UInt32 = 0
            for shift in stride(from: 0, to: 32, by: 8) {
                word |= UInt32(iterator.next() ?? 0) << UInt32(shift)
            }
            result ^= word
            remaining -= 4
        }
        if remaining >= 2 {
            let low = UInt32(iterator.next() ?? 0)
            let high = UInt32(iterator.next() ?? 0)
            result ^= low | high << 8
            remaining -= 2
        }
        if remaining == 1 {
            result ^= UInt32(iterator.next() ?? 0)
        }
        result |= 0x2020_2020
        result ^= result >> 11
        return result ^ (result >> 16)
    }

    static func stringV1(_ text: String) -> UInt32 {
        stringV1(Array(text.utf8))
    }
}
