import DumpFormat
import Foundation
import TestSupport
import Testing

/// A WOW64 process as 64-bit Windows records it, written by `xcdb-example wow64` from corpus
/// dumps of 32-bit processes, read back by xcdb in both modes and by the `minidump` Python
/// package. Documented forms: `.effmach` (-effmach--effective-machine-.md), the `0:000:x86>`
/// prompt (x--examine-symbols-.md), `$ntnsym`/`$ntwsym`/`$ntsym` (using-aliases.md),
/// `!wow64exts.sw` ("Debugging WOW64", learn.microsoft.com winprog64). Recollections, not
/// documented: the 32-bit `ntdll` is named `ntdll_<base>` (the second one loaded), and the
/// words `!wow64exts.sw` prints.
@Suite struct Wow64DumpTests {
    /// The 32-bit source with an exception (it opens in x86 mode) and one without (native).
    static let crashSource = "win-x86-win7-null-read-av.dmp"
    static let quietSource = "win-x86-win11-cet-xsave-noexception.dmp"

    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-wow64-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// `xcdb-example wow64 SOURCE OUT` run as a user runs it; the written dump's path.
    static func wow64Dump(from source: String) throws -> String {
        let out = folder.appendingPathComponent(source).path
        if FileManager.default.fileExists(atPath: out) { return out }
        let made = try runProcess(
            Products.path("xcdb-example"), ["wow64", Corpus.dump(source), out])
        try #require(made.status == 0, "\(made.stderr)")
        return out
    }

    static func session(_ source: String) throws -> DumpSession {
        DumpSession(path: try wow64Dump(from: source), symbolPath: nil)
    }

    /// The base of the source's `ntdll` (it becomes `ntdll_<base>` beside the 64-bit one).
    static func ntdllBase(in original: DumpSession) throws -> String {
        let line = try #require(original.run("lm m ntdll").dropFirst().first)
        return String(try #require(line.split(separator: " ").first))
    }

    @Test func anExceptionIn32BitCodeOpensInX86Mode() throws {
        let original = DumpSession(Self.crashSource, symbols: false)
        let wow64 = try Self.session(Self.crashSource)
        let base = try Self.ntdllBase(in: original)
        #expect(wow64.session.prompt == "0:000:x86> ")
        #expect(wow64.run(".effmach") == ["Effective machine: x86 compatible (x86)"])
        // The x86 view is the 32-bit process the source recorded: same registers, same stack.
        func renamed(_ lines: [String]) -> [String] {
            lines.map { $0.replacingOccurrences(of: "ntdll+", with: "ntdll_\(base)+") }
        }
        #expect(wow64.run("r") == renamed(original.run("r")))
        let stack = wow64.run("k")
        #expect(stack.count > 4)
        #expect(stack == renamed(original.run("k")))
        #expect(wow64.run(".ecxr; kb 3") == renamed(original.run(".ecxr; kb 3")))
        #expect(wow64.run("dd @esp L8") == original.run("dd @esp L8"))
        // The 32-bit TEB: what `fs:` reaches.
        #expect(wow64.run("~").first?.hasSuffix("Teb: 7efdd000 Unfrozen") == true)
        #expect(wow64.run("!teb").first == "TEB at 7efdd000")
    }

    @Test func nativeModeShowsThe64BitThread() throws {
        let wow64 = try Self.session(Self.crashSource)
        #expect(wow64.run(".effmach .") == ["Effective machine: x64 (AMD64)"])
        #expect(wow64.session.prompt == "0:000> ")
        let registers = wow64.run("r")
        #expect(registers.first?.hasPrefix("rax=") == true)
        #expect(registers.contains { $0.hasPrefix("wow64cpu+0x") })
        // The 64-bit TEB sits 0x2000 below the 32-bit one and leads to it.
        #expect(wow64.run("~").first?.hasSuffix("Teb: 00000000`7efdb000 Unfrozen") == true)
        #expect(wow64.run("dq 7efdb000 L1") == ["00000000`7efdb000  00000000`7efdd000"])
        let frames = wow64.run("k")
        #expect(frames.dropFirst().first?.hasSuffix("wow64cpu+0x2dd9") == true)
        // `.effmach #` returns to the mode of the last event: x86.
        #expect(wow64.run(".effmach #") == ["Effective machine: x86 compatible (x86)"])
        #expect(wow64.session.prompt == "0:000:x86> ")
        // `.ecxr` from native mode shows the x86 exception context in x86 mode.
        #expect(wow64.run(".effmach amd64") == ["Effective machine: x64 (AMD64)"])
        let context = wow64.run(".ecxr")
        #expect(context.first?.hasPrefix("eax=") == true)
        #expect(wow64.session.prompt == "0:000:x86> ")
    }

    /// `!analyze` looks at the exception where it happened: in native mode it still analyses
    /// the x86 context, and the mode shown stays native.
    @Test func analyzeUsesTheModeOfTheException() throws {
        let wow64 = try Self.session(Self.crashSource)
        // The first run also says which modules have no symbols.
        let inX86 = wow64.run("!analyze -v").filter { !$0.hasPrefix("*** ERROR") }
        #expect(inX86.contains { $0.hasSuffix("mov     eax,dword ptr [eax]") })
        _ = wow64.run(".effmach .")
        #expect(wow64.run("!analyze -v") == inX86)
        #expect(wow64.session.prompt == "0:000> ")
        #expect(wow64.run("r").first?.hasPrefix("rax=") == true)
    }

    @Test func switchingWithTheExtension() throws {
        let wow64 = try Self.session(Self.crashSource)
        #expect(wow64.run("!wow64exts.sw") == ["Switched to Host mode"])
        #expect(wow64.session.prompt == "0:000> ")
        #expect(wow64.run("!sw") == ["Switched to Guest (WoW) mode"])
        #expect(wow64.session.prompt == "0:000:x86> ")
        #expect(wow64.run(".effmach arm").first?.contains("not a mode of this target") == true)
        #expect(wow64.run(".effmach ebc").first?.contains("not a mode of this target") == true)
        #expect(wow64.session.prompt == "0:000:x86> ")
    }

    @Test func aDumpWithoutAnExceptionOpensNative() throws {
        let original = DumpSession(Self.quietSource, symbols: false)
        let wow64 = try Self.session(Self.quietSource)
        let base = try Self.ntdllBase(in: original)
        #expect(wow64.session.prompt == "0:000> ")
        // The 64-bit ntdll was loaded first and keeps the plain name.
        let modules = wow64.run("lmf")
        #expect(
            modules.contains {
                $0.hasSuffix("ntdll_\(base) C:\\Windows\\SysWOW64\\ntdll.dll")
            })
        #expect(modules.contains { $0.hasSuffix("ntdll      C:\\Windows\\System32\\ntdll.dll") })
        #expect(modules.contains { $0.contains("   wow64      ") })
        #expect(wow64.run(".echo ${$ntnsym} ${$ntwsym} ${$ntsym}") == ["ntdll ntdll_\(base) ntdll"])
        #expect(wow64.run("!sw") == ["Switched to Guest (WoW) mode"])
        #expect(wow64.run(".echo ${$ntsym}") == ["ntdll_\(base)"])
        // From Windows 8 on the 64-bit ntdll loads above 4 GB: x86 mode lists it in full
        // rather than cut to 32 bits; the 32-bit modules keep the x86 width.
        let listed = wow64.run("lm")
        #expect(listed.first == "start    end        module name")
        #expect(listed.contains { $0.hasPrefix("00007ff") && $0.contains("   ntdll      ") })
        #expect(listed.contains { $0.hasPrefix("\(base) ") && $0.contains("ntdll_\(base)") })
        #expect(
            wow64.run("~2r")
                == original.run("~2r").map {
                    $0.replacingOccurrences(of: "ntdll+", with: "ntdll_\(base)+")
                })
    }

    @Test func otherTargetsHaveNoX86Mode() throws {
        let x64 = DumpSession("win-x64-win10-fastfail.dmp", symbols: false)
        #expect(x64.run(".effmach x86").first?.contains("not a mode of this target") == true)
        #expect(x64.run("!wow64exts.sw").first?.contains("not a WOW64 process") == true)
        #expect(x64.run(".echo ${$ntwsym}") == ["${$ntwsym}"])
        #expect(x64.session.prompt == "0:000> ")
        let x86 = DumpSession(Self.crashSource, symbols: false)
        #expect(x86.run(".effmach x86") == ["Effective machine: x86 compatible (x86)"])
        #expect(x86.session.prompt == "0:000> ")
    }

    @Test func theWriterRefusesWhatItCannotRewrap() throws {
        let out = Self.folder.appendingPathComponent("refused.dmp").path
        let x64 = try runProcess(
            Products.path("xcdb-example"),
            ["wow64", Corpus.dump("win-x64-win10-fastfail.dmp"), out])
        #expect(x64.status != 0)
        #expect(x64.stderr.contains("must be a 32-bit Windows (x86) dump"))
        let missing = try runProcess(Products.path("xcdb-example"), ["wow64", "/nonexistent", out])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read /nonexistent"))
    }

    /// An independent reader finds the WOW64 structures where Windows keeps them: the 64-bit
    /// TEB's TLS slot 1 leads to the x86 context, `WowTebOffset` to the 32-bit TEB.
    @Test(.requires(.pythonMinidump)) func pythonReadsTheLayout() throws {
        let path = try Self.wow64Dump(from: Self.crashSource)
        let script = """
            import json, struct, sys
            from minidump.minidumpfile import MinidumpFile
            mf = MinidumpFile.parse(sys.argv[1])
            reader = mf.get_reader()
            threads = []
            for t in mf.threads.threads:
                teb = t.Teb
                area = struct.unpack('<Q', reader.read(teb + 0x1480 + 8, 8))[0]
                machine = struct.unpack('<H', reader.read(area + 2, 2))[0]
                eip = struct.unpack('<I', reader.read(area + 4 + 0xB8, 4))[0]
                esp = struct.unpack('<I', reader.read(area + 4 + 0xC4, 4))[0]
                offset = struct.unpack('<i', reader.read(teb + 0x180C, 4))[0]
                threads.append({"teb": teb, "machine": machine, "eip": eip, "esp": esp,
                                "offset": offset})
            print(json.dumps({"arch": mf.sysinfo.ProcessorArchitecture.value,
                              "modules": [m.name for m in mf.modules.modules],
                              "threads": threads}))
            """
        let output = try #require(
            ExternalTools.run("/usr/bin/env", ["python3", "-c", script, path]))
        try #require(output.status == 0, "python failed: \(output.text)")
        let line = try #require(output.text.split(separator: "\n").last)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(oracleNumber(json["arch"]) == 9)  // PROCESSOR_ARCHITECTURE_AMD64
        let modules = try #require(json["modules"] as? [String])
        #expect(modules.contains("C:\\Windows\\System32\\wow64.dll"))
        #expect(modules.contains("C:\\Windows\\System32\\ntdll.dll"))
        #expect(modules.contains("C:\\Windows\\SysWOW64\\ntdll.dll"))
        let threads = try #require(json["threads"] as? [[String: Any]])
        // The x86 contexts are the source's thread contexts.
        let source = try Minidump(path: Corpus.dump(Self.crashSource))
        let sourceThreads = try source.threads()
        try #require(threads.count == sourceThreads.count)
        for (thread, original) in zip(threads, sourceThreads) {
            let context = try source.context(of: original)
            #expect(oracleNumber(thread["machine"]) == 0x14C)
            #expect(oracleNumber(thread["eip"]) == context.register(named: "eip")?.value64)
            #expect(oracleNumber(thread["esp"]) == context.register(named: "esp")?.value64)
            #expect(oracleNumber(thread["offset"]) == 0x2000)
            #expect(oracleNumber(thread["teb"]).map { $0 + 0x2000 } == original.teb)
        }
    }

    /// A dump that claims WOW64 but whose structures lie: TEBs at the top of the address
    /// space, a TLS slot leading nowhere, a CPU area for another machine. x86 mode has no
    /// registers for those threads; nothing crashes.
    @Test func lyingWow64StructuresGiveNoRegisters() throws {
        var builder = MinidumpBuilder()
        var system = MINIDUMP_SYSTEM_INFO()
        system.processorArchitecture = .amd64
        system.platformId = .win32NT
        system.majorVersion = 10
        builder.systemInfo = system
        builder.modules = [
            MinidumpBuilder.Module(
                name: "C:\\Windows\\System32\\wow64.dll", baseOfImage: 0x7FF0_0000,
                sizeOfImage: 0x1000)
        ]
        let context = CPUContext.encode(architecture: .amd64, registers: ["rip": 0x7FF0_0010])
        var top = MinidumpBuilder.Thread(threadId: 1, context: context)
        top.teb = UInt64.max - 8
        var nowhere = MinidumpBuilder.Thread(threadId: 2, context: context)
        nowhere.teb = 0x10000
        var arm = MinidumpBuilder.Thread(threadId: 3, context: context)
        arm.teb = 0x20000
        builder.threads = [top, nowhere, arm]
        var teb = [UInt8](repeating: 0, count: 0x2000)
        teb[0x1488] = 0x00
        teb[0x1489] = 0x00
        teb[0x148A] = 0x05  // TlsSlots[1] = 0x50000: not in the dump
        var armTeb = [UInt8](repeating: 0, count: 0x2000)
        armTeb[0x148A] = 0x03  // TlsSlots[1] = 0x30000: a CPU area for ARM
        armTeb[0x180C] = 0xFF  // WowTebOffset = -1 + ...: leads anywhere
        armTeb[0x180F] = 0x80
        var area = [UInt8](repeating: 0, count: 0x400)
        area[2] = 0xC4  // IMAGE_FILE_MACHINE_ARMNT
        area[3] = 0x01
        builder.memory = [(0x10000, teb), (0x20000, armTeb), (0x30000, area)]
        let path = Self.folder.appendingPathComponent("lying.dmp").path
        try builder.write(to: path)
        let dump = DumpSession(path: path, symbolPath: nil)
        try #require(dump.isOpen)
        #expect(dump.session.prompt == "0:000> ")
        #expect(dump.run(".effmach x86") == ["Effective machine: x86 compatible (x86)"])
        for thread in 0..<3 {
            #expect(!dump.run("~\(thread)s").isEmpty)
            #expect(dump.run("r").first?.contains("not available") == true)
            _ = dump.run("k")
            _ = dump.run("!teb")
            _ = dump.run("!peb")
        }
        _ = dump.run("~")
        _ = dump.run("!analyze -v")
        #expect(dump.run("!sw") == ["Switched to Host mode"])
    }
}
