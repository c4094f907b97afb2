extension CPUContext {
    /// Decodes a context record.
    ///
    /// - Parameters:
    ///   - bytes: the record as stored (its `DataSize` bytes).
    ///   - architecture: SystemInfo's processor architecture, when the dump has one; the layout
    ///     is then checked against it, otherwise it is guessed from the flags and the size.
    ///   - xstateConfig: MiscInfo 5's XSAVE feature table, used to place XSAVE features.
    public init(
        decoding bytes: [UInt8], architecture: ProcessorArchitecture?,
        xstateConfig: XSTATE_CONFIG_FEATURE_MSC_INFO? = nil
    ) throws(MinidumpError) {
        guard let layout = ContextLayout.detect(bytes: bytes, architecture: architecture) else {
            let arch = architecture.map { "\($0)" } ?? "unknown architecture"
            throw MinidumpError(
                .unsupported,
                "a \(bytes.count)-byte CPU context does not match any known layout for \(arch)")
        }
        let flags = Self.readLE(bytes, layout.flagsOffset, layout.flagsWidth)
        var registers: [Register] = []
        registers.reserveCapacity(layout.slots.count)
        for slot in layout.slots {
            let value = Self.readLE128(bytes, slot.offset, (slot.bitWidth + 7) / 8)
            registers.append(
                Register(
                    name: slot.name, bitWidth: slot.bitWidth, value: value, group: slot.group,
                    isValid: layout.isValid(slot.group, flags: flags)))
        }
        var xstate: XStateArea?
        if layout.architecture == .x86 || layout.architecture == .amd64,
            flags & 0x40 != 0, bytes.count > layout.size
        {
            xstate = Self.decodeXState(bytes, contextSize: layout.size)
            if let xstate {
                registers += Self.xstateRegisters(
                    xstate, architecture: layout.architecture, config: xstateConfig)
            }
        }
        self.init(
            layout: layout, contextFlags: flags, registers: registers, rawBytes: bytes,
            xstate: xstate)
    }

    /// Up to 8 little-endian bytes at `offset`; bytes past the end read as zero.
    static func readLE(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> UInt64 {
        var value: UInt64 = 0
        var index = min(width, 8) - 1
        while index >= 0 {
            let at = offset + index
            value = value << 8 | UInt64(at >= 0 && at < bytes.count ? bytes[at] : 0)
            index -= 1
        }
        return value
    }

    /// Up to 16 little-endian bytes at `offset`; bytes past the end read as zero.
    static func readLE128(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> UInt128 {
        let low = readLE(bytes, offset, min(width, 8))
        guard width > 8 else { return UInt128(low) }
        let high = readLE(bytes, offset + 8, width - 8)
        return UInt128(high) << 64 | UInt128(low)
    }

    /// `CONTEXT_EX` follows the legacy context: three `CONTEXT_CHUNK`s (offset, length) for
    /// All, Legacy and XState, offsets relative to the `CONTEXT_EX` itself.
    private static func decodeXState(_ bytes: [UInt8], contextSize: Int) -> XStateArea? {
        guard bytes.count >= contextSize + 24 else { return nil }
        let xOffset = Int(Int32(truncatingIfNeeded: readLE(bytes, contextSize + 16, 4)))
        let xLength = Int(readLE(bytes, contextSize + 20, 4))
        let start = contextSize + xOffset
        guard xLength >= 16, start >= 0, start <= bytes.count, xLength <= bytes.count - start else {
            return nil
        }
        return XStateArea(
            mask: readLE(bytes, start, 8), compactionMask: readLE(bytes, start + 8, 8),
            bytes: Array(bytes[start..<(start + xLength)]))
    }

    /// XSAVE feature sizes used when MiscInfo 5 gives none.
    private static let defaultFeatureSizes: [Int: Int] = [
        2: 256, 3: 64, 4: 64, 5: 64, 6: 512, 7: 1024, 9: 8, 11: 16, 12: 24,
    ]

    /// AVX upper halves (`ymm0h`…) and user CET state (`cetumsr`, `ssp`) from the XSAVE area.
    /// Offsets are relative to the XSAVE header: in the standard format a feature sits at its
    /// architectural offset minus the 512-byte legacy area; in the compacted format features
    /// follow the 64-byte header in index order.
    private static func xstateRegisters(
        _ area: XStateArea, architecture: CPUContext.Architecture,
        config: XSTATE_CONFIG_FEATURE_MSC_INFO?
    ) -> [Register] {
        func size(_ feature: Int) -> Int? {
            if let config, feature < config.features.count, config.features[feature].size > 0 {
                return Int(config.features[feature].size)
            }
            return defaultFeatureSizes[feature]
        }
        func offset(_ feature: Int) -> Int? {
            let compacted = area.compactionMask & (1 << 63) != 0
            if !compacted {
                guard let config, feature < config.features.count else {
                    return feature == 2 ? 64 : nil
                }
                let standard = Int(config.features[feature].offset)
                return standard >= 512 ? standard - 512 : nil
            }
            guard area.compactionMask & (1 << UInt64(feature)) != 0 else { return nil }
            var at = 64
            for earlier in 2..<feature where area.compactionMask & (1 << UInt64(earlier)) != 0 {
                guard let earlierSize = size(earlier) else { return nil }
                at += earlierSize
            }
            return at
        }
        var result: [Register] = []
        let inUse = { (feature: Int) in area.mask & (1 << UInt64(feature)) != 0 }
        if let avx = offset(2), let avxSize = size(2) {
            let count = architecture == .amd64 ? 16 : 8
            if avx + count * 16 <= area.bytes.count, avxSize >= count * 16 {
                for n in 0..<count {
                    let value = inUse(2) ? readLE128(area.bytes, avx + n * 16, 16) : 0
                    result.append(
                        Register(name: "ymm\(n)h", bitWidth: 128, value: value, group: .xstate))
                }
            }
        }
        if let cet = offset(11), cet + 16 <= area.bytes.count {
            let msr = inUse(11) ? UInt128(readLE(area.bytes, cet, 8)) : 0
            let ssp = inUse(11) ? UInt128(readLE(area.bytes, cet + 8, 8)) : 0
            result.append(Register(name: "cetumsr", bitWidth: 64, value: msr, group: .xstate))
            result.append(Register(name: "ssp", bitWidth: 64, value: ssp, group: .xstate))
        }
        return result
    }
}

extension CPUContext {
    /// Encodes a context record for `architecture` from register values by name (any register
    /// this reader decodes; missing ones are zero). `contextFlags` defaults to every group of
    /// the architecture. Used by `MinidumpBuilder`; the bytes decode back to the same values.
    public static func encode(
        architecture: Architecture, registers: [String: UInt128], contextFlags: UInt64? = nil
    ) -> [UInt8] {
        let layout: ContextLayout
        switch architecture {
        case .x86: layout = .x86
        case .amd64: layout = .amd64
        case .arm64: layout = .arm64
        case .arm: layout = .armWindows
        }
        var bytes = [UInt8](repeating: 0, count: layout.size)
        let flags =
            contextFlags
            ?? layout.groupFlags.filter { $0.key != .xstate }.reduce(layout.cpuFlag) {
                $0 | $1.value
            }
        write(&bytes, layout.flagsOffset, layout.flagsWidth, UInt128(flags))
        for slot in layout.slots {
            guard let value = registers[slot.name] else { continue }
            write(&bytes, slot.offset, (slot.bitWidth + 7) / 8, value)
        }
        return bytes
    }

    private static func write(_ bytes: inout [UInt8], _ offset: Int, _ width: Int, _ value: UInt128)
    {
        for index in 0..<width where offset + index < bytes.count {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt128(index * 8))
        }
    }
}
