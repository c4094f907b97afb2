import DumpTargets
import Engine
import ExampleDump
import Foundation
import TestSupport
import Testing

/// The PDB test program (Examples/pdb/pdbdemo.cpp), run under Unicorn to its crash and opened
/// with its PDB: symbols found along the symbol path, source lines, parameters and locals with
/// their values, types, C++ expressions, source files.
enum PDBDemo {
    static let process: ExampleProcess = {
        var process = ExampleProcess()
        process.imagePath = #"C:\xcdb\Examples\pdb\pdbdemo.exe"#
        return process
    }()

    static let run = Result { () throws -> ExampleCrash in
        try ExampleCrash.record(
            executable: PDBPrograms.require().executable(.x64), process: process)
    }

    /// The program's source, for line numbers the tests expect.
    static let sourceLines: [String] = {
        let text = (try? String(contentsOf: PDBPrograms.source, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }()

    /// The 1-based number of the first source line containing `text`.
    static func line(containing text: String) -> Int? {
        sourceLines.firstIndex { $0.contains(text) }.map { $0 + 1 }
    }

    /// A session on the crash dump with `symbolPath`.
    static func session(symbolPath: String? = nil) throws -> DumpSession {
        let build = try PDBPrograms.require()
        let path = build.directory.appendingPathComponent("pdbdemo-\(UUID().uuidString).dmp").path
        try run.get().minidump().write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = DumpSession(path: path, symbolPath: symbolPath ?? build.directory.path)
        #expect(session.isOpen)
        return session
    }

    /// The symbol-store identifier, from llvm-pdbutil's reading of the PDB: GUID fields as
    /// printed, without braces and dashes, then the age in hex.
    static func storeIdentifier(_ pdb: String) throws -> String {
        let summary = try PDBPrograms.pdbutil(["dump", "-summary", pdb])
        var guid = ""
        var age = ""
        for line in summary.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("GUID: ") {
                guid = text.dropFirst(6).filter { $0 != "{" && $0 != "}" && $0 != "-" }
            }
            if text.hasPrefix("Age: "), let value = Int(text.dropFirst(5)) {
                age = String(value, radix: 16)
            }
        }
        return guid + age.uppercased()
    }
}

@Suite struct PDBSessionTests {
    @Test func symbolsLoadLazilyFromAFlatDirectory() throws {
        let session = try PDBDemo.session()
        let stack = session.run("kc")
        #expect(
            stack.dropFirst().map { $0.split(separator: "+").first.map(String.init) ?? $0 } == [
                "00 pdbdemo!inspect", "01 pdbdemo!run", "02 pdbdemo!mainCRTStartup",
            ])
        let build = try PDBPrograms.require()
        let listing = session.run("lmv m pdbdemo")
        #expect(
            listing.contains {
                $0.contains("(private pdb symbols)") && $0.hasSuffix(build.pdb(.x64))
            })
    }

    @Test func symbolStoreLayoutAndNoisyLoading() throws {
        let build = try PDBPrograms.require()
        let identifier = try PDBDemo.storeIdentifier(build.pdb(.x64))
        let store = build.directory.appendingPathComponent("store-\(UUID().uuidString)")
        let folder = store.appendingPathComponent("pdbdemo.pdb/\(identifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: store) }
        try FileManager.default.copyItem(
            atPath: build.pdb(.x64), toPath: folder.appendingPathComponent("pdbdemo.pdb").path)
        let session = try PDBDemo.session(
            symbolPath: "srv*\(store.path)*https://symbols.example.invalid/symbols")
        #expect(session.run("!sym noisy") == ["noisy mode - symbol prompts on"])
        let output = session.run(".reload /f pdbdemo")
        let found = folder.appendingPathComponent("pdbdemo.pdb").path
        #expect(output.contains("SYMSRV:  PATH: \(found)"))
        #expect(output.contains { $0.contains("https://symbols.example.invalid/symbols skipped") })
        #expect(output.contains("DBGHELP: pdbdemo - private symbols & lines"))
        #expect(session.run("lm m pdbdemo").contains { $0.hasSuffix(found) })
        #expect(session.run("!sym quiet") == ["quiet mode - symbol prompts on"])
    }

    @Test func aMismatchedPDBIsReportedAndNotUsed() throws {
        let build = try PDBPrograms.require()
        let folder = build.directory.appendingPathComponent("mismatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Another build's PDB under this program's PDB name.
        try FileManager.default.copyItem(
            atPath: build.pdb(.optimized), toPath: folder.appendingPathComponent("pdbdemo.pdb").path
        )
        let session = try PDBDemo.session(symbolPath: folder.path)
        let output = session.run("ld pdbdemo")
        #expect(output.contains { $0.contains("pdbdemo.pdb - mismatched pdb") })
        #expect(!session.run("lm m pdbdemo").contains { $0.contains("pdb symbols") })
    }

    @Test func parametersAndLocalsHaveTheirValues() throws {
        let session = try PDBDemo.session()
        let nodes = try #require(session.run("x pdbdemo!nodes").first?.split(separator: " ").first)
        let base = try #require(UInt64(nodes.filter { $0 != "`" }, radix: 16))
        let second = Example.split64(base + 0x50)  // sizeof(Node) is 80
        let locals = session.run("dv")
        #expect(locals.contains("          node = 0x\(second)"))
        #expect(
            locals.contains {
                $0.hasSuffix("label = ") == false && $0.contains("label = 0x")
                    && $0.hasSuffix("\"second\"")
            })
        #expect(locals.contains("         color = Blue (0n6)"))
        #expect(locals.contains("          mode = Auto (0n2)"))
        #expect(locals.contains("           big = 0x1122334455667788"))
        #expect(locals.contains("         inner = 0n114"))
        #expect(session.run("dv /t inner") == ["int inner = 0n114"])
        let frame = session.run("kp 1")
        #expect(
            frame.last?.contains(
                "pdbdemo!inspect(struct Node * node = 0x\(second), wchar_t * label = ") == true)
        #expect(
            frame.last?.contains(
                "struct geometry::Point where = struct geometry::Point, enum Color color = Blue (0n6))+0x"
            ) == true)
        _ = session.run(".frame 1")
        #expect(
            session.run("dv") == [
                "         steps = 0n3", "       weights = 0n100",
                "         where = struct geometry::Point",
                "         shape = 0x\(Example.split64(base + 0x120))",
            ])
    }

    @Test func typesAreLaidOutAsDtShowsThem() throws {
        let session = try PDBDemo.session()
        let node = session.run("dt pdbdemo!Node")
        #expect(node.first == "pdbdemo!Node")
        #expect(node.contains("   +0x000 name             : Ptr64 Char"))
        #expect(node.contains("   +0x008 weight           : Int4B"))
        #expect(node.contains("   +0x010 next             : Ptr64 Node"))
        #expect(node.contains("   +0x030 grid             : [2] [3] Int2B"))
        #expect(node.contains("   +0x04c tag              : Node::Tag"))
        #expect(
            session.run("dt pdbdemo!Flags").dropFirst() == [
                "   +0x000 ready            : Pos 0, 1 Bit",
                "   +0x000 level            : Pos 1, 3 Bits",
                "   +0x000 spare            : Pos 4, 4 Bits",
                "   +0x000 offset           : Pos 8, 5 Bits",
            ])
        #expect(
            session.run("dt pdbdemo!Color").dropFirst() == [
                "   Red = 0n0", "   Green = 0n5", "   Blue = 0n6",
            ])
        let values = session.run("dt -r1 node")
        #expect(values.contains("   +0x008 weight           : 0n25"))
        #expect(values.contains("   +0x020 color            : 0n5 ( Green )"))
        #expect(values.contains("      +0x000 level            : 0y010"))
        #expect(
            values.contains {
                $0.contains("+0x000 name             : 0x") && $0.hasSuffix("\"second\"")
            })
        let verbose = session.run("dt -v pdbdemo!geometry::Rect")
        #expect(
            verbose.prefix(2) == [
                "pdbdemo!geometry::Rect", "struct geometry::Rect, 2 elements, 0x10 bytes",
            ])
        #expect(session.run("dt pdbdemo!NoSuchType") == ["Symbol pdbdemo!NoSuchType not found."])
    }

    @Test func cppExpressions() throws {
        let session = try PDBDemo.session()
        #expect(session.run("?? node->weight") == ["int 0n25"])
        #expect(session.run("?? node->next->weight + 1") == ["int 0n41"])
        #expect(session.run("?? node->grid[1][2]") == ["short 0n12"])
        #expect(session.run("?? (node + 1)->weight") == ["int 0n40"])
        #expect(session.run("?? node[-1].weight") == ["int 0n10"])
        #expect(session.run("?? sizeof(Node)") == ["unsigned int64 0x50"])
        #expect(session.run("?? where.x * 2 - 1") == ["int 0n5"])
        #expect(session.run("?? node->flags.level") == ["unsigned int 2"])
        #expect(session.run("?? (char)node->tag.code") == ["char 0n66 'B'"])
        #expect(session.run("?? pdbdemo!totals.second") == ["int64 0n-200"])
        #expect(session.run("?? color == 6") == ["bool true"])
        #expect(session.run("?? *node").first == "struct Node")
        #expect(session.run("?? ((geometry::Rect *)&node->bounds)->bottomRight.y") == ["int 0n60"])
        #expect(
            session.run("?? nosuch").last?.hasSuffix("Couldn't resolve error at 'nosuch'") == true)
    }

    @Test func sourceLinesAndSourceFiles() throws {
        let session = try PDBDemo.session()
        let crashLine = try #require(PDBDemo.line(containing: "*null_pointer = inner;"))
        _ = session.run(".lines -e")
        #expect(session.run("k 1").last?.hasSuffix("pdbdemo.cpp @ \(crashLine)]") == true)
        #expect(session.run("lsa @rip").first?.hasPrefix("Couldn't find source file") == true)
        let folder = PDBPrograms.source.deletingLastPathComponent().path
        #expect(session.run(".srcpath \(folder)") == ["Source search path is: \(folder)"])
        let listing = session.run("lsa @rip")
        #expect(listing.count == 10)
        #expect(
            listing.contains(
                ">\(String(crashLine).leftPadded(to: 5)): \(PDBDemo.sourceLines[crashLine - 1])"))
        let next = session.run("ls")
        #expect(
            next.first
                == " \(String(crashLine + 5).leftPadded(to: 5)): \(PDBDemo.sourceLines[crashLine + 4])"
        )
        let runLine = try #require(
            PDBDemo.line(containing: "__declspec(noinline) int run(int steps)"))
        #expect(session.run("u pdbdemo!run L1").first?.hasPrefix("pdbdemo!run [") == true)
        #expect(
            session.run("u pdbdemo!run L1").first?.hasSuffix("pdbdemo.cpp @ \(runLine)]:") == true)
    }

    @Test func examineAndNearestShowTypes() throws {
        let session = try PDBDemo.session()
        let all = session.run("x pdbdemo!*")
        #expect(
            all.contains {
                $0.hasSuffix(
                    " pdbdemo!inspect (struct Node *, wchar_t *, struct geometry::Point, enum Color)"
                )
            })
        #expect(all.contains { $0.hasSuffix(" pdbdemo!Shape::count = 0n2") })
        #expect(all.contains { $0.contains(" pdbdemo!greeting = 0x") && $0.hasSuffix("\"hello\"") })
        let verbose = session.run("x /v /t pdbdemo!run")
        #expect(verbose.count == 1)
        #expect(verbose.first?.hasPrefix("prv func   ") == true)
        #expect(verbose.first?.hasSuffix(" int pdbdemo!run (int)") == true)
        let nearest = session.run("ln pdbdemo!run")
        #expect(nearest.contains("Exact matches:"))
        #expect(nearest.contains("    pdbdemo!run (int)"))
    }

    // s--search-memory-.md: `s -v Range Object` finds the objects of Object's class by its
    // vtable and shows each like `dt`. pdbdemo's entry builds one Square (`built`, side 7) on
    // its stack; Object may be the object or a pointer to it (`keep`).
    @Test func searchForObjectsOfAClass() throws {
        let session = try PDBDemo.session()
        _ = session.run(".frame 2")
        // `?? &x` ends with the address, `0x000000d2`1acfffa0`.
        let object = try #require(
            session.run("?? &built").first?.split(separator: " ").last?.dropFirst(2))
        let pointer = try #require(
            session.run("?? &keep").first?.split(separator: " ").last?.dropFirst(2))
        let range = "@rsp L?0x10000"
        let hits = session.run("s -v \(range) \(object)")
        #expect(hits.first == String(object), "\(hits)")
        #expect(hits.contains { $0.contains("side") && $0.hasSuffix(": 0n7") }, "\(hits)")
        #expect(session.run("s -[1]v \(range) \(pointer)") == [String(object)])
        #expect(
            session.run("s -v \(range) pdbdemo!totals").first?.contains("not a C++ object") == true)
        // A Label has two vtable pointers (Shape's and Named's); the object is found where both
        // sit at their offsets (the s page: "looks for all of these pointer values, separated
        // by the proper number of bytes").
        let label = try #require(
            session.run("?? &label").first?.split(separator: " ").last?.dropFirst(2))
        let labels = session.run("s -v \(range) \(label)")
        #expect(labels.first == String(label), "\(labels)")
        #expect(labels.filter { $0 == String(label) }.count == 1)
        #expect(labels.contains { $0.contains("width") && $0.hasSuffix(": 0n9") }, "\(labels)")
        #expect(labels.contains { $0.contains("serial") && $0.hasSuffix(": 0n4") }, "\(labels)")
        #expect(!labels.contains { $0.contains("side") })
    }
}
