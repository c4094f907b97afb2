import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A one-line reason for a failed host operation, as `strerror` words it (`No such file or
/// directory`). FoundationEssentials' errors carry no `localizedDescription`; their text comes
/// from the POSIX code they wrap.
public enum ErrorText {
    /// The `strerror` text of `code`.
    public static func posix(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The reason `error` gives: the text of the POSIX code it is or wraps, else its description.
    public static func describe(_ error: any Error) -> String {
        if let posixError = error as? POSIXError { return posix(posixError.code.rawValue) }
        if let cocoa = error as? CocoaError, let underlying = cocoa.underlying as? POSIXError {
            return posix(underlying.code.rawValue)
        }
        return String(describing: error)
    }
}
