import DumpFormat
import Testing

/// Streams no corpus dump carries, written with the builder's raw streams.
@Suite("Built streams")
struct BuiltStreamTests {
    /// Builds once to learn where a raw stream lands, then fills it with bytes that point into
    /// itself (the layout does not change when the length stays the same).
    static func build(
        _ base: MinidumpBuilder, type: MINIDUMP_STREAM_TYPE, length: Int,
        fill: (_ rva: Int) -> [UInt8]
    ) throws -> Minidump {
        var builder = base
        builder.rawStreams.append((type, Array(repeating: 0, count: length)))
        let probe = try Minidump(bytes: builder.build())
        let rva = Int(try #require(probe.streams(type).first).location.rva)
        builder.rawStreams[builder.rawStreams.count - 1].bytes = fill(rva)
        return try Minidump(bytes: builder.build())
    }

    static func utf16String(_ text: String) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(text.utf16.count * 2))
        for unit in text.utf16 { w.u16(unit) }
        w.u16(0)
        return w.bytes
    }

    @Test func threadNames() throws {
        let names = [(UInt32(0x5768), "main"), (0x6100, "worker 1")]
        let length = 4 + names.count * 12 + names.reduce(0) { $0 + Self.utf16String($1.1).count }
        let dump = try Self.build(Fixtures.amd64(), type: .threadNames, length: length) { rva in
            var w = ByteWriter()
            w.u32(UInt32(names.count))
            var stringOffset = 4 + names.count * 12
            for (id, name) in names {
                w.u32(id)
                w.u64(UInt64(rva + stringOffset))
                stringOffset += Self.utf16String(name).count
            }
            for (_, name) in names { w.append(Self.utf16String(name)) }
            return w.bytes
        }
        #expect(try dump.threadNames() == [0x5768: "main", 0x6100: "worker 1"])
    }

    @Test func commentW() throws {
        var builder = Fixtures.x86()
        builder.rawStreams = [(.commentW, Array(Self.utf16String("héllo wörld").dropFirst(4)))]
        #expect(try Minidump(bytes: builder.build()).commentW() == "héllo wörld")
    }

    /// Thousands of entries pointing at one 64 KiB name must not make the reader decode
    /// gigabytes: past the budget the names are left empty with one warning.
    @Test func decodeBudgetStopsNameAmplification() throws {
        var builder = Fixtures.x86()
        builder.modules = (0..<300).map {
            MinidumpBuilder.Module(
                name: "m\($0)", baseOfImage: UInt64($0) << 20, sizeOfImage: 0x1000)
        }
        let long = Self.utf16String(String(repeating: "x", count: 32_000))
        builder.rawStreams = [(MINIDUMP_STREAM_TYPE(rawValue: 0x7000_0001), long)]
        var bytes = builder.build()
        let probe = try Minidump(bytes: bytes)
        let stringRva = try #require(
            probe.streams(MINIDUMP_STREAM_TYPE(rawValue: 0x7000_0001)).first
        ).location.rva
        let list = Int(try #require(probe.streams(.moduleList).first).location.rva)
        for index in 0..<300 {
            let field = list + 4 + index * 108 + 20
            for byte in 0..<4 {
                bytes[field + byte] = UInt8(truncatingIfNeeded: stringRva >> (8 * UInt32(byte)))
            }
        }
        let dump = try Minidump(bytes: bytes)
        let modules = try dump.modules()
        #expect(modules.count == 300)
        let named = modules.filter { !$0.name.isEmpty }.count
        #expect(named == Minidump.maximumDecodedBytesPerStream / (64_000 + 4))
        #expect(named < 300)
        #expect(
            dump.warnings.contains {
                $0.contains("MiB of names and records; the rest are not read")
            })
    }

    @Test func linuxStreams() throws {
        var builder = Fixtures.amd64()
        var auxv = ByteWriter()
        for (type, value) in [(UInt64(6), UInt64(4096)), (33, 0x7fff_0000), (0, 0)] {
            auxv.u64(type)
            auxv.u64(value)
        }
        builder.rawStreams = [
            (
                .linuxMaps,
                Array(
                    "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/app\n7fff0000-7fff1000 rw-p 00000000 00:00 0 \n"
                        .utf8)
            ),
            (.linuxAuxv, auxv.bytes),
            (.linuxCmdLine, Array("/usr/bin/app\u{0}--flag\u{0}".utf8)),
            (
                .linuxLsbRelease,
                Array("DISTRIB_ID=Ubuntu\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04\"\n".utf8)
            ),
        ]
        let dump = try Minidump(bytes: builder.build())
        let maps = try dump.linuxMaps()
        #expect(maps.count == 2)
        #expect(
            maps[0].start == 0x40_0000 && maps[0].end == 0x45_2000 && maps[0].permissions == "r-xp")
        #expect(maps[0].inode == 173_521 && maps[0].pathname == "/usr/bin/app")
        #expect(maps[1].pathname == "")
        #expect(try dump.linuxAuxv().map(\.type) == [6, 33])
        #expect(try dump.linuxCommandLine() == ["/usr/bin/app", "--flag"])
        let release = try dump.linuxKeyValues(.linuxLsbRelease)
        #expect(release.map(\.key) == ["DISTRIB_ID", "DISTRIB_DESCRIPTION"])
        #expect(release.last?.value == "Ubuntu 22.04")
    }

    @Test func macCrashInfo() throws {
        let strings = ["/usr/lib/libsystem.dylib", "abort() called", "", "bt", "second"]
        let tail: [UInt8] = strings.flatMap { (text: String) -> [UInt8] in Array(text.utf8) + [0] }
        let header = 12 + 20 * 8
        let length = header + 40 + tail.count
        let dump = try Self.build(Fixtures.amd64(), type: .mozMacosCrashInfo, length: length) {
            rva in
            var w = ByteWriter()
            w.u32(MINIDUMP_STREAM_TYPE.mozMacosCrashInfo.rawValue)
            w.u32(1)
            w.u32(40)
            w.u32(UInt32(40 + tail.count))
            w.u32(UInt32(rva + header))
            w.zeros(19 * 8)
            let fields: [UInt64] = [0x4d7a_0001, 5, 0x1234, 0, 0x99]
            for value in fields { w.u64(value) }
            w.append(tail)
            return w.bytes
        }
        let records = try dump.macCrashInfo()
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.version == 5)
        #expect(record.thread == 0x1234)
        #expect(record.abortCause == 0x99)
        #expect(
            [
                record.modulePath, record.message, record.signatureString, record.backtrace,
                record.message2,
            ]
                == strings)
    }

    /// A ThreadExList (64-byte entries with an IA-64 backing store) is used when the dump has
    /// no ThreadList.
    @Test func threadExList() throws {
        var builder = Fixtures.x86()
        builder.rawStreams = [(.threadExList, Array(repeating: 0, count: 4 + 64))]
        let probe = try Minidump(bytes: builder.build())
        let thread = try #require(try probe.threads().first)
        var w = ByteWriter()
        w.u32(1)
        w.u32(thread.threadId)
        w.u32(0)
        w.u32(0x20)
        w.u32(0)
        w.u64(thread.teb)
        w.u64(thread.stack.startOfMemoryRange)
        w.u32(thread.stack.memory.dataSize)
        w.u32(thread.stack.memory.rva)
        w.u32(thread.threadContext.dataSize)
        w.u32(thread.threadContext.rva)
        w.u64(0x7000_0000)  // backing store start
        w.u32(0)
        w.u32(0)
        builder.rawStreams = [(.threadExList, w.bytes)]
        var bytes = builder.build()
        // Turn the ThreadList entry into an unused one so only the ThreadExList remains.
        let list = try #require(probe.directory.firstIndex { $0.streamType == .threadList })
        for index in 0..<4 { bytes[32 + list * 12 + index] = 0 }
        let dump = try Minidump(bytes: bytes)
        #expect(!dump.hasStream(.threadList))
        let threads = try dump.threads()
        #expect(threads.map(\.threadId) == [thread.threadId])
        #expect(threads.first?.backingStore?.startOfMemoryRange == 0x7000_0000)
        #expect(try dump.context(of: threads[0]).instructionPointer == 0x90a6cd)
    }

    /// UNWIND_INFO is read from the dump's memory: header, codes rounded to an even count, and
    /// the handler RVA when a handler flag is set.
    @Test func unwindInfoFromMemory() throws {
        var builder = Fixtures.amd64()
        let base: UInt64 = 0x1_4000_0000
        let plain: [UInt8] = [0x01, 0x04, 0x01, 0x00, 0x04, 0x42]  // 1 code → padded to 2
        let handler: [UInt8] = [
            0x09, 0x08, 0x02, 0x00, 0x08, 0x72, 0x04, 0x52, 0x78, 0x56, 0x34, 0x12,
        ]
        builder.memory.append((base + 0x2000, plain + [0, 0] + Array(repeating: 0xee, count: 8)))
        builder.memory.append((base + 0x3000, handler + Array(repeating: 0xee, count: 8)))
        let dump = try Minidump(bytes: builder.build())
        let first = RUNTIME_FUNCTION(beginAddress: 0x1000, endAddress: 0x1100, unwindData: 0x2000)
        let second = RUNTIME_FUNCTION(beginAddress: 0x1100, endAddress: 0x1200, unwindData: 0x3000)
        #expect(dump.unwindInfo(for: first, imageBase: base) == plain + [0, 0])
        #expect(dump.unwindInfo(for: second, imageBase: base) == handler)
        let missing = RUNTIME_FUNCTION(beginAddress: 0, endAddress: 1, unwindData: 0x9000)
        #expect(dump.unwindInfo(for: missing, imageBase: base) == nil)
    }
}
