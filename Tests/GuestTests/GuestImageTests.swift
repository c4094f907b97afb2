import Foundation
import PEFormat
import TestSupport
import Testing

/// The committed DLLs as images: their exports and forwarders resolve, every import of the
/// test programs (mingw-w64 and clang-cl) and of the DLLs themselves resolves through them,
/// their symbols match them, and build.sh reproduces them byte for byte.
@Suite struct GuestImageTests {
    static let dllNames = ["ntdll", "kernel32", "msvcrt"]

    /// The three DLLs' export tables, by lower-case DLL name.
    static let exports: [String: ExportTable] = {
        var tables: [String: ExportTable] = [:]
        for name in dllNames {
            if let image = try? PEImage(
                contentsOfFile: Guest.bin.appendingPathComponent("\(name).dll").path),
                let table = try? image.exports()
            {
                tables[name] = table
            }
        }
        return tables
    }()

    /// Follows an import (or forwarder) to code or data in one of the three DLLs; nil when it
    /// does not resolve. `depth` bounds forwarder chains.
    static func resolve(dll: String, name: String?, ordinal: UInt32?, depth: Int = 0) -> String? {
        guard depth < 8 else { return nil }
        let module = dll.lowercased().replacingOccurrences(of: ".dll", with: "")
        guard let table = exports[module] else { return nil }
        let export =
            name.flatMap { table.export(named: $0) }
            ?? ordinal.flatMap { table.export(ordinal: $0) }
        guard let export else { return nil }
        guard let forwarder = export.forwarder else {
            return "\(module)!\(export.name ?? "#\(export.ordinal)")"
        }
        let parts = forwarder.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[1].hasPrefix("#") {
            return resolve(
                dll: parts[0], name: nil, ordinal: UInt32(parts[1].dropFirst()), depth: depth + 1)
        }
        return resolve(dll: parts[0], name: parts[1], ordinal: nil, depth: depth + 1)
    }

    /// The imports of an image that do not resolve, as `DLL!function`.
    static func unresolved(_ path: String) throws -> [String] {
        let image = try PEImage(contentsOfFile: path)
        var missing: [String] = []
        for module in try image.imports() {
            for function in module.functions {
                switch function.reference {
                case .name(let name, _):
                    if resolve(dll: module.dllName, name: name, ordinal: nil) == nil {
                        missing.append("\(module.dllName)!\(name)")
                    }
                case .ordinal(let ordinal):
                    if resolve(dll: module.dllName, name: nil, ordinal: UInt32(ordinal)) == nil {
                        missing.append("\(module.dllName)!#\(ordinal)")
                    }
                default: missing.append("\(module.dllName)!<unreadable>")
                }
            }
        }
        return missing
    }

    @Test func everyForwarderResolves() throws {
        #expect(Self.exports.count == 3)
        for (dll, table) in Self.exports {
            for export in table.exports where export.forwarder != nil {
                #expect(
                    Self.resolve(dll: dll, name: export.name, ordinal: export.ordinal) != nil,
                    "\(dll)!\(export.name ?? "?") -> \(export.forwarder ?? "")")
            }
        }
        // The forwarders Windows has, which the loader must follow.
        #expect(
            Self.resolve(dll: "KERNEL32.dll", name: "EnterCriticalSection", ordinal: nil)
                == "ntdll!RtlEnterCriticalSection")
        #expect(
            Self.resolve(dll: "KERNEL32.dll", name: "HeapAlloc", ordinal: nil)
                == "ntdll!RtlAllocateHeap")
        #expect(
            Self.resolve(dll: "msvcrt.dll", name: "__C_specific_handler", ordinal: nil)
                == "ntdll!__C_specific_handler")
    }

    @Test func theDllsImportsResolve() throws {
        for name in Self.dllNames {
            let path = Guest.bin.appendingPathComponent("\(name).dll").path
            if name == "ntdll" {
                #expect(throws: (any Error).self) { try PEImage(contentsOfFile: path).imports() }
                continue
            }
            #expect(try Self.unresolved(path) == [], "\(name).dll")
        }
    }

    @Test func everyImportOfTheTestProgramsResolves() throws {
        let folder = try Guest.programs.get()
        let programs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".exe") || $0.hasSuffix(".dll")
        }
        #expect(programs.count >= 25)
        for program in programs {
            #expect(
                try Self.unresolved(folder.appendingPathComponent(program).path) == [], "\(program)"
            )
        }
    }

    @Test func preferredBasesAndSymbols() throws {
        let bases: [String: UInt64] = [
            "ntdll": 0x7FFC_0A00_0000, "kernel32": 0x7FFC_0900_0000, "msvcrt": 0x7FFC_0800_0000,
        ]
        for name in Self.dllNames {
            let image = try PEImage(
                contentsOfFile: Guest.bin.appendingPathComponent("\(name).dll").path)
            #expect(image.imageBase == bases[name])
            guard case .pdb70(_, _, let pdb)? = try image.codeView() else {
                Issue.record("\(name).dll has no RSDS record")
                continue
            }
            #expect(pdb == "\(name).pdb")
            #expect(
                FileManager.default.fileExists(
                    atPath: Guest.bin.appendingPathComponent("\(name).pdb").path))
            // The Breakpad file in the store is the one for this build of the DLL.
            let identifier = try #require(try image.codeView()).symbolServerIdentifier
            let sym = Guest.bin.appendingPathComponent(
                "symbols/\(name).pdb/\(identifier)/\(name).sym")
            let text = try String(contentsOf: sym, encoding: .utf8)
            #expect(text.hasPrefix("MODULE windows x86_64 \(identifier) \(name).pdb\n"))
            let functions = text.split(separator: "\n").filter { $0.hasPrefix("FUNC ") }.count
            #expect(functions > 50, "\(name).sym has \(functions) functions")
            let stores = try FileManager.default.contentsOfDirectory(
                atPath: Guest.bin.appendingPathComponent("symbols/\(name).pdb").path)
            #expect(stores == [identifier], "stale symbols for \(name): \(stores)")
        }
    }

    @Test func buildReproducesTheCommittedBinaries() throws {
        let out = Guest.temporaryFolder("rebuild")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runProcess(
            "/bin/sh", [Guest.folder.appendingPathComponent("build.sh").path, out.path],
            environment: ["XCDB_GUEST_NO_SYMBOLS": "1"], timeout: 900)
        #expect(result.status == 0, "\(result.stderr)")
        for file in [
            "ntdll.dll", "ntdll.pdb", "ntdll.lib", "kernel32.dll", "kernel32.pdb", "kernel32.lib",
            "msvcrt.dll",
            "msvcrt.pdb", "msvcrt.lib", "xcdbcrt.lib",
        ] {
            let built = FileManager.default.contents(atPath: out.appendingPathComponent(file).path)
            let committed = FileManager.default.contents(
                atPath: Guest.bin.appendingPathComponent(file).path)
            #expect(
                built != nil && built == committed,
                "\(file) differs from Guest/bin's: run Guest/build.sh")
        }
    }
}
