extension Minidump {
    /// Reads every stream this reader knows, every thread and exception context and a sample of
    /// memory, and returns the errors met (one line each, the stream's own message). Warnings
    /// collected on the way are in `warnings`. Used by tests and the fuzzer to exercise the
    /// whole reader; also a quick health check of a dump.
    public func checkAllStreams() -> [String] {
        var problems: [String] = []
        func check<T>(_ body: () throws -> T) {
            do {
                _ = try body()
            } catch let error as MinidumpError {
                if error.kind != .streamNotFound { problems.append(error.message) }
            } catch {
                problems.append("\(error)")
            }
        }
        check { try systemInfo() }
        check { try miscInfo() }
        check {
            for thread in try threads() {
                check { try context(of: thread) }
            }
        }
        check { try threadExList() }
        check { try threadInfoList() }
        check { try threadNames() }
        check {
            for module in try modules() { _ = module.codeView?.debugIdentifier }
        }
        check { try unloadedModules() }
        check { try exception() }
        for exception in exceptions() {
            check { try context(of: exception) }
        }
        check { try memoryInfoList() }
        check { try handleData() }
        check { try tokens() }
        check {
            for table in try functionTables().descriptors {
                for function in table.runtimeFunctions.prefix(64) {
                    _ = unwindInfo(for: function, imageBase: table.baseAddress)
                }
            }
        }
        check { try commentA() }
        check { try commentW() }
        check { try breakpadInfo() }
        check { try assertionInfo() }
        for type in [MINIDUMP_STREAM_TYPE.linuxCpuInfo, .linuxProcStatus, .linuxLsbRelease] {
            check { try linuxKeyValues(type) }
        }
        check { try linuxCommandLine() }
        check { try linuxEnvironment() }
        check { try linuxAuxv() }
        check { try linuxMaps() }
        check { try linuxDsoDebug() }
        check { try crashpadInfo() }
        check { try macCrashInfo() }
        check { try memoryList() }
        check { try memory64List() }

        let view = memory()
        for range in view.ranges.prefix(256) {
            _ = view.read(at: range.start, count: Int(min(range.size, 64)))
            _ = view.readAvailable(at: range.end &- 8, count: 16)
            _ = view.withContiguousBytes(at: range.start, count: 1) { $0.first }
        }
        _ = view.readAvailable(at: 0, count: 64)
        _ = view.readAvailable(at: .max - 8, count: 64)
        if let module = (try? modules())?.first {
            _ = view.readAvailable(at: module.baseAddress, count: 256)
            _ = self.module(containing: module.baseAddress)
            _ = memoryInfo(containing: module.baseAddress)
        }
        return problems
    }
}
