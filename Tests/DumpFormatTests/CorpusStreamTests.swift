import DumpFormat
import Foundation
import TestSupport
import Testing

/// Streams the oracles do not cover, checked against the oracles where they can say something
/// (process ids, thread ids) and otherwise against the file's own bytes.
@Suite("Corpus streams", .requires(.corpus))
struct CorpusStreamTests {
    static let minidumps = Oracle.dumpNames.filter {
        Oracle(dumpName: $0)?.magic.hasPrefix("MDMP") == true
    }
    .filter { !$0.hasPrefix("malformed-") }

    static func fileBytes(_ name: String) throws -> [UInt8] {
        try #require(FileManager.default.contents(atPath: Corpus.dump(name))).map { $0 }
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(
            bytes[at + 3]) << 24
    }

    /// lldb's "Process N stopped" comes from MiscInfo on Windows/macOS and from
    /// /proc/PID/status on Linux; the reader must find the same id.
    @Test("process id agrees with lldb", arguments: minidumps)
    func processId(name: String) throws {
        let oracle = try #require(Oracle(dumpName: name))
        guard let lldb = oracle.lldb, lldb.loaded,
            let line = lldb.text.split(separator: "\n").first(where: { $0.hasPrefix("Process ") }),
            let pid = UInt64(line.split(separator: " ")[1])
        else { return }
        let dump = try Minidump(path: Corpus.dump(name))
        if let status = try? dump.linuxKeyValues(.linuxProcStatus) {
            #expect(status.first { $0.key == "Pid" }.flatMap { UInt64($0.value) } == pid)
        } else {
            #expect(try dump.miscInfo().processId.map(UInt64.init) == pid)
        }
    }

    /// Breakpad's info stream names the thread that asked for the dump: the one that crashed.
    @Test("Breakpad info names the exception thread", arguments: minidumps)
    func breakpadInfo(name: String) throws {
        let dump = try Minidump(path: Corpus.dump(name))
        guard dump.hasStream(.breakpadInfo),
            let requesting = try dump.breakpadInfo().requestingThread,
            let expected = Oracle(dumpName: name)?.pythonList("exception")?.first
        else { return }
        #expect(UInt64(requesting) == oracleNumber(expected["thread_id"]))
    }

    @Test("assertion strings decode like Foundation's UTF-16", arguments: minidumps)
    func assertionInfo(name: String) throws {
        let dump = try Minidump(path: Corpus.dump(name))
        guard dump.hasStream(.assertionInfo) else { return }
        let raw = try dump.rawStream(.assertionInfo)
        func field(_ index: Int) -> String {
            let data = Data(raw[(index * 256)..<(index * 256 + 256)])
            let text = String(data: data, encoding: .utf16LittleEndian) ?? ""
            return String(text.prefix { $0 != "\0" })
        }
        let info = try dump.assertionInfo()
        #expect(info.expression == field(0))
        #expect(info.function == field(1))
        #expect(info.file == field(2))
        #expect(info.line == Self.u32(raw, 768))
        #expect(info.type == Self.u32(raw, 772))
    }

    /// The CET/XSAVE dump's thread contexts are 1147 bytes: a 716-byte CONTEXT, a CONTEXT_EX
    /// and a compacted XSAVE area with AVX and CET_U state.
    @Test func extendedX86Contexts() throws {
        let name = "win-x86-win11-cet-xsave-noexception.dmp"
        let dump = try Minidump(path: Corpus.dump(name))
        let file = try Self.fileBytes(name)
        let enabled = try #require(try dump.miscInfo().xStateData).enabledFeatures
        for thread in try dump.threads() {
            let context = try dump.context(of: thread)
            #expect(context.architecture == .x86)
            #expect(context.rawBytes.count == Int(thread.threadContext.dataSize))
            #expect(context.contextFlags & 0x40 != 0, "CONTEXT_XSTATE")
            let xstate = try #require(context.xstate)
            let chunk = Int(thread.threadContext.rva) + 716
            let offset = Int(Int32(bitPattern: Self.u32(file, chunk + 16)))
            let length = Int(Self.u32(file, chunk + 20))
            #expect(xstate.bytes == Array(file[(chunk + offset)..<(chunk + offset + length)]))
            #expect(xstate.compactionMask & (1 << 63) != 0)
            #expect(context.register(named: "ssp") != nil)
            #expect(context.register(named: "ymm7h") != nil)
            // Only features MiscInfo says are enabled can be stored.
            #expect((xstate.compactionMask & ~(1 << 63)) & ~enabled & ~(1 << 11) == 0)
            #expect(
                context.instructionPointer
                    == UInt64(Self.u32(file, Int(thread.threadContext.rva) + 184)))
        }
    }

    @Test func functionTableFillsItsStream() throws {
        let name = "win-x64-win10-electron-functiontable.dmp"
        let dump = try Minidump(path: Corpus.dump(name))
        let tables = try dump.functionTables()
        let stream = try #require(dump.streams(.functionTable).first)
        var size = Int(tables.header.sizeOfHeader) + Int(tables.header.sizeOfAlignPad)
        for table in tables.descriptors {
            size +=
                Int(tables.header.sizeOfDescriptor) + table.nativeDescriptor.count
                + table.rawEntries.count
            size += Int(table.sizeOfAlignPad)
            #expect(table.runtimeFunctions.count == Int(table.entryCount))
            for function in table.runtimeFunctions {
                #expect(function.beginAddress <= function.endAddress)
                #expect(table.baseAddress + UInt64(function.endAddress) <= table.maximumAddress)
            }
        }
        #expect(tables.descriptors.count == Int(tables.header.numberOfDescriptors))
        #expect(size == Int(stream.location.dataSize))
    }

    @Test("token lists add up to their declared size", arguments: minidumps)
    func tokens(name: String) throws {
        let dump = try Minidump(path: Corpus.dump(name))
        guard dump.hasStream(.token) else { return }
        let raw = try dump.rawStream(.token)
        let tokens = try dump.tokens()
        #expect(tokens.count == Int(Self.u32(raw, 4)))
        let total = Int(Self.u32(raw, 8)) + tokens.reduce(0) { $0 + Int($1.tokenSize) }
        #expect(total == Int(Self.u32(raw, 0)))
    }

    @Test("Linux streams parse every line", arguments: minidumps)
    func linuxStreams(name: String) throws {
        let dump = try Minidump(path: Corpus.dump(name))
        guard dump.hasStream(.linuxMaps) else { return }
        let text = try dump.linuxText(.linuxMaps)
        let maps = try dump.linuxMaps()
        #expect(maps.count == text.split(separator: "\n").count)
        #expect(maps.allSatisfy { $0.start < $0.end })
        // Every module of a Linux dump is a file mapping.
        for module in try dump.modules() where module.name.hasPrefix("/") {
            #expect(
                maps.contains { $0.start == module.baseAddress && $0.pathname == module.name },
                "\(module.name)")
        }
        let auxv = try dump.linuxAuxv()
        #expect(auxv.count * 16 <= dump.streams(.linuxAuxv)[0].location.dataSize)
        #expect(auxv.contains { $0.type == 6 }, "AT_PAGESZ")
        let commandLine = try dump.linuxCommandLine()
        #expect(
            commandLine
                == (try dump.rawStream(.linuxCmdLine)).split(separator: 0).map {
                    String(decoding: $0, as: UTF8.self)
                })
        let debug = try dump.linuxDsoDebug()
        #expect(debug.linkMaps.count == Int(debug.dsoCount))
        #expect(try !dump.linuxKeyValues(.linuxCpuInfo).isEmpty)
        #expect(try !dump.linuxEnvironment().isEmpty)
    }

    @Test("Crashpad annotations are strings from the file", arguments: minidumps)
    func crashpad(name: String) throws {
        let dump = try Minidump(path: Corpus.dump(name))
        guard dump.hasStream(.crashpadInfo) else { return }
        let info = try dump.crashpadInfo()
        let file = Data(try Self.fileBytes(name))
        let moduleCount = try dump.modules().count
        var strings = info.simpleAnnotations.flatMap { [$0.key, $0.value] }
        for module in info.moduleList {
            #expect(Int(module.moduleIndex) < moduleCount)
            strings +=
                module.listAnnotations + module.simpleAnnotations.flatMap { [$0.key, $0.value] }
            strings += module.annotationObjects.map(\.name)
        }
        for string in strings where !string.isEmpty {
            #expect(file.range(of: Data(string.utf8)) != nil, "\(string)")
        }
        #expect(dump.warnings.isEmpty)
    }

    @Test("every corpus minidump reads without errors or warnings", arguments: minidumps)
    func cleanRead(name: String) throws {
        let dump = try Minidump(path: Corpus.dump(name))
        #expect(dump.checkAllStreams() == [])
        #expect(dump.warnings == [])
    }
}
