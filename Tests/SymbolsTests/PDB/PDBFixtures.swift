import Foundation
import TestSupport

@testable import Symbols

/// The PDBs the reader tests compare with llvm-pdbutil: the MSVC companion PDB of the corpus,
/// the three builds of the test program, and the live target's system DLLs (`Guest/bin`, built by
/// clang-cl and lld-link).
enum PDBFixture: String, CaseIterable, CustomStringConvertible, Sendable {
    case msvcCompanion
    case clangX64
    case clangOptimized
    case clangX86
    case ntdll
    case kernel32
    case msvcrt

    var description: String { rawValue }

    func path() throws -> String {
        switch self {
        case .msvcCompanion:
            let path = Corpus.companions.appendingPathComponent(
                "win-x64-win10-kdlib-allregs.targetapp.pdb"
            ).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw PDBPrograms.BuildError(description: "corpus file \(path) is missing")
            }
            return path
        case .clangX64: return try PDBPrograms.require().pdb(.x64)
        case .clangOptimized: return try PDBPrograms.require().pdb(.optimized)
        case .clangX86: return try PDBPrograms.require().pdb(.x86)
        case .ntdll, .kernel32, .msvcrt:
            let path = Corpus.projectRoot.appendingPathComponent("Guest/bin/\(rawValue).pdb").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw PDBPrograms.BuildError(description: "system DLL PDB \(path) is missing")
            }
            return path
        }
    }

    func open() throws -> PDBSymbolSource { try PDBSymbolSource(path: path()) }
}

extension PDBFile {
    /// Every record a GSI hash table lists, parsed.
    func records(of index: GlobalSymbolIndex) throws -> [SymbolRecord] {
        let stream = try symbolRecords
        return try index.allRecordOffsets.map { try stream.record(at: Int($0)).record }
    }
}
