import PEFormat

/// Pointer-sized reads with overflow-checked address arithmetic, shared by every unwinder.
struct MemoryAccess {
    let memory: any ByteSource
    let pointerSize: Int

    func pointer(at address: UInt64) -> UInt64? {
        memory.readPointer(at: address, size: pointerSize)
    }

    func pointer(at address: UInt64, plus offset: UInt64) -> UInt64? {
        guard let target = address.adding(offset) else { return nil }
        return pointer(at: target)
    }
}

extension UInt64 {
    /// `self + other`, or nil on overflow.
    func adding(_ other: UInt64) -> UInt64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }

    /// `self - other`, or nil on underflow.
    func subtracting(_ other: UInt64) -> UInt64? {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? nil : difference
    }
}

/// An RVA-addressed view of a module: the image bytes when the module has them, else the
/// target memory at base + RVA.
struct ModuleBytes: ByteSource {
    let module: UnwindModule
    let memory: any ByteSource

    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard offset <= UInt64(UInt32.max) else { return nil }
        return module.read(rva: UInt32(offset), count: count, memory: memory)
    }
}
