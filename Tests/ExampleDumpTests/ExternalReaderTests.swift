import ExampleDump
import Foundation
import PEFormat
import TestSupport
import Testing

/// Two independent readers, the `minidump` Python package and lldb-19, see in the generated
/// dump the module, thread, registers and exception of the run.
@Suite(.requires(Example.unicorn))
struct ExternalReaderTests {

    static func run(_ executable: String, _ arguments: [String]) -> ExternalTools.Output? {
        ExternalTools.run(executable, arguments)
    }

    static let pythonScript = """
        import json, sys
        from minidump.minidumpfile import MinidumpFile
        mf = MinidumpFile.parse(sys.argv[1])
        reader = mf.get_reader()
        rip = int(sys.argv[2], 16)
        print(json.dumps({
            "modules": [{"name": m.name, "base": m.baseaddress, "size": m.size,
                         "timestamp": m.timestamp, "checksum": m.checksum} for m in mf.modules.modules],
            "threads": [t.ThreadId for t in mf.threads.threads],
            "exception": [{"thread": e.ThreadId, "code": e.ExceptionRecord.ExceptionCode_raw,
                           "address": e.ExceptionRecord.ExceptionAddress,
                           "parameters": e.ExceptionRecord.ExceptionInformation}
                          for e in mf.exception.exception_records],
            "arch": mf.sysinfo.ProcessorArchitecture.value,
            "build": mf.sysinfo.BuildNumber,
            "code": reader.read(rip, 16).hex(),
        }))
        """

    @Test(.requires(.pythonMinidump))
    func python() throws {
        let crash = try Example.crash()
        let image = try Example.image()
        try Example.withDumpFile { path in
            let output = try #require(
                Self.run(
                    "/usr/bin/env",
                    [
                        "python3", "-c", Self.pythonScript, path,
                        String(crash.fault.instructionAddress, radix: 16),
                    ]))
            try #require(output.status == 0, "python failed: \(output.text)")
            let line = try #require(output.text.split(separator: "\n").last)
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let modules = try #require(json["modules"] as? [[String: Any]])
            try #require(modules.count == 1)
            #expect(modules[0]["name"] as? String == crash.process.imagePath)
            #expect(oracleNumber(modules[0]["base"]) == image.imageBase)
            #expect(oracleNumber(modules[0]["size"]) == UInt64(image.sizeOfImage))
            #expect(oracleNumber(modules[0]["timestamp"]) == UInt64(image.timeDateStamp))
            #expect(oracleNumber(modules[0]["checksum"]) == UInt64(image.checkSum))
            #expect(
                (json["threads"] as? [Any])?.compactMap(oracleNumber)
                    == [UInt64(crash.process.threadId)])
            let exception = try #require((json["exception"] as? [[String: Any]])?.first)
            #expect(oracleNumber(exception["thread"]) == UInt64(crash.process.threadId))
            #expect(oracleNumber(exception["code"]) == 0xC000_0005)
            #expect(oracleNumber(exception["address"]) == crash.fault.instructionAddress)
            #expect(
                (exception["parameters"] as? [Any])?.prefix(2).compactMap(oracleNumber)
                    == [UInt64(1), crash.fault.address])
            #expect(oracleNumber(json["arch"]) == 9)  // PROCESSOR_ARCHITECTURE_AMD64
            #expect(oracleNumber(json["build"]) == 19045)
            // The code at the fault is the image's code.
            let rva = UInt32(crash.fault.instructionAddress - image.imageBase)
            let code = try #require(image.read(rva: rva, count: 16))
            #expect(json["code"] as? String == code.map { String(format: "%02x", $0) }.joined())
        }
    }

    @Test(.requires(.lldb))
    func lldb() throws {
        let crash = try Example.crash()
        let image = try Example.image()
        try Example.withDumpFile { path in
            let output = try #require(
                Self.run(
                    "/usr/bin/env",
                    [
                        "lldb-19", "--batch", "-o", "target create --core \(path)", "-o",
                        "process status", "-o", "image list", "-o", "thread list", "-o",
                        "register read",
                    ]))
            let transcript = LLDBTranscript(output.text)
            try #require(transcript.loaded, "lldb did not load the dump: \(output.text)")
            #expect(transcript.images.map(\.path) == [crash.process.imagePath])
            #expect(transcript.images.map(\.base) == [image.imageBase])
            // lldb shows the CodeView GUID and age as the module's UUID.
            let codeView = try #require(try image.codeView())
            guard case .pdb70(let guid, let age, _) = codeView else {
                Issue.record("not an RSDS record")
                return
            }
            let expectedUUID =
                guid.description.filter { $0 != "-" }.uppercased()
                + String(format: "%08X", age)
            #expect(transcript.images.first?.uuid == expectedUUID)
            #expect(transcript.threadIds == [UInt64(crash.process.threadId)])
            #expect(transcript.exceptionCode == 0xC000_0005)
            #expect(transcript.exceptionAddress == crash.fault.instructionAddress)
            for name in ["rip", "rsp", "rax", "rbx", "rsi", "rdi", "rbp", "r12"] {
                #expect(
                    transcript.registers[name] == crash.registers[name].map { UInt64($0) },
                    "\(name)")
            }
            #expect(output.text.contains("Process \(crash.process.processId) stopped"))
        }
    }
}
