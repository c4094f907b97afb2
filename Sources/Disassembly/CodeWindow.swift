/// A read-ahead buffer over target memory, so sequential decoding asks the memory reader for
/// chunks rather than for each instruction.
struct CodeWindow {
    let read: MemoryReader
    let chunkSize: Int
    private var start: UInt64 = 0
    private var bytes: [UInt8] = []
    /// True when the last read returned fewer bytes than asked: memory ends at
    /// `start + bytes.count`.
    private(set) var endsAtMemoryEnd = false

    init(read: @escaping MemoryReader, chunkSize: Int) {
        self.read = read
        self.chunkSize = max(chunkSize, 16)
    }

    /// Bytes from `address` on: at least `want` of them unless memory ends sooner, empty when
    /// `address` is unreadable. `atMemoryEnd` tells whether the returned bytes reach the end
    /// of readable memory (so a short instruction at their end is really cut off).
    mutating func bytes(at address: UInt64, want: Int) -> (
        bytes: ArraySlice<UInt8>, atMemoryEnd: Bool
    ) {
        let (offset, overflow) = address.subtractingReportingOverflow(start)
        if !overflow, offset < UInt64(bytes.count) {
            let position = Int(offset)
            if bytes.count - position >= want || endsAtMemoryEnd {
                return (bytes[position...], endsAtMemoryEnd)
            }
        }
        let request = max(chunkSize, want)
        bytes = read(address, request)
        if bytes.count > request { bytes = Array(bytes.prefix(request)) }
        start = address
        endsAtMemoryEnd = bytes.count < request
        return (bytes[...], endsAtMemoryEnd)
    }
}
