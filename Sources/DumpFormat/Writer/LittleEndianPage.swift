/// A zero-filled page (or a few) written by offset.
public struct LittleEndianPage: Sendable {
    public private(set) var bytes: [UInt8]

    public init(size: Int) { bytes = Array(repeating: 0, count: size) }

    public mutating func put<T: FixedWidthInteger>(_ offset: Int, _ value: T) {
        for index in 0..<MemoryLayout<T>.size where offset + index < bytes.count {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (index * 8))
        }
    }

    public mutating func put8(_ offset: Int, _ value: UInt8) { put(offset, value) }
    public mutating func put16(_ offset: Int, _ value: UInt16) { put(offset, value) }
    public mutating func put32(_ offset: Int, _ value: UInt32) { put(offset, value) }
    public mutating func put64(_ offset: Int, _ value: UInt64) { put(offset, value) }

    public mutating func put(_ offset: Int, _ data: [UInt8]) {
        for (index, byte) in data.enumerated() where offset + index < bytes.count {
            bytes[offset + index] = byte
        }
    }
}
