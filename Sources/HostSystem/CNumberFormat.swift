#if canImport(Glibc)
    import Glibc
#endif

/// C's `printf` conversion of one floating-point number (`%g`, `%.7g`, `%.2f`, ...), which is
/// what `String(format:)` from the full Foundation library was used for.
public enum CNumberFormat {
    /// `value` formatted by `format`, which must hold exactly one floating-point conversion.
    public static func string(_ format: String, _ value: Double) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let count = withVaList([value]) { vsnprintf(&buffer, capacity, format, $0) }
            guard count >= 0 else { return "" }
            if Int(count) < capacity {
                return String(
                    decoding: buffer[..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(count) + 1
        }
    }
}
