import Foundation
import TestSupport
import Testing

/// Read-only participants of a session with a crash dump open: they see everything and may run
/// every command that only looks, but nothing that would change the target or the session.
/// Real processes: the server's console on a pipe, a read-write `xremote`, a read-only
/// `xremote /ro`, and an `xcdb -remote` that joined through a `readonly` server.
@Suite(.serialized) struct RemoteReadOnlyEndToEndTests {
    static let dumpName = "win-x86-xpsp2-breakpad-minidump2.dmp"

    @Test func readOnlyParticipantsMayLookButNotChange() throws {
        let facts = try DumpFacts(dumpName: Self.dumpName)
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-kqm", "-z", Corpus.dump(Self.dumpName)],
            environment: scratch.environment)
        defer { server.send("q") }
        server.send(".remote ro_lesson")
        server.send(".server npipe:pipe=ro_watch,readonly")
        #expect(server.waitFor("Server started with 'npipe:pipe=ro_watch,readonly'"))

        let ann = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "ro_lesson"], environment: scratch.environment)
        let viewer = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "ro_lesson", "/ro"],
            environment: scratch.environment)
        let watcher = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=ro_watch"],
            environment: scratch.environment)
        #expect(server.waitFor("**Remote: Connected to", count: 2))
        #expect(server.waitFor("(npipe:Pipe=ro_watch,ReadOnly) connected at"))
        let everyone = [server, ann, viewer, watcher]
        for program in everyone {
            #expect(program.waitFor("(npipe:Pipe=ro_watch,ReadOnly) connected at"))
        }

        let eip = hex8(facts.register("eip"))
        let esp = hex8(facts.register("esp"))
        // Each change, and how the refusal names it.
        let refused = [
            ("g", "g"), ("bp \(eip)", "bp"), ("ed \(esp) 1", "ed"), ("~1s", "~1s"),
            (".ecxr", ".ecxr"), ("r eax=1", "r eax=1"),
        ]
        let looks = ["k", "lm", "dd esp L4", "r", "~"]
        for (who, marker) in [(viewer, "VIEWER"), (watcher, "WATCHER")] {
            let lines = refused.map(\.0) + looks
            for line in [".echo \(marker)-BEGIN"] + lines + [".echo \(marker)-END"] {
                who.send(line)
            }
            for program in everyone {
                #expect(program.waitFor("\n\(marker)-END\n"), "\(marker) in \(program.text)")
            }
            // Everyone saw the same output, the read-only participant included (each sees the
            // others' command lines, labelled, and not its own, so those are left out).
            let reference = try #require(section(server.text, marker))
            for program in everyone {
                #expect(section(program.text, marker) == reference)
            }
            try expectRefusalsAndLooks(reference, refusedNames: refused.map(\.1), facts: facts)
        }

        // A read-write participant may change what the read-only ones may not.
        ann.send("~1s")
        ann.send(".echo ANN-DONE")
        for program in everyone {
            #expect(program.waitFor("\nANN-DONE\n"))
        }
        let annAfterwards = ann.text.components(separatedBy: "\nWATCHER-END\n").last ?? ""
        #expect(annAfterwards.contains("\nANN-DONE\n"))
        #expect(!annAfterwards.contains("is not allowed"))
        #expect(server.text.contains("\n0:001> .echo ANN-DONE"))

        ann.send("@Q")
        viewer.send("@Q")
        watcher.closeInput()
        #expect(ann.exitCode(within: 60) == 0)
        #expect(viewer.exitCode(within: 60) == 0)
        #expect(watcher.exitCode(within: 60) == 0)
        #expect(server.process.isRunning)
    }

    /// The output lines between `MARKER-BEGIN` and `MARKER-END`, without command lines.
    private func section(_ transcript: String, _ marker: String) -> [String]? {
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        guard let begin = lines.firstIndex(of: "\(marker)-BEGIN"),
            let end = lines.firstIndex(of: "\(marker)-END"), begin < end
        else { return nil }
        return lines[(begin + 1)..<end].filter { !$0.contains("0:000> ") }
    }

    private func expectRefusalsAndLooks(
        _ output: [String], refusedNames: [String], facts: DumpFacts,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        // Each change is refused with a clear message, in order, before anything else.
        let refusals = refusedNames.map {
            "'\($0)' is not allowed: you joined this session read-only"
        }
        #expect(Array(output.prefix(refusals.count)) == refusals, sourceLocation: sourceLocation)
        let looks = Array(output.dropFirst(refusals.count))

        // k: the first frame is the current thread's, its return address read from the stack.
        let stack = try #require(looks.firstIndex(of: " # ChildEBP RetAddr  Call Site"))
        let ebp = facts.register("ebp")
        let eip = facts.register("eip")
        let ntdll = try #require(facts.modules.first { $0.name.lowercased() == "ntdll" })
        let frame = looks[stack + 1]
        #expect(
            frame == "00 \(hex8(ebp)) \(hex8(try facts.dword(at: ebp + 4))) ntdll+0x"
                + String(eip - ntdll.base, radix: 16), sourceLocation: sourceLocation)

        // lm: every module of the dump, by base address.
        let header = try #require(looks.firstIndex(of: "start    end        module name"))
        let listed = looks[(header + 1)...].prefix(facts.modules.count)
        let expected = facts.modules.sorted { $0.base < $1.base }
        #expect(listed.count == expected.count, sourceLocation: sourceLocation)
        for (line, module) in zip(listed, expected) {
            let words = line.split(separator: " ")
            #expect(
                words.prefix(3) == [
                    Substring(hex8(module.base)), Substring(hex8(module.base + module.size)),
                    Substring(module.name),
                ], "\(line)", sourceLocation: sourceLocation)
        }

        // dd esp L4: the stack's bytes, unchanged by the refused `ed`.
        let esp = facts.register("esp")
        let words = try (0..<4).map { try hex8(facts.dword(at: esp + UInt32($0) * 4)) }
        #expect(
            looks.contains("\(hex8(esp))  " + words.joined(separator: " ")),
            sourceLocation: sourceLocation)

        // r: the current thread's registers, unchanged by `r eax=1` and not the exception
        // context `.ecxr` would have shown.
        let registers = ["eax", "ebx", "ecx", "edx", "esi", "edi"].map {
            "\($0)=\(hex8(facts.register($0)))"
        }
        #expect(looks.contains(registers.joined(separator: " ")), sourceLocation: sourceLocation)

        // ~: thread 0 is still the current one.
        #expect(looks.contains { $0.hasPrefix(".  0  Id: ") }, sourceLocation: sourceLocation)
    }
}

private func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// What the oracle (another tool's reading) and the dump's own bytes say about an x86 dump.
struct DumpFacts {
    struct Module {
        var base: UInt32
        var size: UInt32
        /// The file name without directory and extension, as `lm` names it.
        var name: String
    }

    let path: String
    let registersOfCurrentThread: [String: UInt32]
    let modules: [Module]
    private let memory: [(start: UInt32, size: UInt32, fileOffset: UInt64)]

    init(dumpName: String) throws {
        path = Corpus.dump(dumpName)
        let oracle = try #require(Corpus.oracleJSON(for: dumpName)?["minidump"] as? [String: Any])
        let contexts = try #require(oracle["faulting_thread_context"] as? [String: Any])
        // The first thread is the faulting one here; the debugger starts on its thread-list
        // context (`.ecxr` would switch to the exception's).
        let context = try #require(contexts["from_thread_list"] as? [String: Any])
        var registers: [String: UInt32] = [:]
        for (name, value) in context {
            if let text = value as? String, let number = Self.number(text) {
                registers[name] = UInt32(truncatingIfNeeded: number)
            }
        }
        registersOfCurrentThread = registers
        let moduleList = try #require(oracle["modules"] as? [[String: Any]])
        modules = try moduleList.map { module in
            let base = try #require((module["base"] as? String).flatMap(Self.number))
            let size = try #require(module["size"] as? Int)
            let file = try #require(module["name"] as? String)
            let last = file.split(separator: "\\").last.map(String.init) ?? file
            let name = last.split(separator: ".").first.map(String.init) ?? last
            return Module(
                base: UInt32(truncatingIfNeeded: base), size: UInt32(truncatingIfNeeded: size),
                name: name)
        }
        let ranges = try #require(
            (oracle["memory"] as? [String: Any])?["memory_list_first"] as? [[String: Any]])
        memory = try ranges.map { range in
            let start = try #require((range["start"] as? String).flatMap(Self.number))
            let size = try #require(range["size"] as? Int)
            let offset = try #require((range["file_offset"] as? String).flatMap(Self.number))
            return (UInt32(truncatingIfNeeded: start), UInt32(truncatingIfNeeded: size), offset)
        }
    }

    func register(_ name: String) -> UInt32 {
        registersOfCurrentThread[name] ?? 0
    }

    /// The little-endian 32-bit value at `address`, read from the dump file.
    func dword(at address: UInt32) throws -> UInt32 {
        let range = try #require(
            memory.first {
                address >= $0.start && UInt64(address) + 4 <= UInt64($0.start) + UInt64($0.size)
            },
            "no memory at \(hex8(address)) among the oracle's ranges")
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: range.fileOffset + UInt64(address - range.start))
        let bytes = Array(try #require(try file.read(upToCount: 4)))
        try #require(bytes.count == 4)
        return bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func number(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x") else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }
}
