/// Binary searches over arrays sorted by a `UInt64` key.
enum SortedSearch {
    /// Index of the last element whose key is `<= value`, or nil if every key is larger.
    static func lastIndex<C: RandomAccessCollection>(
        in elements: C, atOrBelow value: UInt64, key: (C.Element) -> UInt64
    ) -> C.Index? where C.Index == Int {
        // Find the first element with key > value; the one before it is the answer.
        let upper = firstIndex(in: elements, above: value, key: key) ?? elements.endIndex
        return upper > elements.startIndex ? upper - 1 : nil
    }

    /// Index of the first element whose key is `> value`, or nil if none is.
    static func firstIndex<C: RandomAccessCollection>(
        in elements: C, above value: UInt64, key: (C.Element) -> UInt64
    ) -> C.Index? where C.Index == Int {
        var low = elements.startIndex
        var high = elements.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if key(elements[middle]) <= value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < elements.endIndex ? low : nil
    }
}

extension SortedSearch {
    /// Index of the first element whose key is `>= value`, or nil if none is.
    static func firstIndex<C: RandomAccessCollection>(
        in elements: C, atOrAbove value: UInt64, key: (C.Element) -> UInt64
    ) -> C.Index? where C.Index == Int {
        guard value > 0 else { return elements.isEmpty ? nil : elements.startIndex }
        return firstIndex(in: elements, above: value - 1, key: key)
    }
}
