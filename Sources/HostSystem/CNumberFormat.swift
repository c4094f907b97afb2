#if canImport(Glibc)
    import Glibc
#endif

/// C's `printf` conversion of one floating-point number (`%g`, `%.7g`, `%.2f`, ...), which is
/// what `String(format:)` from the full Foundation library was used for.
public enum CNumberFormat {
    /// `value` formatted by `format`, which must hold exactly one floating-point conversion.
    public static func string(_ format: String, _ value: Double) -> String {
        formatted(format, value)
    }

    #if arch(x86_64) || arch(i386)
        /// An x87 extended value formatted by `format` (which must use the `L` length, `%.21Le`).
        public static func string(_ format: String, _ value: Float80) -> String {
            formatted(format, value)
        }
    #endif

    private static func formatted(_ format: String, _ value: some CVarArg) -> String {
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
