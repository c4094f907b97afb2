/// Finds and masks passwords in command lines (`.server tcp:port=5,password=P`,
/// `-remote ...,password=P`), so they never reach the transcript, logs or the history file.
///
/// A secret is the value after `password=` (any case) up to the next `,`, `;`, space or quote.
public enum Secrets {
    private static let key = Array("password=".utf8)

    /// True when `line` holds a password; the Frontend keeps such lines out of its history.
    public static func containsSecret(_ line: String) -> Bool {
        firstKeyEnd(in: Array(line.utf8), from: 0) != nil
    }

    /// `line` with every password value replaced by `*`. Returns `line` itself (no copy) when it
    /// holds none, so calling this on every echo is cheap.
    public static func redacted(_ line: String) -> String {
        let hasSecret =
            line.utf8.withContiguousStorageIfAvailable { firstKeyEnd(in: $0, from: 0) != nil }
            ?? containsSecret(line)
        guard hasSecret else { return line }
        let bytes = Array(line.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while let valueStart = firstKeyEnd(in: bytes, from: index) {
            result.append(contentsOf: bytes[index..<valueStart])
            var valueEnd = valueStart
            while valueEnd < bytes.count, !isTerminator(bytes[valueEnd]) { valueEnd += 1 }
            result.append(UInt8(ascii: "*"))
            index = valueEnd
        }
        result.append(contentsOf: bytes[index...])
        return String(decoding: result, as: UTF8.self)
    }

    private static func isTerminator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }

    /// The index just past the next `password=` (case-insensitive) at or after `start`.
    private static func firstKeyEnd<C: RandomAccessCollection>(in bytes: C, from start: Int)
        -> Int?
    where C.Element == UInt8, C.Index == Int {
        guard bytes.count >= key.count else { return nil }
        var index = max(start, bytes.startIndex)
        let last = bytes.endIndex - key.count
        while index <= last {
            var matches = true
            for offset in 0..<key.count {
                var byte = bytes[index + offset]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
                if byte != key[offset] {
                    matches = false
                    break
                }
            }
            if matches { return index + key.count }
            index += 1
        }
        return nil
    }
}
