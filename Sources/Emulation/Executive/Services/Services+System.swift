/// Time, system information and `NtXcdbLoadDll`.
extension Executive {
    func ntQuerySystemTime(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try writeU64(try call.argument(0), systemTime)
        return .complete(0)
    }

    func ntQueryPerformanceCounter(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try writeU64(try call.argument(0), interruptTime)
        try writeOptionalU64(try call.argument(1), 10_000_000)
        return .complete(0)
    }

    func ntQuerySystemInformation(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let informationClass = try call.argument32(0)
        let buffer = try call.argument(1)
        let length = try call.argument32(2)
        let returned = try call.argument(3)
        guard informationClass == 0 else { return .complete(NTStatus.invalidInfoClass) }
        guard length >= 0x40 else { return .complete(NTStatus.infoLengthMismatch) }
        var info = StructBuilder(size: 0x40)
        info.put(UInt32(156_250), at: 4)
        info.put(UInt32(0x1000), at: 8)
        info.put(UInt32(truncatingIfNeeded: options.memoryCap / 0x1000), at: 0xC)
        info.put(UInt32(1), at: 0x10)
        info.put(UInt32(truncatingIfNeeded: options.memoryCap / 0x1000), at: 0x14)
        info.put(UInt32(0x1_0000), at: 0x18)
        info.put(UInt64(0x1_0000), at: 0x20)
        info.put(UInt64(0x7FFF_FFFE_FFFF), at: 0x28)
        info.put(UInt64(1), at: 0x30)
        info.put(UInt8(1), at: 0x38)
        try writeGuest(buffer, info.bytes)
        try writeOptionalU32(returned, 0x40)
        return .complete(0)
    }

    func ntXcdbLoadDll(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let name = try readUnicodeString(try call.argument(0))
        let basePointer = try call.argument(1)
        let before = loader.initializationOrder.count
        let result: (LoadedModule, [LoadedModule])?
        do {
            result = try loader.loadLibrary(name)
        } catch {
            return .complete(NTStatus.dllNotFound)
        }
        guard let (module, fresh) = result else { return .complete(NTStatus.dllNotFound) }
        if !fresh.isEmpty {
            let initialization = Array(loader.initializationOrder[before...])
            do {
                try environment?.add(fresh, initialization: initialization)
                for loaded in fresh where loaded.tls != nil { try extendTLS(for: loaded) }
            } catch {
                return .complete(NTStatus.noMemory)
            }
            for loaded in fresh { queue(.moduleLoaded(loaded.info), thread: call.thread) }
        }
        try writeU64(basePointer, module.info.base)
        return .complete(0)
    }
}
