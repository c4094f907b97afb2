import Foundation
import PEFormat
import Testing

@testable import Emulation

/// The PE loader: imports by name and ordinal, forwarders (chains and loops), relocation, TLS,
/// circular imports, unimplemented imports, and hostile images.
@Suite struct LoaderTests {
    static func importsProgram() throws -> String {
        _ = try GuestBuild.dll("lib", base: 0x1_8000_0000)
        _ = try GuestBuild.dll("twin", base: 0x1_8000_0000)
        _ = try GuestBuild.dll("fwd", libraries: ["lib.lib"])
        _ = try GuestBuild.importLibrary("missing")
        return try GuestBuild.program(
            "imports", libraries: ["lib.lib", "twin.lib", "fwd.lib", "missing.lib"])
    }

    @Test func importsResolveAndUnimplementedOnesStop() throws {
        let launched = try Launched.start(try Self.importsProgram())
        var loaded: [String] = []
        var event = launched.process.run()
        while case .processCreated = event.kind { event = launched.process.run() }
        while case .moduleLoaded(let module) = event.kind {
            loaded.append(module.name)
            event = launched.process.run()
        }
        #expect(Set(loaded) == ["lib.dll", "twin.dll", "fwd.dll"])
        #expect(launched.process.missingDLLs == ["missing.dll"])
        guard case .unimplementedImport(let module, let function) = event.kind else {
            Issue.record("expected the stop at missing.dll!Nothing, got \(event)")
            return
        }
        #expect(module.lowercased() == "missing.dll")
        #expect(function == "Nothing")
        let rip = try #require(launched.process.context(ofThread: event.threadID)?.rip)
        #expect(launched.process.stubName(at: rip) == "\(module)!Nothing")
        #expect(launched.process.run().kind == .processExited(exitCode: 0))
        let lines = launched.console.text.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.hasPrefix("ok") }, "\(lines)")
        // lib.dll took the preferred base; twin.dll had to move.
        let modules = launched.process.modules
        let lib = try #require(modules.first { $0.name == "lib.dll" })
        let twin = try #require(modules.first { $0.name == "twin.dll" })
        #expect(lib.base == 0x1_8000_0000)
        #expect(twin.base != 0x1_8000_0000)
        #expect(twin.preferredBase == 0x1_8000_0000)
    }

    @Test func loaderListsAreWrittenInTheThreeOrders() throws {
        let launched = try Launched.start(try Self.importsProgram())
        let process = launched.process
        func u64(_ address: UInt64) -> UInt64 {
            process.readMemory(at: address, count: 8).withUnsafeBytes {
                $0.loadUnaligned(as: UInt64.self)
            }
        }
        func names(listAt offset: UInt64, linkOffset: UInt64) -> [String] {
            let ldr = u64(process.pebAddress + 0x18)
            let head = ldr + offset
            var result: [String] = []
            var link = u64(head)
            while link != head, result.count < 20 {
                let entry = link - linkOffset
                let length = Int(
                    process.readMemory(at: entry + 0x58, count: 2).withUnsafeBytes {
                        $0.loadUnaligned(as: UInt16.self)
                    })
                let buffer = u64(entry + 0x60)
                let bytes = process.readMemory(at: buffer, count: length)
                let units = stride(from: 0, to: bytes.count, by: 2).map {
                    UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
                }
                result.append(String(decoding: units, as: UTF16.self))
                link = u64(link)
            }
            return result
        }
        let load = names(listAt: 0x10, linkOffset: 0)
        let memory = names(listAt: 0x20, linkOffset: 0x10)
        let initialization = names(listAt: 0x30, linkOffset: 0x20)
        #expect(load.first == "imports.exe")
        #expect(load == process.modules.map(\.name))
        #expect(Set(memory) == Set(load))
        #expect(!initialization.contains("imports.exe"))
        // Dependencies initialise first: lib before fwd, which forwards to it.
        let libIndex = try #require(initialization.firstIndex(of: "lib.dll"))
        let fwdIndex = try #require(initialization.firstIndex(of: "fwd.dll"))
        #expect(libIndex < fwdIndex)
    }

    @Test func staticTLSGivesEachThreadItsCopy() throws {
        let launched = try Launched.start(try GuestBuild.program("tls"))
        launched.runToExit()
        #expect(launched.console.text == "ok main copy\nok zero fill\n")
        #expect(launched.process.exitCode == 42)
        let threads = launched.process.threads
        #expect(threads.count == 2)
        #expect(threads.last?.exitCode == 51)
        #expect(launched.process.modules.first?.tlsIndex == 0)
    }

    @Test func circularImportsLoad() throws {
        _ = try GuestBuild.importLibrary("circb")
        _ = try GuestBuild.dll("circa", libraries: ["circb.lib"])
        _ = try GuestBuild.dll("circb", libraries: ["circa.lib"])
        let launched = try Launched.start(
            try GuestBuild.program("circular", libraries: ["circa.lib"]))
        launched.runToExit()
        #expect(launched.process.exitCode == 6)
    }

    @Test func forwarderLoopsAreAClearError() throws {
        _ = try GuestBuild.dll("fwdloop")
        let path = try GuestBuild.program("loopuser", libraries: ["fwdloop.lib"])
        #expect {
            try EmulatedProcess(program: path)
        } throws: { error in
            guard let error = error as? EmulationError, case .image(_, let reason) = error else {
                return false
            }
            return reason.contains("forwarded exports loop")
        }
    }

    // MARK: Hostile images

    static func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        for index in 0..<4 {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
    }

    /// Writes `bytes` as a program next to the built ones and tries to load it.
    static func load(_ bytes: [UInt8], name: String) -> EmulationError? {
        let path = GuestBuild.output + "/" + name + ".exe"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try EmulationProcessProbe.make(path)
            return nil
        } catch {
            return error
        }
    }

    @Test func hostileImagesGiveOneClearError() throws {
        let original = [UInt8](
            try Data(contentsOf: URL(fileURLWithPath: try GuestBuild.program("hello"))))
        let image = try PEImage(source: ArrayByteSource(original), layout: .file)
        let lfanew = Int(image.ntHeaderOffset)
        let optional = lfanew + 24
        let sectionTable = optional + Int(image.fileHeader.sizeOfOptionalHeader)
        var cases: [(String, [UInt8], String)] = []

        var bytes = original
        Self.put32(&bytes, sectionTable + 20, 0x7FFF_0000)  // first section's raw data far away
        cases.append(("past-file", bytes, "past the end of the file"))

        bytes = original
        Self.put32(&bytes, optional + 56, 0xF000_0000)  // SizeOfImage
        cases.append(("huge", bytes, "SizeOfImage"))

        bytes = original
        // The second section starts inside the first.
        if image.sections.count >= 2 {
            Self.put32(&bytes, sectionTable + 40 + 12, image.sections[0].virtualAddress)
            cases.append(("overlap", bytes, "overlap"))
        }

        bytes = original
        bytes[lfanew + 4] = 0x4C
        bytes[lfanew + 5] = 0x01  // i386
        cases.append(("machine", bytes, "not x64"))

        bytes = Array(original.prefix(0x180))
        cases.append(("truncated", bytes, ""))

        bytes = original
        Self.put32(&bytes, optional + 32, 0x200)  // section alignment below a page
        cases.append(("alignment", bytes, "alignment"))

        for (name, corrupt, expected) in cases {
            let error = Self.load(corrupt, name: "hostile-" + name)
            guard case .image(_, let reason) = error else {
                Issue.record("\(name): expected an image error, got \(String(describing: error))")
                continue
            }
            #expect(expected.isEmpty || reason.contains(expected), "\(name): \(reason)")
        }
    }

    @Test func relocationsOutOfRangeAreRefused() throws {
        _ = try Self.importsProgram()
        let twinPath = GuestBuild.output + "/twin.dll"
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: twinPath)))
        let image = try PEImage(source: ArrayByteSource(original), layout: .file)
        let directory = try #require(image.dataDirectory(.baseRelocation))
        let section = try #require(image.section(containing: directory.virtualAddress))
        let offset = Int(
            section.pointerToRawData + directory.virtualAddress - section.virtualAddress)
        var bytes = original
        // The block's page lies past the image.
        Self.put32(&bytes, offset, image.sizeOfImage + 0x1000)
        // A folder of its own: lib.dll takes the base, the corrupt twin must move.
        let folder = GuestBuild.output + "/hostile-relocation"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in ["lib.dll", "fwd.dll", "imports.exe"] {
            try? FileManager.default.removeItem(atPath: folder + "/" + file)
            try FileManager.default.copyItem(
                atPath: GuestBuild.output + "/" + file, toPath: folder + "/" + file)
        }
        _ = FileManager.default.createFile(atPath: folder + "/twin.dll", contents: Data(bytes))
        #expect {
            try EmulatedProcess(program: folder + "/imports.exe")
        } throws: { error in
            guard let error = error as? EmulationError, case .image(let path, let reason) = error
            else {
                return false
            }
            return path.hasSuffix("twin.dll") && reason.contains("outside the image")
        }
    }
}

/// Loads a program and drops it.
enum EmulationProcessProbe {
    static func make(_ path: String) throws(EmulationError) -> EmulatedProcess {
        try EmulatedProcess(program: path)
    }
}
