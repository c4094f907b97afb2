/// Virtual memory services.
extension Executive {
    static let memCommit: UInt32 = 0x1000
    static let memReserve: UInt32 = 0x2000
    static let memDecommit: UInt32 = 0x4000
    static let memRelease: UInt32 = 0x8000
    static let memReset: UInt32 = 0x8_0000
    static let memTopDown: UInt32 = 0x10_0000

    private func checkProcess(_ handle: UInt64) throws(StatusError) {
        guard handle == Self.currentProcess || (try? object(handle)) === process else {
            throw StatusError(NTStatus.invalidHandle)
        }
    }

    func ntAllocateVirtualMemory(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try checkProcess(try call.argument(0))
        let basePointer = try call.argument(1)
        let sizePointer = try call.argument(3)
        let type = try call.argument32(4)
        let protect = try call.argument32(5)
        let requestedBase = try readU64(basePointer)
        let size = try readU64(sizePointer)
        guard size > 0 else { return .complete(NTStatus.invalidParameter) }
        if type & Self.memReset != 0 {
            return .complete(0)
        }
        guard type & (Self.memCommit | Self.memReserve) != 0 else {
            return .complete(NTStatus.invalidParameter)
        }
        var start: UInt64
        var length: UInt64
        if type & Self.memReserve != 0 || requestedBase == 0 {
            start = try space.reserve(
                at: requestedBase == 0 ? nil : requestedBase, size: size, protect: protect,
                topDown: type & Self.memTopDown != 0)
            length = space.allocation(containing: start)?.size ?? size
            if type & Self.memCommit != 0 {
                do {
                    try space.commit(start, size: length, protect: protect)
                } catch {
                    try? space.release(start)
                    throw error
                }
            }
        } else {
            let range = try space.commit(requestedBase, size: size, protect: protect)
            start = range.lowerBound
            length = range.upperBound - range.lowerBound
        }
        try writeU64(basePointer, start)
        try writeU64(sizePointer, length)
        return .complete(0)
    }

    func ntFreeVirtualMemory(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try checkProcess(try call.argument(0))
        let basePointer = try call.argument(1)
        let sizePointer = try call.argument(2)
        let type = try call.argument32(3)
        let base = try readU64(basePointer)
        let size = try readU64(sizePointer)
        guard let allocation = space.allocation(containing: base) else {
            return .complete(NTStatus.memoryNotAllocated)
        }
        switch type {
        case Self.memRelease:
            guard size == 0 else { return .complete(NTStatus.invalidParameter) }
            try space.release(base)
            try writeU64(basePointer, allocation.base)
            try writeU64(sizePointer, allocation.size)
        case Self.memDecommit:
            let start = base & ~0xFFF
            let length = size == 0 ? allocation.end - start : size
            try space.decommit(base, size: length)
            try writeU64(basePointer, start)
            try writeU64(sizePointer, ((base + length + 0xFFF) & ~0xFFF) - start)
        default:
            return .complete(NTStatus.invalidParameter)
        }
        return .complete(0)
    }

    func ntProtectVirtualMemory(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try checkProcess(try call.argument(0))
        let basePointer = try call.argument(1)
        let sizePointer = try call.argument(2)
        let protect = try call.argument32(3)
        let oldPointer = try call.argument(4)
        let base = try readU64(basePointer)
        let size = try readU64(sizePointer)
        let old = try space.protect(base, size: size, protect: protect)
        let start = base & ~0xFFF
        try writeU64(basePointer, start)
        try writeU64(sizePointer, ((base + max(size, 1) + 0xFFF) & ~0xFFF) - start)
        try writeU32(oldPointer, old)
        return .complete(0)
    }

    func ntQueryVirtualMemory(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try checkProcess(try call.argument(0))
        let address = try call.argument(1)
        let informationClass = try call.argument32(2)
        let buffer = try call.argument(3)
        let length = try call.argument(4)
        let returned = try call.argument(5)
        guard informationClass == 0 else { return .complete(NTStatus.invalidInfoClass) }
        guard length >= 48 else { return .complete(NTStatus.infoLengthMismatch) }
        let region = try space.query(address)
        var info = StructBuilder(size: 48)
        info.put(region.base, at: 0)
        info.put(region.allocationBase, at: 8)
        info.put(region.allocationProtect, at: 16)
        info.put(region.size, at: 24)
        info.put(region.state, at: 32)
        info.put(region.protect, at: 36)
        info.put(region.type, at: 40)
        try writeGuest(buffer, info.bytes)
        try writeOptionalU64(returned, 48)
        return .complete(0)
    }
}
