import Glibc

/// Conversions between Swift strings and libedit's wide strings (`wchar_t`, one Unicode scalar
/// per element on Linux).
enum WideString {
    /// The scalars of `text` as a NUL-terminated `wchar_t` array. NUL characters inside `text`
    /// are dropped, since they would end the C string early.
    static func make(_ text: String) -> [wchar_t] {
        var result: [wchar_t] = []
        result.reserveCapacity(text.unicodeScalars.count + 1)
        for scalar in text.unicodeScalars where scalar.value != 0 {
            result.append(wchar_t(bitPattern: scalar.value))
        }
        result.append(0)
        return result
    }

    /// Calls `body` with a NUL-terminated wide copy of `text`, valid during the call.
    static func with<R>(_ text: String, _ body: (UnsafePointer<wchar_t>) -> R) -> R {
        let wide = make(text)
        return body(wide)
    }

    /// A NUL-terminated wide copy of `text` that lives until `deallocate()`.
    static func allocate(_ text: String) -> UnsafeMutablePointer<wchar_t> {
        let wide = make(text)
        let pointer = UnsafeMutablePointer<wchar_t>.allocate(capacity: wide.count)
        pointer.initialize(from: wide, count: wide.count)
        return pointer
    }

    /// The string in `start..<end`; invalid code points become U+FFFD.
    static func string(from start: UnsafePointer<wchar_t>, to end: UnsafePointer<wchar_t>)
        -> String
    {
        let count = end - start
        guard count > 0 else { return "" }
        var scalars = String.UnicodeScalarView()
        for index in 0..<count {
            let value = UInt32(bitPattern: start[index])
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}
