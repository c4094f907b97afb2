import Foundation
import PEFormat

/// Just enough of the minidump format to feed the unwinder from a corpus dump in a test: the
/// memory list, the module list and the exception context. The real reader lives in
/// DumpFormat; this exists so the Unwind tests need nothing outside the module.
struct MinidumpFixture {
    let bytes: [UInt8]
    var memory: TestMemory = TestMemory()
    var modules: [(base: UInt64, size: UInt64)] = []
    var exceptionContext: [UInt8] = []
    var streams: [UInt32: (offset: Int, size: Int)] = [:]

    init(path: String) throws {
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard u32(0) == 0x504D_444D else { throw Failure.notMinidump }
        let count = Int(u32(8))
        let directory = Int(u32(12))
        for index in 0..<count {
            let entry = directory + index * 12
            streams[u32(entry)] = (Int(u32(entry + 8)), Int(u32(entry + 4)))
        }
        if let list = streams[5] {
            for index in 0..<Int(u32(list.offset)) {
                let descriptor = list.offset + 4 + index * 16
                let start = u64(descriptor)
                let size = Int(u32(descriptor + 8))
                let rva = Int(u32(descriptor + 12))
                guard rva + size <= bytes.count else { continue }
                memory.add(start, Array(bytes[rva..<rva + size]))
            }
        }
        if let list = streams[4] {
            for index in 0..<Int(u32(list.offset)) {
                let module = list.offset + 4 + index * 108
                modules.append((u64(module), UInt64(u32(module + 8))))
            }
        }
        if let exception = streams[6] {
            let size = Int(u32(exception.offset + 160))
            let rva = Int(u32(exception.offset + 164))
            guard rva + size <= bytes.count else { throw Failure.truncated }
            exceptionContext = Array(bytes[rva..<rva + size])
        }
    }

    enum Failure: Error {
        case notMinidump
        case truncated
    }

    func u32(_ offset: Int) -> UInt32 {
        guard offset >= 0, offset + 4 <= bytes.count else { return 0 }
        return (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    func u64(_ offset: Int) -> UInt64 {
        UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32
    }
}
