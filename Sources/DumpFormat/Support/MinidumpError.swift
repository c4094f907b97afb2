/// An error reading or writing a dump: what is wrong, where, and what kind of problem it is.
///
/// Messages are written for a person: they name the structure, the file offset (as `0x…`) and
/// the numbers that disagree, e.g.
/// `ModuleList stream at 0x1f4: 3 entries of 108 bytes need 328 bytes, stream has 200`.
/// Callers that only need "is this stream usable" can treat every kind alike; `kind` lets a
/// caller tell a missing stream from a damaged one when it wants to say so.
public struct MinidumpError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of a problem.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, read or mapped (the message carries `strerror`).
        case io
        /// The bytes are not a minidump at all (no `MDMP` signature).
        case notMinidump
        /// A Windows kernel dump (`PAGEDUMP`/`PAGEDU64`); this reader does not read them.
        case kernelDumpUnsupported
        /// The requested stream is not in the dump.
        case streamNotFound
        /// A structure is inconsistent with itself or with the file (sizes, counts, offsets).
        case malformed
        /// Well-formed data this reader does not understand (e.g. an unknown context layout).
        case unsupported
    }

    public var kind: Kind
    /// The complete message, including the offset where relevant.
    public var message: String
    /// The file offset the problem was found at, when there is one.
    public var offset: UInt64?

    public init(_ kind: Kind, _ message: String, offset: UInt64? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String { message }

    static func malformed(_ message: String, at offset: Int) -> MinidumpError {
        MinidumpError(.malformed, message, offset: UInt64(clamping: offset))
    }

    static func notFound(_ what: String) -> MinidumpError {
        MinidumpError(.streamNotFound, "the dump has no \(what) stream")
    }
}

/// `0x`-prefixed lower-case hex, the way messages print offsets and addresses.
@inline(__always)
func hex<T: BinaryInteger>(_ value: T) -> String {
    "0x" + String(value, radix: 16)
}
