#if canImport(Glibc)
    import Glibc
#endif

/// A C library opened with `dlopen` at run time instead of being linked, so that a program that
/// never needs it neither pays for loading it nor fails to start without it. The library stays
/// loaded for the life of the process.
///
/// Not generic over the caller's error on purpose: each loader throws its own error type, and a
/// shared "loaded once, or the error" holder would need `Failure: Error`, whose first use makes
/// the runtime scan every conformance in the program (see `CapstoneLibrary`).
public struct SharedLibrary: @unchecked Sendable {
    // Sendable: a dlopen handle may be used from any thread.
    private let handle: UnsafeMutableRawPointer

    /// Opens the first of `names` that loads (binding every symbol now, so a broken library
    /// fails here rather than at a first call); nil when none does.
    public init?(firstOf names: [String]) {
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
            return nil
        }
        self.handle = handle
    }

    /// The address of the exported symbol `name`, nil when the library has none.
    public func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, name)
    }
}
