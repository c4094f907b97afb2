/// Why a PDB (or part of one) could not be read: what is wrong and where, in words a user can
/// act on, e.g. `stream 3 (DBI): module 4 record at 0x1a0 runs past the end of its substream`.
public struct PDBError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Hex for messages: `0x1a0`.
func pdbHex<T: BinaryInteger>(_ value: T) -> String {
    "0x" + String(value, radix: 16)
}

/// Checked arithmetic on sizes and counts read from a PDB.
enum PDBChecked {
    static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(PDBError) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow, value >= 0 else { throw PDBError("\(what()): \(a) + \(b) overflows") }
        return value
    }

    static func multiply(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(PDBError)
        -> Int
    {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow, value >= 0 else { throw PDBError("\(what()): \(a) × \(b) overflows") }
        return value
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `PDBError` (the standard one rethrows untyped).
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(PDBError) -> R) throws(PDBError)
        -> R
    {
        let result = withUnsafeBytes { raw in
            Result { () throws(PDBError) -> R in try body(raw) }
        }
        return try result.get()
    }
}
