import DumpFormat
import Foundation
import TestSupport
import Testing

/// Other tools read what `MinidumpBuilder` writes: the `minidump` Python package and lldb-19
/// see the same modules, threads and exception as the fixture describes.
@Suite("Builder output read by other tools")
struct ExternalReaderTests {

    static func run(_ executable: String, _ arguments: [String]) -> ExternalTools.Output? {
        ExternalTools.run(executable, arguments)
    }

    private func withDump<R>(_ builder: MinidumpBuilder, _ body: (String) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-builder-\(UUID().uuidString).dmp").path
        try builder.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static let pythonScript = """
        import json, sys
        from minidump.minidumpfile import MinidumpFile
        mf = MinidumpFile.parse(sys.argv[1])
        print(json.dumps({
            "modules": [{"name": m.name, "base": m.baseaddress, "size": m.size,
                         "timestamp": m.timestamp, "checksum": m.checksum} for m in mf.modules.modules],
            "threads": [t.ThreadId for t in mf.threads.threads],
            "exception": [{"thread": e.ThreadId, "code": e.ExceptionRecord.ExceptionCode_raw,
                           "address": e.ExceptionRecord.ExceptionAddress}
                          for e in mf.exception.exception_records],
            "arch": mf.sysinfo.ProcessorArchitecture.value,
            "build": mf.sysinfo.BuildNumber,
        }))
        """

    @Test(
        "the minidump Python package reads builder dumps",
        .requires(.pythonMinidump),
        arguments: ["amd64", "x86"])
    func python(kind: String) throws {
        let builder = kind == "amd64" ? Fixtures.amd64() : Fixtures.x86()
        try withDump(builder) { path in
            let output = try #require(
                Self.run("/usr/bin/env", ["python3", "-c", Self.pythonScript, path]))
            try #require(output.status == 0, "python failed: \(output.text)")
            let line = try #require(output.text.split(separator: "\n").last)
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let modules = try #require(json["modules"] as? [[String: Any]])
            #expect(modules.map { $0["name"] as? String } == builder.modules.map(\.name))
            #expect(modules.map { oracleNumber($0["base"]) } == builder.modules.map(\.baseOfImage))
            #expect(
                modules.map { oracleNumber($0["size"]) }
                    == builder.modules.map { UInt64($0.sizeOfImage) })
            #expect(
                modules.map { oracleNumber($0["timestamp"]) }
                    == builder.modules.map { UInt64($0.timeDateStamp) })
            #expect(
                modules.map { oracleNumber($0["checksum"]) }
                    == builder.modules.map { UInt64($0.checkSum) })
            #expect(
                (json["threads"] as? [Any])?.compactMap(oracleNumber)
                    == builder.threads.map { UInt64($0.threadId) })
            let exception = try #require((json["exception"] as? [[String: Any]])?.first)
            #expect(oracleNumber(exception["thread"]) == UInt64(builder.exceptions[0].threadId))
            #expect(
                oracleNumber(exception["code"])
                    == UInt64(builder.exceptions[0].record.exceptionCode))
            #expect(
                oracleNumber(exception["address"]) == builder.exceptions[0].record.exceptionAddress)
            #expect(
                oracleNumber(json["arch"])
                    == UInt64(builder.systemInfo?.processorArchitecture.rawValue ?? 99))
            #expect(oracleNumber(json["build"]) == UInt64(builder.systemInfo?.buildNumber ?? 0))
        }
    }

    @Test(
        "lldb-19 reads builder dumps",
        .requires(.lldb),
        arguments: ["amd64", "x86"])
    func lldb(kind: String) throws {
        let builder = kind == "amd64" ? Fixtures.amd64() : Fixtures.x86()
        try withDump(builder) { path in
            let output = try #require(
                Self.run(
                    "/usr/bin/env",
                    [
                        "lldb-19", "--batch", "-o", "target create --core \(path)", "-o",
                        "process status",
                        "-o", "image list", "-o", "thread list", "-o", "register read",
                    ]))
            let transcript = LLDBTranscript(output.text)
            try #require(transcript.loaded, "lldb did not load the dump: \(output.text)")
            #expect(transcript.images.map(\.path) == builder.modules.map(\.name))
            #expect(transcript.images.map(\.base) == builder.modules.map(\.baseOfImage))
            let dump = try Minidump(bytes: builder.build())
            for (image, module) in zip(transcript.images, try dump.modules())
            where module.codeView?.pdbFileName != nil {
                if case .pdb70 = module.codeView {
                    #expect(image.uuid == lldbUUID(of: module, elfPlatform: false))
                }
            }
            #expect(Set(transcript.threadIds) == Set(builder.threads.map { UInt64($0.threadId) }))
            #expect(transcript.exceptionCode == UInt64(builder.exceptions[0].record.exceptionCode))
            #expect(transcript.exceptionAddress == builder.exceptions[0].record.exceptionAddress)
            let ip = kind == "amd64" ? "rip" : "eip"
            let expectedIP: UInt128? =
                kind == "amd64" ? Fixtures.amd64Registers["rip"] : Fixtures.x86Registers["eip"]
            let lldbIP: UInt128? = transcript.registers[ip].map { UInt128($0) }
            #expect(lldbIP == expectedIP)
        }
    }
}
