/// Why unwind rules could not produce a caller frame. The message names the failing step.
public struct UnwindRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Reads `byteCount` (4 or 8) bytes of target memory at `address` as a little-endian
/// integer; nil when the memory is not available.
public typealias UnwindMemoryReader = (_ address: UInt64, _ byteCount: Int) -> UInt64?
