import Emulation

/// Why the example dump (or its symbol file) could not be made, with what to do about it.
public enum ExampleError: Error, Equatable, CustomStringConvertible {
    /// libunicorn could not be loaded.
    case unicornMissing
    /// The example image could not be read or is not what the generator runs.
    case image(String)
    /// The emulator failed, or the program did not crash the way a dump needs.
    case emulation(String)
    /// The symbolizer's output or the symbol data was unusable.
    case symbols(String)

    public var description: String {
        switch self {
        case .unicornMissing:
            "libunicorn (Unicorn 2) is not installed; install it with "
                + "`sudo apt-get install libunicorn-dev` (Debian/Ubuntu) or `brew install unicorn`"
        case .image(let text): "example image: \(text)"
        case .emulation(let text): "emulation: \(text)"
        case .symbols(let text): "symbols: \(text)"
        }
    }
}

extension ExampleError {
    /// The emulator's error as the example reports it.
    init(_ error: EmulationError) {
        switch error {
        case .unicornMissing: self = .unicornMissing
        default: self = .emulation(error.description)
        }
    }
}

/// Runs emulator calls, reporting their errors as `ExampleError`s.
@discardableResult
func emulating<T>(_ body: () throws(EmulationError) -> T) throws(ExampleError) -> T {
    do {
        return try body()
    } catch {
        throw ExampleError(error)
    }
}
