import Foundation
import TestSupport
import Testing

@testable import Symbols

/// Malformed PDBs give clear errors, and damaged parts answer nothing: never a crash, a trap or
/// a hang, whatever the bytes.
@Suite struct PDBHostileTests {
    static func open(_ bytes: [UInt8]) -> Result<PDBSymbolSource, PDBError> {
        Result { () throws(PDBError) in
            PDBSymbolSource(file: try PDBFile(bytes: bytes, name: "test.pdb"))
        }
    }

    static func message(_ bytes: [UInt8]) -> String? {
        if case .failure(let error) = open(bytes) { return error.message }
        return nil
    }

    /// Everything a debugger session asks of a PDB.
    static func exercise(_ source: PDBSymbolSource) {
        _ = source.kind
        _ = try? source.file.modules
        _ = source.symbols(matching: (try? SymbolPattern("*e*")) ?? (try! SymbolPattern("x")))
        _ = source.symbols(named: "main")
        for symbol in source.allSymbols().prefix(50) {
            _ = source.nearestSymbol(atOrBelow: symbol.rva + 1)
            _ = source.nextSymbol(after: symbol.rva)
            _ = source.symbols(at: symbol.rva)
            _ = source.sourceLine(at: symbol.rva)
            if let function = source.function(containing: symbol.rva) {
                for variable in source.variables(in: function, at: function.rva + 1) {
                    _ = source.types.name(of: variable.type)
                    _ = source.types.size(of: variable.type)
                }
            }
            if let type = symbol.typeIndex {
                _ = source.parameterList(of: type)
                _ = source.types.dtName(of: type, pointerSize: 8)
                _ = source.types.members(of: type)
            }
        }
        for name in ["Node", "structTest", "geometry::Point", "Color"] {
            if let type = source.types.lookup(name) {
                for member in source.types.members(of: type) {
                    _ = source.types.dtName(of: member.type, pointerSize: 8)
                    _ = source.types.name(of: member.type)
                }
            }
        }
        _ = source.addresses(ofLine: 100, inFile: "pdbdemo.cpp")
    }

    @Test func notAPDBIsRefusedWithAReason() {
        #expect(Self.message([]) == "the file is too small to be a PDB (0 bytes)")
        #expect(
            Self.message([UInt8](repeating: 0x41, count: 4096))?.contains("not a PDB file") == true)
        let old =
            Array("Microsoft C/C++ program database 2.00\r\n".utf8)
            + [UInt8](repeating: 0, count: 64)
        #expect(Self.message(old)?.contains("PDB 2.0") == true)
    }

    @Test func badSuperblocksAreRefusedWithAReason() throws {
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: PDBFixture.clangX64.path())))
        func patched(_ offset: Int, _ value: UInt32) -> [UInt8] {
            var bytes = good
            for index in 0..<4 {
                bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))
            }
            return bytes
        }
        #expect(Self.message(patched(32, 1000))?.contains("block size 1000") == true)
        #expect(Self.message(patched(40, 0x7fff_ffff))?.contains("do not fit") == true)
        #expect(Self.message(patched(44, 0xffff_fff0)) != nil)
        #expect(Self.message(patched(52, 0x7fff_0000))?.contains("outside the file") == true)
    }

    @Test func truncatedFilesNeverTrap() throws {
        for fixture in [PDBFixture.clangX64, .msvcCompanion] {
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.path())))
            for length in stride(from: 0, to: good.count, by: max(1, good.count / 97)) {
                if case .success(let source) = Self.open(Array(good.prefix(length))) {
                    Self.exercise(source)
                }
            }
        }
    }

    @Test func mutatedFilesNeverTrap() throws {
        var random = SplitMix64(seed: 0x5eed_f00d)
        for fixture in [PDBFixture.clangX64, .clangX86, .msvcCompanion] {
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.path())))
            for _ in 0..<25 {
                var bytes = good
                for _ in 0..<Int(random.next() % 24 + 1) {
                    let position = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes[position] = 0xff
                    default:
                        // Rewrite a whole 32-bit field: sizes, counts and block numbers.
                        for index in 0..<4 where position + index < bytes.count {
                            bytes[position + index] = UInt8(
                                truncatingIfNeeded: random.next() >> (8 * UInt64(index)))
                        }
                    }
                }
                if case .success(let source) = Self.open(bytes) { Self.exercise(source) }
            }
        }
    }
}
