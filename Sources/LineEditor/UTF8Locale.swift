import Glibc

/// libedit reads and draws multibyte text through the C library (`mbrtowc`, `wcwidth`), which
/// needs a UTF-8 LC_CTYPE, and Swift programs start in the "C" locale. `prepare()` switches
/// LC_CTYPE (and nothing else) to the environment's locale, or to C.UTF-8 when that is not
/// UTF-8 either. It changes the whole process, once.
enum UTF8Locale {
    static func prepare() {
        _ = isPrepared
    }

    private static let isPrepared: Bool = {
        if !isUTF8() { setlocale(LC_CTYPE, "") }
        if !isUTF8() { setlocale(LC_CTYPE, "C.UTF-8") }
        return isUTF8()
    }()

    private static func isUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        return String(cString: codeset) == "UTF-8"
    }
}
