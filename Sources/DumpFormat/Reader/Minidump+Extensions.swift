extension Minidump {
    /// Breakpad's info stream (0x47670001): the dumping and the requesting thread.
    public func breakpadInfo() throws(MinidumpError) -> MINIDUMP_BREAKPAD_INFO {
        var c = try stream(.breakpadInfo)
        return try MINIDUMP_BREAKPAD_INFO(from: &c)
    }

    /// Breakpad's assertion stream (0x47670002).
    public func assertionInfo() throws(MinidumpError) -> MINIDUMP_ASSERTION_INFO {
        var c = try stream(.assertionInfo)
        return try MINIDUMP_ASSERTION_INFO(from: &c)
    }

    /// The text of a Linux stream (`/proc/cpuinfo`, `status`, `lsb-release`, `maps`, …) as
    /// stored, decoded as UTF-8.
    public func linuxText(_ type: MINIDUMP_STREAM_TYPE) throws(MinidumpError) -> String {
        String(decoding: try rawStream(type), as: UTF8.self)
    }

    /// `Key: value` lines of a Linux text stream (`/proc/PID/status`, `/proc/cpuinfo`), or
    /// `KEY=value` lines (`/etc/lsb-release`), in order.
    public func linuxKeyValues(_ type: MINIDUMP_STREAM_TYPE) throws(MinidumpError) -> [(
        key: String, value: String
    )] {
        let text = try linuxText(type)
        return text.split(separator: "\n").compactMap { line in
            let separator: Character = type == .linuxLsbRelease ? "=" : ":"
            guard let index = line.firstIndex(of: separator) else { return nil }
            let key = line[..<index].trimmingSpaces()
            var value = line[line.index(after: index)...].trimmingSpaces()
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
            }
            return (key, value)
        }
    }

    /// The process's command line (LinuxCmdLine), split at NUL bytes.
    public func linuxCommandLine() throws(MinidumpError) -> [String] {
        try rawStream(.linuxCmdLine).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The process's environment (LinuxEnviron), split at NUL bytes.
    public func linuxEnvironment() throws(MinidumpError) -> [String] {
        try rawStream(.linuxEnviron).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The auxiliary vector (LinuxAuxv) as (type, value) pairs of the dump's pointer size,
    /// up to `AT_NULL`.
    public func linuxAuxv() throws(MinidumpError) -> [(type: UInt64, value: UInt64)] {
        var c = try stream(.linuxAuxv)
        let wide = ((try? systemInfo())?.architecture.pointerSize ?? 8) == 8
        var pairs: [(type: UInt64, value: UInt64)] = []
        let pairSize = wide ? 16 : 8
        while c.remaining >= pairSize {
            let type = wide ? try c.u64() : UInt64(try c.u32())
            let value = wide ? try c.u64() : UInt64(try c.u32())
            if type == 0 { break }
            pairs.append((type, value))
        }
        return pairs
    }

    /// `/proc/PID/maps` (LinuxMaps), one entry per well-formed line.
    public func linuxMaps() throws(MinidumpError) -> [LinuxMapsEntry] {
        let text = try linuxText(.linuxMaps)
        return text.split(separator: "\n").compactMap { LinuxMapsEntry(line: $0) }
    }

    /// The dynamic linker's `r_debug` and `link_map` list (LinuxDsoDebug). The 32- or 64-bit
    /// layout is chosen by the stream size (24 or 40 bytes).
    public func linuxDsoDebug() throws(MinidumpError) -> DSO_DEBUG {
        var c = try stream(.linuxDsoDebug)
        let wide = c.length >= 40
        var debug = DSO_DEBUG()
        debug.version = try c.u32()
        debug.map = try c.u32()
        debug.dsoCount = try c.u32()
        if wide { try c.skip(4) }
        debug.brk = wide ? try c.u64() : UInt64(try c.u32())
        debug.ldbase = wide ? try c.u64() : UInt64(try c.u32())
        debug.dynamic = wide ? try c.u64() : UInt64(try c.u32())
        let entrySize = wide ? 24 : 12
        let total = try Checked.multiply(Int(debug.dsoCount), entrySize, "LinuxDsoDebug link maps")
        var maps = try Cursor(
            bytes, offset: Int(debug.map), length: total, label: "LinuxDsoDebug link maps")
        var budget = DecodeBudget(stream: "LinuxDsoDebug")
        for index in 0..<Int(debug.dsoCount) {
            var entry = LINK_MAP()
            entry.addr = wide ? try maps.u64() : UInt64(try maps.u32())
            let nameRva = try maps.u32()
            if wide { try maps.skip(4) }
            entry.ld = wide ? try maps.u64() : UInt64(try maps.u32())
            do {
                entry.name = try string(
                    at: nameRva, what: "LinuxDsoDebug name \(index)", budget: &budget)
            } catch {
                warn(error.message)
            }
            debug.linkMaps.append(entry)
        }
        return debug
    }
}

extension Minidump {
    /// Crashpad's info stream (0x43500001) with process and module annotations resolved.
    /// Annotations that cannot be read are left out with a warning.
    public func crashpadInfo() throws(MinidumpError) -> MINIDUMP_CRASHPAD_INFO {
        var c = try stream(.crashpadInfo)
        var info = MINIDUMP_CRASHPAD_INFO()
        info.version = try c.u32()
        info.reportId = try GUID(from: &c)
        info.clientId = try GUID(from: &c)
        let simple = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        let moduleList = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        var budget = DecodeBudget(stream: "CrashpadInfo")
        info.simpleAnnotations = dictionary(
            at: simple, what: "Crashpad annotations", budget: &budget)
        if moduleList.dataSize > 0 {
            var list = try Cursor(
                bytes, offset: Int(moduleList.rva), length: Int(moduleList.dataSize),
                label: "Crashpad module list")
            let count = Int(try list.u32())
            try list.require(
                try Checked.multiply(count, 12, list.label), for: "\(count) module links")
            for _ in 0..<count {
                let index = try list.u32()
                let location = try MINIDUMP_LOCATION_DESCRIPTOR(from: &list)
                do {
                    info.moduleList.append(
                        try moduleCrashpadInfo(index: index, at: location, budget: &budget))
                } catch {
                    warn("CrashpadInfo: \(error.message)")
                }
            }
        }
        return info
    }

    private func moduleCrashpadInfo(
        index: UInt32, at location: MINIDUMP_LOCATION_DESCRIPTOR, budget: inout DecodeBudget
    ) throws(MinidumpError) -> MINIDUMP_MODULE_CRASHPAD_INFO {
        let label = "Crashpad info of module \(index)"
        var c = try Cursor(
            bytes, offset: Int(location.rva), length: Int(location.dataSize), label: label)
        var info = MINIDUMP_MODULE_CRASHPAD_INFO()
        info.moduleIndex = index
        info.version = try c.u32()
        let list = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        let simple = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        let objects = c.remaining >= 8 ? try MINIDUMP_LOCATION_DESCRIPTOR(from: &c) : .init()
        if list.dataSize > 0 {
            var l = try Cursor(
                bytes, offset: Int(list.rva), length: Int(list.dataSize),
                label: "\(label), list annotations")
            let count = Int(try l.u32())
            try l.require(try Checked.multiply(count, 4, l.label), for: "\(count) string RVAs")
            for _ in 0..<count {
                let rva = try l.u32()
                do {
                    info.listAnnotations.append(
                        try utf8String(at: rva, what: "\(label), list annotation", budget: &budget))
                } catch {
                    warn("CrashpadInfo: \(error.message)")
                }
            }
        }
        info.simpleAnnotations = dictionary(
            at: simple, what: "\(label), simple annotations", budget: &budget)
        if objects.dataSize > 0 {
            var o = try Cursor(
                bytes, offset: Int(objects.rva), length: Int(objects.dataSize),
                label: "\(label), annotation objects")
            let count = Int(try o.u32())
            try o.require(
                try Checked.multiply(count, 12, o.label), for: "\(count) annotation objects")
            for _ in 0..<count {
                let nameRva = try o.u32()
                let type = try o.u16()
                _ = try o.u16()
                let valueRva = try o.u32()
                do throws(MinidumpError) {
                    var annotation = MINIDUMP_ANNOTATION()
                    annotation.name = try utf8String(
                        at: nameRva, what: "\(label), annotation name", budget: &budget)
                    annotation.type = type
                    guard let length = bytes.load(UInt32.self, at: Int(valueRva)),
                        length <= Self.maximumStringBytes,
                        (try? budget.spend(Int(length) + 4, at: Int(valueRva))) != nil,
                        let value = bytes.copy(offset: Int(valueRva) + 4, length: Int(length))
                    else {
                        throw MinidumpError.malformed(
                            "\(label): value of annotation \(annotation.name) at \(hex(valueRva)) "
                                + "does not fit in the file", at: Int(valueRva))
                    }
                    annotation.value = value
                    info.annotationObjects.append(annotation)
                } catch {
                    warn("CrashpadInfo: \(error.message)")
                }
            }
        }
        return info
    }

    /// A `MinidumpSimpleStringDictionary`: a count, then (key RVA, value RVA) pairs.
    private func dictionary(
        at location: MINIDUMP_LOCATION_DESCRIPTOR, what: String, budget: inout DecodeBudget
    ) -> [(key: String, value: String)] {
        guard location.dataSize > 0 else { return [] }
        do {
            var c = try Cursor(
                bytes, offset: Int(location.rva), length: Int(location.dataSize), label: what)
            let count = Int(try c.u32())
            try c.require(try Checked.multiply(count, 8, what), for: "\(count) dictionary entries")
            var result: [(key: String, value: String)] = []
            for _ in 0..<count {
                let key = try c.u32()
                let value = try c.u32()
                result.append(
                    (
                        try utf8String(at: key, what: "\(what) key", budget: &budget),
                        try utf8String(at: value, what: "\(what) value", budget: &budget)
                    ))
            }
            return result
        } catch {
            warn("CrashpadInfo: \(error.message)")
            return []
        }
    }

    /// Mozilla's macOS crash-info stream (0x4d7a0001): `__crash_info` records of modules.
    public func macCrashInfo() throws(MinidumpError) -> [MINIDUMP_MAC_CRASH_INFO_RECORD] {
        var c = try stream(.mozMacosCrashInfo)
        _ = try c.u32()  // stream_type
        let count = Int(try c.u32())
        let startSize = Int(try c.u32())
        guard count <= 20 else {
            throw .malformed("\(c.label): \(count) records, at most 20 fit", at: c.start)
        }
        var records: [MINIDUMP_MAC_CRASH_INFO_RECORD] = []
        for index in 0..<count {
            let location = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
            do {
                var r = try Cursor(
                    bytes, offset: Int(location.rva), length: Int(location.dataSize),
                    label: "\(c.label), record \(index)")
                var record = MINIDUMP_MAC_CRASH_INFO_RECORD()
                record.streamType = try r.u64()
                record.version = try r.u64()
                if startSize >= 32 {
                    record.thread = try r.u64()
                    record.dialogMode = try r.u64()
                }
                if startSize >= 40 { record.abortCause = try r.u64() }
                try r.seek(relative: startSize)
                var strings: [String] = []
                let tail = try r.bytes(r.remaining)
                for piece in tail.split(
                    separator: 0, maxSplits: 5, omittingEmptySubsequences: false
                ).prefix(5) {
                    strings.append(String(decoding: piece.prefix(8192), as: UTF8.self))
                }
                while strings.count < 5 { strings.append("") }
                record.modulePath = strings[0]
                record.message = strings[1]
                record.signatureString = strings[2]
                record.backtrace = strings[3]
                record.message2 = strings[4]
                records.append(record)
            } catch {
                warn("MozMacosCrashInfo: \(error.message)")
            }
        }
        return records
    }
}
