import Foundation
import TestSupport
import Testing

/// Every corpus dump with an oracle, read through xcdb's commands (`lm`, `~`, `.exr -1`,
/// `.ecxr` + `r`, `vertarget`) and compared with what the `minidump` package and lldb read.
@Suite(.requires(.corpus)) struct OracleCommandTests {
    static let dumps = Oracle.dumpNames.filter {
        Oracle(dumpName: $0)?.magic.hasPrefix("MDMP") == true && Oracle(dumpName: $0)?.python != nil
    }

    /// Breakpad's macOS writer pads lists after their count; the `minidump` package reads every
    /// entry 4 bytes early there (oracle README, and DumpFormatTests' `hasCountPadding`), while
    /// lldb reads them right. For those dumps lldb is the oracle.
    static func pythonMisreadsLists(_ oracle: Oracle) -> Bool {
        let platform = oracle.pythonDict("system_info")?["platform_id"] as? String ?? ""
        return platform.contains("MAC") && oracle.lldb?.loaded == true
    }

    @Test(arguments: dumps)
    func modulesMatchTheOracle(dumpName: String) throws {
        let oracle = try #require(Oracle(dumpName: dumpName))
        guard let modules = oracle.pythonList("modules") else { return }
        let session = DumpSession(dumpName, symbols: false)
        try #require(session.isOpen, "\(dumpName) did not open: \(session.openLines)")
        let listed = session.run("lmf").dropFirst().filter { !$0.isEmpty }
            .prefix { $0 != "Unloaded modules:" }
        var rows: [UInt64: (end: UInt64, path: String)] = [:]
        for line in listed {
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
            guard parts.count >= 3,
                let base = UInt64(parts[0].replacingOccurrences(of: "`", with: ""), radix: 16),
                let end = UInt64(parts[1].replacingOccurrences(of: "`", with: ""), radix: 16)
            else { continue }
            rows[base] = (end, parts.count > 3 ? parts[3].trimmingWhitespace() : "")
        }
        if Self.pythonMisreadsLists(oracle), let lldb = oracle.lldb {
            #expect(Set(rows.keys) == Set(lldb.images.map(\.base)), "\(dumpName): lldb's images")
            return
        }
        #expect(rows.count == modules.count, "\(dumpName): lm shows \(rows.count) modules")
        for module in modules {
            let base = try #require(oracleNumber(module["base"]))
            let size = try #require(oracleNumber(module["size"]))
            let row = try #require(
                rows[base], "\(dumpName): no module at \(String(base, radix: 16))")
            #expect(row.end == base &+ size, "\(dumpName): module end")
            #expect(row.path == module["name"] as? String, "\(dumpName): module path")
        }
    }

    @Test(arguments: dumps)
    func threadsMatchTheOracle(dumpName: String) throws {
        let oracle = try #require(Oracle(dumpName: dumpName))
        guard let threads = oracle.pythonList("threads") else { return }
        let session = DumpSession(dumpName, symbols: false)
        try #require(session.isOpen)
        let shown = session.run("~").compactMap { line -> UInt64? in
            guard let range = line.range(of: "Id: ") else { return nil }
            let id = line[range.upperBound...].prefix { $0 != " " }
            return id.split(separator: ".").last.flatMap { UInt64($0, radix: 16) }
        }
        if Self.pythonMisreadsLists(oracle), let lldb = oracle.lldb {
            #expect(shown == lldb.threadIds, "\(dumpName): lldb's threads")
        } else {
            #expect(shown == threads.compactMap { oracleNumber($0["thread_id"]) }, "\(dumpName)")
        }
    }

    @Test(arguments: dumps)
    func exceptionMatchesTheOracle(dumpName: String) throws {
        let oracle = try #require(Oracle(dumpName: dumpName))
        guard let exception = oracle.pythonList("exception")?.first,
            let code = oracleNumber(exception["exception_code"]),
            let address = oracleNumber(exception["exception_address"])
        else { return }
        let session = DumpSession(dumpName, symbols: false)
        let record = session.run(".exr -1")
        let codeLine = try #require(record.first { $0.hasPrefix("   ExceptionCode: ") })
        #expect(
            codeLine.dropFirst(18).hasPrefix(String(code, radix: 16).leftPadded(to: 8, with: "0")))
        // CDB says first when the module's symbols could not be loaded (`*** ERROR: ...`).
        let addressLine = try #require(record.first { $0.hasPrefix("ExceptionAddress: ") })
        let shownAddress = addressLine.dropFirst(18).prefix { $0 != " " }.replacingOccurrences(
            of: "`", with: "")
        #expect(UInt64(shownAddress, radix: 16) == address, "\(dumpName): \(addressLine)")
        // The prompt lands on the thread that raised the exception.
        if let thread = oracleNumber(exception["thread_id"]),
            let current = session.run("~.").first
        {
            let id = current.components(separatedBy: "Id: ").last?.prefix { $0 != " " }
                .split(separator: ".").last.flatMap { UInt64($0, radix: 16) }
            #expect(id == thread, "\(dumpName): current thread \(current)")
        }
    }

    /// lldb shows the exception context of the faulting thread: `.ecxr` then `r` must agree.
    @Test(arguments: dumps)
    func exceptionContextRegistersMatchLLDB(dumpName: String) throws {
        let oracle = try #require(Oracle(dumpName: dumpName))
        guard let lldb = oracle.lldb, lldb.loaded, !lldb.registers.isEmpty,
            oracle.pythonList("exception")?.first != nil,
            // lldb-19 shows all-zero registers for this macOS dump (oracle README).
            dumpName != "mac-x64-symbolic-crash.dmp"
        else { return }
        let session = DumpSession(dumpName, symbols: false)
        guard !session.run(".ecxr").contains(where: { $0.hasPrefix("Minidump doesn't") }) else {
            return
        }
        var compared = 0
        for name in [
            "rip", "rsp", "rbp", "rax", "rbx", "r12", "eip", "esp", "ebp", "eax", "pc", "sp", "x0",
            "lr", "fp",
        ] {
            guard let expected = lldb.registers[name] else { continue }
            let shown = session.run("r \(name)").first ?? ""
            guard shown.hasPrefix("\(name)=") else {
                Issue.record("\(dumpName): r \(name) gave \(shown)")
                continue
            }
            #expect(
                UInt64(shown.dropFirst(name.count + 1), radix: 16) == expected,
                "\(dumpName): \(name)")
            compared += 1
        }
        #expect(compared >= 2, "\(dumpName): compared \(compared) registers")
    }

    @Test(arguments: dumps)
    func systemInformationMatchesTheOracle(dumpName: String) throws {
        let oracle = try #require(Oracle(dumpName: dumpName))
        guard let info = oracle.pythonDict("system_info") else { return }
        let session = DumpSession(dumpName, symbols: false)
        let lines = session.run("vertarget")
        let first = try #require(lines.first)
        let processors = try #require(oracleNumber(info["number_of_processors"]))
        if processors > 1 {
            #expect(first.contains("MP (\(processors) procs)"), "\(dumpName): \(first)")
        } else {
            #expect(first.contains(" UP "), "\(dumpName): \(first)")
        }
        if (info["platform_id"] as? String) == "VER_PLATFORM_WIN32_NT" {
            let build = try #require(oracleNumber(info["build_number"]))
            #expect(first.contains("Version \(build)"), "\(dumpName): \(first)")
        }
        let arch = info["processor_architecture"] as? String ?? ""
        let expected = ["AMD64": "x64", "INTEL": "x86 compatible", "ARM64": "ARM64", "ARM": "ARM"][
            arch]
        if let expected { #expect(first.hasSuffix(expected), "\(dumpName): \(first)") }
    }
}

extension OracleCommandTests {
    static let dumpsWithThreadTimes = dumps.filter {
        Oracle(dumpName: $0)?.pythonList("thread_info_list")?.isEmpty == false
    }

    /// `!runaway 4`: each thread's time since creation runs to the dump's time, as the
    /// `minidump` package reads the two (the dump's time from the header, in seconds).
    @Test func runawayElapsedTimeMatchesTheOracle() throws {
        #expect(!Self.dumpsWithThreadTimes.isEmpty, "the corpus has a dump with thread times")
        for dumpName in Self.dumpsWithThreadTimes {
            let oracle = try #require(Oracle(dumpName: dumpName))
            let infos = try #require(oracle.pythonList("thread_info_list"))
            let header = try #require(oracle.pythonDict("header"))
            let dumpTime = try #require(
                (header["dump_time_utc_from_library_Reserved"] ?? header["time_date_stamp_utc"])
                    as? String)
            let parse = ISO8601DateFormatter()
            parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            func date(_ text: String) -> Date? { parse.date(from: text) ?? plain.date(from: text) }
            let end = try #require(date(dumpTime))
            let session = DumpSession(dumpName, symbols: false)
            let lines = session.run("!runaway 4")
            #expect(lines.prefix(2) == [" Elapsed Time", "  Thread       Time"], "\(lines)")
            for info in infos {
                let id = try #require(oracleNumber(info["thread_id"]))
                let createdText = try #require(info["create_time_utc"] as? String)
                let created = try #require(date(createdText))
                let units = UInt64((end.timeIntervalSince(created) * 10_000_000).rounded())
                let milliseconds = units / 10_000
                let text =
                    "0 days 0:\(String(format: "%02d", milliseconds / 60_000 % 60)):"
                    + String(format: "%02d.%03d", milliseconds / 1000 % 60, milliseconds % 1000)
                #expect(
                    lines.contains {
                        $0.contains(":\(String(id, radix: 16)) ") && $0.hasSuffix(text)
                    },
                    "\(dumpName): thread \(String(id, radix: 16)) should show \(text): \(lines)")
            }
        }
    }

    @Test func runawayOnADumpWithoutThreadTimesSaysWhy() {
        let lines = DumpSession("win-x64-win10-fastfail.dmp", symbols: false).run("!runaway")
        #expect(
            lines == [
                "Thread times are not available: the dump has no thread-info stream "
                    + "(.dump /mt or /ma writes one)."
            ])
    }
}
