import Foundation
import TestSupport
import Testing

@testable import Symbols

/// Parameters and locals in scope, against llvm-pdbutil's listing of the module symbols:
/// every procedure's own variables, and a block's variables at addresses inside the block.
@Suite struct PDBLocalsTests {
    @Test(arguments: [PDBFixture.clangX64, .clangOptimized, .clangX86, .msvcCompanion])
    func variablesInScopeMatch(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let dump = try PDBUtilDump(["dump", "-symbols", path])
        let source = try PDBSymbolSource(path: path)
        let sections = try source.file.sections
        let variableKinds: Set<String> = ["S_LOCAL", "S_REGREL32", "S_BPREL32", "S_REGISTER"]
        let scopeKinds: Set<String> = ["S_BLOCK32", "S_INLINESITE", "S_INLINESITE2", "S_THUNK32"]
        var procedure: (name: String, rva: UInt64, top: Set<String>, blocks: Set<String>)?
        // Open scopes inside the procedure: (block start RVA, size, names) or nil for others.
        var scopes: [(UInt64, UInt64, Set<String>)?] = []
        var checkedProcedures = 0
        var checkedBlocks = 0

        /// At `rva`, the procedure's own variables and the block's must be in scope, and nothing
        /// but variables of the procedure and its blocks. Code folded with another function's
        /// (identical-code folding) is named after that one and skipped.
        func check(at rva: UInt64, block: Set<String> = []) throws -> Bool {
            guard let current = procedure, let function = source.function(containing: rva),
                function.name == current.name
            else { return false }
            let names = Set(source.variables(in: function, at: rva).map(\.name))
            let context = "\(function.name) at \(String(rva, radix: 16))"
            #expect(names.isSuperset(of: current.top.union(block)), "\(context)")
            #expect(names.isSubset(of: current.top.union(current.blocks)), "\(context)")
            return true
        }

        for record in dump.records {
            if ["S_GPROC32", "S_LPROC32", "S_GPROC32_ID", "S_LPROC32_ID"].contains(record.kind) {
                guard let name = record.name, let (section, offset) = record.address(),
                    let rva = sections.rva(section: section, offset: offset)
                else { continue }
                procedure = (name, rva, [], [])
                scopes = []
                continue
            }
            guard procedure != nil else { continue }
            if variableKinds.contains(record.kind), let name = record.name {
                if scopes.isEmpty {
                    procedure?.top.insert(name)
                } else {
                    procedure?.blocks.insert(name)
                    if let last = scopes.last, let open = last {
                        scopes[scopes.count - 1] = (open.0, open.1, open.2.union([name]))
                    }
                }
            } else if record.kind == "S_BLOCK32" {
                let (section, offset) = record.address() ?? (0, 0)
                // Only blocks directly in the procedure (nested ones are checked the same way).
                if scopes.isEmpty, let rva = sections.rva(section: section, offset: offset),
                    let size = record.number(#"code size = (\d+)"#), size > 0
                {
                    scopes.append((rva, UInt64(size), []))
                } else {
                    scopes.append(nil)
                }
            } else if scopeKinds.contains(record.kind) {
                scopes.append(nil)
            } else if ["S_END", "S_PROC_ID_END", "S_INLINESITE_END"].contains(record.kind) {
                if let closed = scopes.popLast() {
                    if let block = closed, !block.2.isEmpty, try check(at: block.0, block: block.2)
                    {
                        checkedBlocks += 1
                    }
                } else if let current = procedure {
                    if !current.top.isEmpty, try check(at: current.rva) { checkedProcedures += 1 }
                    procedure = nil
                }
            }
        }
        #expect(checkedProcedures > 2)
        if fixture != .msvcCompanion { #expect(checkedBlocks > 0) }
    }

    @Test func parametersAndLocationsOfTheTestProgram() throws {
        let source = try PDBFixture.clangX64.open()
        let inspect = try #require(source.symbols(named: "inspect").first)
        let function = try #require(source.function(containing: inspect.rva))
        let variables = source.variables(in: function, at: function.rva + function.size / 2)
        #expect(variables.filter(\.isParameter).map(\.name) == ["node", "label", "where", "color"])
        // Unoptimized x64 code keeps every local in the frame, relative to rsp.
        for variable in variables {
            guard case .registerRelative(let register, _) = variable.location else {
                Issue.record("\(variable.name): \(variable.location)")
                continue
            }
            #expect(register == "rsp")
        }
        #expect(source.types.name(of: variables[0].type) == "struct Node *")
        #expect(
            source.parameterList(of: try #require(function.type))
                == "(struct Node *, wchar_t *, struct geometry::Point, enum Color)")
    }

    @Test func optimizedCodeKeepsLocalsInRegisters() throws {
        let source = try PDBFixture.clangOptimized.open()
        var registers = 0
        for symbol in source.allSymbols() where symbol.origin == .function {
            guard let function = source.function(containing: symbol.rva) else { continue }
            for variable in source.variables(in: function, at: function.rva) {
                if case .register = variable.location { registers += 1 }
            }
        }
        #expect(registers > 0)
    }
}
