extension Minidump {
    /// The ThreadList stream (`MINIDUMP_THREAD` entries), or the ThreadExList stream when the dump
    /// has only that one.
    public func threads() throws(MinidumpError) -> [MINIDUMP_THREAD] {
        if !hasStream(.threadList), hasStream(.threadExList) { return try threadExList() }
        return try readList(.threadList, entrySize: MINIDUMP_THREAD.size) {
            (c: inout Cursor) throws(MinidumpError) in
            try MINIDUMP_THREAD(from: &c, extended: false)
        }
    }

    /// The ThreadExList stream (`MINIDUMP_THREAD_EX`, with backing store).
    public func threadExList() throws(MinidumpError) -> [MINIDUMP_THREAD] {
        try readList(.threadExList, entrySize: MINIDUMP_THREAD.sizeEx) {
            (c: inout Cursor) throws(MinidumpError) in
            try MINIDUMP_THREAD(from: &c, extended: true)
        }
    }

    /// The CPU context of a thread, decoded for the dump's architecture.
    public func context(of thread: MINIDUMP_THREAD) throws(MinidumpError) -> CPUContext {
        try context(at: thread.threadContext, what: "context of thread \(hex(thread.threadId))")
    }

    /// Decodes the CPU context at `location` (a thread's or an exception's).
    public func context(at location: MINIDUMP_LOCATION_DESCRIPTOR, what: String = "CPU context")
        throws(MinidumpError) -> CPUContext
    {
        let label = "\(what) at \(hex(location.rva))"
        guard location.dataSize > 0 else {
            throw MinidumpError(
                .malformed, "\(label): the context is empty", offset: UInt64(location.rva))
        }
        let raw = try bytes(at: location, what: label)
        let arch = try? systemInfo().raw.processorArchitecture
        let xstate = (try? miscInfo())?.xStateData
        do {
            return try CPUContext(decoding: raw, architecture: arch, xstateConfig: xstate)
        } catch {
            throw MinidumpError(
                error.kind, "\(label): \(error.message)", offset: UInt64(location.rva))
        }
    }

    /// The ThreadInfoList stream: per-thread times, start address, affinity, exit status.
    public func threadInfoList() throws(MinidumpError) -> [MINIDUMP_THREAD_INFO] {
        try readExtendedList(.threadInfoList, minimumEntrySize: MINIDUMP_THREAD_INFO.size) {
            (c: inout Cursor, _: Int) throws(MinidumpError) in
            try MINIDUMP_THREAD_INFO(from: &c)
        }
    }

    /// The ThreadNames stream as thread id → name. A name that cannot be read is left out
    /// with a warning.
    public func threadNames() throws(MinidumpError) -> [UInt32: String] {
        let entries = try readList(.threadNames, entrySize: MINIDUMP_THREAD_NAME.size) {
            (c: inout Cursor) throws(MinidumpError) in
            try MINIDUMP_THREAD_NAME(from: &c)
        }
        var names: [UInt32: String] = [:]
        var budget = DecodeBudget(stream: "ThreadNames")
        for entry in entries {
            guard let rva = RVA(exactly: entry.rvaOfThreadName) else {
                warn(
                    "ThreadNames: name of thread \(hex(entry.threadId)) at \(hex(entry.rvaOfThreadName)) is past 4 GiB"
                )
                continue
            }
            do {
                names[entry.threadId] = try string(
                    at: rva, what: "name of thread \(hex(entry.threadId))", budget: &budget)
            } catch {
                warn("ThreadNames: \(error.message)")
            }
        }
        return names
    }
}
