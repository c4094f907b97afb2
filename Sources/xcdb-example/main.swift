import DumpFormat
import ExampleDump
import Foundation
import PEFormat

// xcdb-example: makes the bundled example dump (and, for Examples/build.sh, its symbols).
//
//   xcdb-example dump EXE OUT.dmp [--load-base ADDRESS]
//       Runs EXE (Examples/bin/crashdemo.exe) under Unicorn until it crashes and writes the
//       crash as a minidump. --load-base (hex, 64 KiB-aligned) loads the executable there
//       instead of at its preferred base, relocated as ASLR would: the same crash at another
//       address, for crash-signature tests.
//   xcdb-example wow64 X86.dmp OUT.dmp
//       Writes the dump 64-bit Windows would record of the 32-bit process X86.dmp holds: the
//       same process under WOW64 (64-bit TEBs and wow64*.dll, each thread's x86 context where
//       WOW64 keeps it). For the WOW64 tests (`.effmach x86`, `!wow64exts.sw`).
//   xcdb-example symbols EXE SYMBOLIZER STRIP-PREFIX OUT-DIR
//       Writes EXE's Breakpad symbol file into the store OUT-DIR (OUT-DIR/NAME.pdb/ID/NAME.sym)
//       from its own .pdata and llvm-symbolizer's reading of its PDB. Prints the file's path.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("xcdb-example: \(message)\n".utf8))
    exit(1)
}

let usage = """
    usage: xcdb-example dump EXE OUT.dmp [--load-base ADDRESS]
           xcdb-example wow64 X86.dmp OUT.dmp
           xcdb-example symbols EXE SYMBOLIZER STRIP-PREFIX OUT-DIR
    """

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "dump" where arguments.count == 3 || arguments.count == 5 && arguments[3] == "--load-base":
    var process = ExampleProcess.standard
    if arguments.count == 5 {
        let text = arguments[4].lowercased()
        guard
            let base = UInt64(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16)
        else {
            fail("--load-base needs a hex address, not '\(arguments[4])'")
        }
        process.imageBase = base
    }
    do throws(ExampleError) {
        let crash = try ExampleCrash.record(executable: arguments[1], process: process)
        do {
            try crash.minidump().write(to: arguments[2])
        } catch {
            fail("cannot write \(arguments[2]): \(error)")
        }
    } catch {
        fail(error.description)
    }
case "wow64" where arguments.count == 3:
    let source: Minidump
    do {
        source = try Minidump(path: arguments[1])
    } catch {
        fail("cannot read \(arguments[1]): \(error)")
    }
    do throws(Wow64DumpError) {
        let name = arguments[1].split(separator: "/").last.map(String.init) ?? arguments[1]
        let builder = try Wow64Dump.rewrap(
            source,
            comment: "xcdb-example wow64: \(name) as 64-bit Windows records the WOW64 process")
        do {
            try builder.write(to: arguments[2])
        } catch {
            fail("cannot write \(arguments[2]): \(error)")
        }
    } catch {
        fail(error.description)
    }
case "symbols" where arguments.count == 5:
    writeSymbols(
        executable: arguments[1], symbolizer: arguments[2], stripPrefix: arguments[3],
        store: arguments[4])
default:
    fail(usage)
}

/// Asks llvm-symbolizer about every byte of the executable's code, then writes the `.sym`.
func writeSymbols(executable: String, symbolizer: String, stripPrefix: String, store: String) {
    let image: PEImage
    do {
        image = try PEImage(contentsOfFile: executable)
    } catch {
        fail("cannot read \(executable): \(error)")
    }
    // One query per byte of code: the example's code is a few KiB.
    var addresses = ""
    for section in image.sections where section.isExecutable {
        let start = image.imageBase &+ UInt64(section.virtualAddress)
        let (end, overflow) = start.addingReportingOverflow(UInt64(section.virtualExtent))
        guard !overflow, section.virtualExtent <= 1 << 20 else {
            fail("\(executable): section \(section.name) is too large for this tool")
        }
        for address in start..<end {
            addresses += "0x\(String(address, radix: 16))\n"
        }
    }
    let output = run(
        symbolizer, ["--output-style=JSON", "--obj=\(executable)"], input: Data(addresses.utf8))
    do throws(ExampleError) {
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let symbols = try BreakpadSymbols(
            image: image, codeFileName: name,
            locations: try BreakpadSymbols.parseSymbolizerJSON(output), stripPrefix: stripPrefix)
        let url = URL(fileURLWithPath: store).appendingPathComponent(symbols.storePath)
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try Data(symbols.text.utf8).write(to: url)
        } catch {
            fail("cannot write \(url.path): \(error.localizedDescription)")
        }
        print(url.path)
    } catch {
        fail(error.description)
    }
}

/// Runs a tool with `input` on its standard input and returns its standard output.
func run(_ tool: String, _ arguments: [String], input: Data) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    do {
        try process.run()
    } catch {
        fail("cannot run \(tool): \(error.localizedDescription)")
    }
    // Feed the input from another thread so a full output pipe cannot deadlock us.
    let writer = Thread {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        fail("\(tool) failed with status \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
