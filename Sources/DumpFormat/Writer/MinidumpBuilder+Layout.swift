extension MinidumpBuilder {
    struct Layout {
        var metadata: [UInt8]
        var memory64Size: UInt64
    }

    /// Lays out everything but the Memory64List data.
    func makeLayout() -> Layout {
        var w = ByteWriter()
        var directory: [MINIDUMP_DIRECTORY] = []
        let streamCount = countStreams()

        var header = MINIDUMP_HEADER()
        header.version = UInt32(implementationVersion) << 16 | MINIDUMP_HEADER.versionValue
        header.numberOfStreams = UInt32(streamCount)
        header.streamDirectoryRva = UInt32(MINIDUMP_HEADER.size)
        header.timeDateStamp = timeDateStamp
        header.flags = flags
        header.encode(into: &w)
        w.zeros(streamCount * MINIDUMP_DIRECTORY.size)

        func addStream(_ type: MINIDUMP_STREAM_TYPE, _ body: (inout ByteWriter) -> Void) {
            w.align(8)
            let start = w.count
            body(&w)
            directory.append(
                MINIDUMP_DIRECTORY(
                    streamType: type,
                    location: MINIDUMP_LOCATION_DESCRIPTOR(
                        dataSize: UInt32(w.count - start), rva: RVA(start))))
        }
        func blob(_ bytes: [UInt8]) -> MINIDUMP_LOCATION_DESCRIPTOR {
            w.align(8)
            let rva = RVA(w.count)
            w.append(bytes)
            return MINIDUMP_LOCATION_DESCRIPTOR(dataSize: UInt32(bytes.count), rva: rva)
        }
        func string(_ text: String) -> RVA {
            w.align(4)
            let rva = RVA(w.count)
            let units = Array(text.utf16)
            w.u32(UInt32(units.count * 2))
            for unit in units { w.u16(unit) }
            w.u16(0)
            return rva
        }

        if var info = systemInfo {
            info.csdVersionRva = string(csdVersion)
            addStream(.systemInfo) { info.encode(into: &$0) }
        }
        if let misc = miscInfo {
            addStream(.miscInfo) { misc.encode(into: &$0) }
        }

        // Thread stacks go in the MemoryList too, as dbghelp writes them.
        var memoryDescriptors: [MINIDUMP_MEMORY_DESCRIPTOR] = []
        if !threads.isEmpty {
            let raw: [MINIDUMP_THREAD] = threads.map { thread in
                var t = MINIDUMP_THREAD()
                t.threadId = thread.threadId
                t.suspendCount = thread.suspendCount
                t.priorityClass = thread.priorityClass
                t.priority = thread.priority
                t.teb = thread.teb
                t.threadContext = blob(thread.context)
                if !thread.stack.isEmpty {
                    t.stack = MINIDUMP_MEMORY_DESCRIPTOR(
                        startOfMemoryRange: thread.stackStart, memory: blob(thread.stack))
                    memoryDescriptors.append(t.stack)
                }
                return t
            }
            addStream(.threadList) { w in
                w.u32(UInt32(raw.count))
                for thread in raw { thread.encode(into: &w) }
            }
        }
        if !modules.isEmpty {
            let raw: [MINIDUMP_MODULE] = modules.map { module in
                var m = MINIDUMP_MODULE()
                m.baseOfImage = module.baseOfImage
                m.sizeOfImage = module.sizeOfImage
                m.checkSum = module.checkSum
                m.timeDateStamp = module.timeDateStamp
                m.versionInfo = module.versionInfo
                m.moduleNameRva = string(module.name)
                if let codeView = module.codeView {
                    var cv = ByteWriter()
                    codeView.encode(into: &cv)
                    m.cvRecord = blob(cv.bytes)
                }
                if let misc = module.miscRecord { m.miscRecord = blob(misc) }
                return m
            }
            addStream(.moduleList) { w in
                w.u32(UInt32(raw.count))
                for module in raw { module.encode(into: &w) }
            }
        }
        if !unloadedModules.isEmpty {
            let raw: [MINIDUMP_UNLOADED_MODULE] = unloadedModules.map { module in
                var m = module.raw
                m.moduleNameRva = string(module.name)
                return m
            }
            addStream(.unloadedModuleList) { w in
                w.u32(12)
                w.u32(UInt32(MINIDUMP_UNLOADED_MODULE.size))
                w.u32(UInt32(raw.count))
                for module in raw { module.encode(into: &w) }
            }
        }
        for exception in exceptions {
            var stream = MINIDUMP_EXCEPTION_STREAM()
            stream.threadId = exception.threadId
            stream.exceptionRecord = exception.record
            stream.threadContext = blob(exception.context)
            addStream(.exception) { stream.encode(into: &$0) }
        }
        if !memoryInfo.isEmpty {
            addStream(.memoryInfoList) { w in
                w.u32(16)
                w.u32(UInt32(MINIDUMP_MEMORY_INFO.size))
                w.u64(UInt64(memoryInfo.count))
                for info in memoryInfo { info.encode(into: &w) }
            }
        }
        if !handles.isEmpty {
            let version2 = handleDescriptorVersion2
            let raw: [MINIDUMP_HANDLE_DESCRIPTOR] = handles.map { handle in
                var h = handle.raw
                h.typeNameRva = handle.typeName.map(string) ?? 0
                h.objectNameRva = handle.objectName.map(string) ?? 0
                return h
            }
            addStream(.handleData) { w in
                w.u32(16)
                w.u32(
                    UInt32(
                        version2
                            ? MINIDUMP_HANDLE_DESCRIPTOR.size2 : MINIDUMP_HANDLE_DESCRIPTOR.size))
                w.u32(UInt32(raw.count))
                w.u32(0)
                for handle in raw { handle.encode(into: &w, version2: version2) }
            }
        }
        for range in memory {
            memoryDescriptors.append(
                MINIDUMP_MEMORY_DESCRIPTOR(
                    startOfMemoryRange: range.address, memory: blob(range.bytes)))
        }
        if !memoryDescriptors.isEmpty {
            addStream(.memoryList) { w in
                w.u32(UInt32(memoryDescriptors.count))
                for descriptor in memoryDescriptors { descriptor.encode(into: &w) }
            }
        }
        for stream in rawStreams {
            addStream(stream.type) { $0.append(stream.bytes) }
        }
        var memory64Size: UInt64 = 0
        if !memory64.isEmpty {
            w.align(8)
            let baseRva = UInt64(w.count + 16 + memory64.count * MINIDUMP_MEMORY_DESCRIPTOR64.size)
            addStream(.memory64List) { w in
                w.u64(UInt64(memory64.count))
                w.u64(baseRva)
                for range in memory64 {
                    MINIDUMP_MEMORY_DESCRIPTOR64(
                        startOfMemoryRange: range.address, dataSize: range.content.size
                    )
                    .encode(into: &w)
                    memory64Size += range.content.size
                }
            }
        }

        var directoryBytes = ByteWriter()
        for entry in directory { entry.encode(into: &directoryBytes) }
        var metadata = w.bytes
        metadata.replaceSubrange(
            MINIDUMP_HEADER.size..<(MINIDUMP_HEADER.size + directoryBytes.count),
            with: directoryBytes.bytes)
        return Layout(metadata: metadata, memory64Size: memory64Size)
    }

    private func countStreams() -> Int {
        var count = exceptions.count + rawStreams.count
        if systemInfo != nil { count += 1 }
        if miscInfo != nil { count += 1 }
        if !threads.isEmpty { count += 1 }
        if !modules.isEmpty { count += 1 }
        if !unloadedModules.isEmpty { count += 1 }
        if !memoryInfo.isEmpty { count += 1 }
        if !handles.isEmpty { count += 1 }
        if !memory.isEmpty || threads.contains(where: { !$0.stack.isEmpty }) { count += 1 }
        if !memory64.isEmpty { count += 1 }
        return count
    }
}
