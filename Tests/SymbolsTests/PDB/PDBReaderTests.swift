import Foundation
import TestSupport
import Testing

@testable import Symbols

/// The PDB reader against llvm-pdbutil, on an MSVC PDB and on clang-cl/lld-link PDBs: identity,
/// sections, publics, globals, procedures, lines and types must agree record for record.
@Suite struct PDBReaderTests {
    @Test(arguments: PDBFixture.allCases)
    func identityMatches(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let summary = try PDBPrograms.pdbutil(["dump", "-summary", path])
        let source = try fixture.open()
        let guid = GUIDFormat.braced(source.file.info.guid)
        #expect(summary.contains("GUID: \(guid)"))
        #expect(summary.contains("Age: \(source.file.info.age)\n"))
    }

    @Test(arguments: PDBFixture.allCases)
    func sectionsMatch(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let expected = try sectionAddresses(path)
        let sections = try PDBSymbolSource(path: path).file.sections.sections
        #expect(!expected.isEmpty)
        #expect(sections.map(\.virtualAddress) == expected)
    }

    @Test(arguments: PDBFixture.allCases)
    func publicsMatch(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let dump = try PDBUtilDump(["dump", "-publics", path])
        let expected = Set(
            dump.records("S_PUB32").compactMap { record -> String? in
                guard let name = record.name, let (section, offset) = record.address() else {
                    return nil
                }
                return "\(name) \(section):\(offset) \(record.body.contains("function"))"
            })
        let file = try PDBSymbolSource(path: path).file
        let ours = Set(
            try file.records(of: file.publics.index).compactMap { record -> String? in
                guard case .publicSymbol(let symbol) = record else { return nil }
                return "\(symbol.name) \(symbol.section):\(symbol.offset) \(symbol.isFunction)"
            })
        #expect(!expected.isEmpty)
        #expect(ours == expected)
        // The address map lists every public in address order.
        let publics = try file.publics
        #expect(publics.addressMapCount == expected.count)
    }

    @Test(arguments: PDBFixture.allCases)
    func globalsMatchAndHashLookupsFindThem(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let dump = try PDBUtilDump(["dump", "-globals", path])
        var expected = Set<String>()
        for record in dump.records {
            guard let name = record.name else { continue }
            switch record.kind {
            case "S_PROCREF", "S_LPROCREF":
                expected.insert(
                    "proc \(name) \(record.number(#"module = (\d+)"#) ?? -1) \(record.number(#"offset = (\d+)"#) ?? -1)"
                )
            case "S_GDATA32", "S_LDATA32", "S_GTHREAD32", "S_LTHREAD32":
                let (section, offset) = record.address() ?? (0, 0)
                expected.insert(
                    "data \(name) \(record.hex(#"type = (0x[0-9A-F]+)"#) ?? 0) \(section):\(offset)"
                )
            case "S_UDT":
                expected.insert("udt \(name) \(record.hex(#"original type = (0x[0-9A-F]+)"#) ?? 0)")
            case "S_CONSTANT":
                expected.insert("constant \(name)")
            default: break
            }
        }
        let source = try PDBSymbolSource(path: path)
        let file = source.file
        var ours = Set<String>()
        var names: [String] = []
        for record in try file.records(of: file.globals) {
            switch record {
            case .procedureReference(let reference):
                ours.insert(
                    "proc \(reference.name) \(reference.moduleIndex + 1) \(reference.recordOffset)")
                names.append(reference.name)
            case .data(let data):
                ours.insert("data \(data.name) \(data.typeIndex) \(data.section):\(data.offset)")
                // Linker-made absolute symbols (`__ImageBase`, `__guard_flags`) have no RVA.
                if try file.sections.rva(section: data.section, offset: data.offset) != nil {
                    names.append(data.name)
                }
            case .userDefinedType(let type, let name):
                ours.insert("udt \(name) \(type)")
            case .constant(_, _, let name):
                ours.insert("constant \(name)")
            default: break
            }
        }
        #expect(!expected.isEmpty)
        #expect(ours == expected)
        // Every function and variable is found through the globals hash table.
        for name in names {
            #expect(!source.symbols(named: name).isEmpty, "\(name) not found by name")
        }
    }

    @Test(arguments: PDBFixture.allCases)
    func proceduresMatchAndAddressesFindThem(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let dump = try PDBUtilDump(["dump", "-symbols", path])
        let source = try PDBSymbolSource(path: path)
        let sections = try source.file.sections
        var checked = 0
        var expectedByModule: [Int: Set<String>] = [:]
        for record in dump.records(
            "S_GPROC32", "S_LPROC32", "S_GPROC32_ID", "S_LPROC32_ID")
        {
            guard let name = record.name, let module = record.module,
                let (section, offset) = record.address(),
                let size = record.number(#"code size = (\d+)"#)
            else { continue }
            expectedByModule[module, default: []].insert("\(name) \(section):\(offset) \(size)")
            guard size > 0, let rva = sections.rva(section: section, offset: offset) else {
                continue
            }
            let function = try #require(source.function(containing: rva + UInt64(size) / 2))
            #expect(function.rva == rva)
            #expect(function.size == UInt64(size))
            checked += 1
        }
        #expect(checked > 0)
        for (module, expected) in expectedByModule {
            let symbols = try source.file.symbols(ofModule: module)
            let ours = Set(
                symbols.procedures.map {
                    "\($0.symbol.name) \($0.symbol.section):\($0.symbol.offset) \($0.symbol.codeSize)"
                })
            #expect(ours == expected, "module \(module)")
        }
    }

    @Test(arguments: PDBFixture.allCases)
    func linesMatch(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let entries = try lineEntries(path)
        let source = try PDBSymbolSource(path: path)
        let sections = try source.file.sections
        // Offsets listed once only (several entries at one address are ambiguous by design).
        var counts: [String: Int] = [:]
        for entry in entries { counts["\(entry.section):\(entry.offset)", default: 0] += 1 }
        var checked = 0
        for entry in entries where counts["\(entry.section):\(entry.offset)"] == 1 {
            // Folded code (/OPT:ICF) is claimed by several modules' line tables; the section
            // contributions say which module's lines describe it.
            guard entry.line != 0, entry.line < 0xf0_0000,
                let rva = sections.rva(section: entry.section, offset: entry.offset),
                source.file.module(containing: rva) == entry.module
            else { continue }
            let line = try #require(
                source.sourceLine(at: rva), "no line at \(entry.section):\(entry.offset)")
            #expect(line.line == entry.line)
            #expect(line.file == entry.file)
            checked += 1
        }
        #expect(checked > 10)
    }

    @Test(arguments: PDBFixture.allCases)
    func typesMatch(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let dump = try PDBUtilDump(["dump", "-types", path])
        let source = try PDBSymbolSource(path: path)
        let types = source.types
        var checked = 0
        for record in dump.records {
            guard let index = UInt32(record.id.dropFirst(2), radix: 16) else { continue }
            let ours = types.record(index)
            switch record.kind {
            case "LF_STRUCTURE", "LF_CLASS", "LF_UNION", "LF_INTERFACE":
                guard case .userDefined(let type)? = ours else {
                    Issue.record(
                        "\(record.id) is not a user-defined type: \(String(describing: ours))")
                    continue
                }
                #expect(type.name == record.name)
                #expect(type.uniqueName == record.field(#"unique name: `(.*)`"#))
                #expect(type.size == UInt64(record.number(#"sizeof (\d+)"#) ?? -1))
                #expect(type.isForwardReference == record.body.contains("forward ref"))
                #expect(type.fieldList == (record.hex(#"field list: (0x[0-9A-F]+)"#) ?? 0))
                if let target = record.hex(#"forward ref \(-> (0x[0-9A-F]+)\)"#) {
                    #expect(types.resolved(index) == target, "\(record.id) \(type.name)")
                }
            case "LF_ENUM":
                guard case .enumeration(let type)? = ours else {
                    Issue.record("\(record.id) is not an enum")
                    continue
                }
                #expect(type.name == record.name)
                #expect(
                    type.underlyingType == (record.hex(#"underlying type: (0x[0-9A-F]+)"#) ?? 0))
                #expect(type.fieldList == (record.hex(#"field list: (0x[0-9A-F]+)"#) ?? 0))
            case "LF_FIELDLIST":
                guard case .fieldList(let members)? = ours else {
                    Issue.record("\(record.id) is not a field list")
                    continue
                }
                #expect(
                    members.map(Self.describe) == Self.describeFields(record.body), "\(record.id)")
            case "LF_POINTER":
                guard case .pointer(let pointer)? = ours else { continue }
                #expect(pointer.referent == (record.hex(#"referent = (0x[0-9A-F]+)"#) ?? 0))
                #expect(pointer.size == (record.body.contains("kind = ptr64") ? 8 : 4))
            case "LF_ARRAY":
                guard case .array(let element, let indexType, let size, _)? = ours else { continue }
                #expect(element == (record.hex(#"element type: (0x[0-9A-F]+)"#) ?? 0))
                #expect(indexType == (record.hex(#"index type: (0x[0-9A-F]+)"#) ?? 0))
                #expect(size == UInt64(record.number(#"size: (\d+)"#) ?? -1))
            case "LF_BITFIELD":
                guard case .bitfield(let type, let length, let position)? = ours else { continue }
                #expect(type == (record.hex(#"type = (0x[0-9A-F]+)"#) ?? 0))
                #expect(Int(length) == record.number(#"# bits = (\d+)"#))
                #expect(Int(position) == record.number(#"bit offset = (\d+)"#))
            case "LF_MODIFIER":
                guard case .modifier(let type, let isConst, _)? = ours else { continue }
                #expect(type == (record.hex(#"referent = (0x[0-9A-F]+)"#) ?? 0))
                #expect(isConst == record.body.contains("const"))
            case "LF_PROCEDURE", "LF_MFUNCTION":
                guard case .procedure(let procedure)? = ours else { continue }
                #expect(procedure.returnType == (record.hex(#"return type = (0x[0-9A-F]+)"#) ?? 0))
                #expect(procedure.parameterCount == record.number(#"# args = (\d+)"#))
                #expect(procedure.argumentList == (record.hex(#"param list = (0x[0-9A-F]+)"#) ?? 0))
            default:
                continue
            }
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test(arguments: PDBFixture.allCases)
    func typeNamesAreFoundThroughTheHashTable(_ fixture: PDBFixture) throws {
        let path = try fixture.path()
        let dump = try PDBUtilDump(["dump", "-types", path])
        let source = try PDBSymbolSource(path: path)
        var checked = 0
        for record in dump.records("LF_STRUCTURE", "LF_CLASS", "LF_UNION", "LF_ENUM")
        where !record.body.contains("forward ref") {
            guard let name = record.name, !name.contains("<unnamed"), !name.contains("<lambda")
            else { continue }
            let found = try #require(source.types.lookup(name), "\(name) not found")
            guard case .userDefined(let type)? = source.types.record(found) else {
                if case .enumeration(let type)? = source.types.record(found) {
                    #expect(type.name == name)
                    #expect(!type.isForwardReference)
                }
                continue
            }
            #expect(type.name == name)
            #expect(!type.isForwardReference)
            checked += 1
        }
        #expect(checked > 3)
    }

    /// `LF_MEMBER m 0x74 8`, ... for the entries of a field list as we read them.
    static func describe(_ member: FieldMember) -> String {
        switch member {
        case .member(let name, let type, let offset, _): "member \(name) \(type) \(offset)"
        case .staticMember(let name, let type): "static \(name) \(type)"
        case .baseClass(let type, let offset): "base \(type) \(offset)"
        case .virtualBaseClass(let type, _): "vbase \(type)"
        case .enumerator(let name, let value): "enumerate \(name) \(Int64(bitPattern: value.bits))"
        case .nestedType(let name, let type): "nested \(name) \(type)"
        case .method(let name, _, _): "method \(name)"
        case .oneMethod(let name, let type, _): "onemethod \(name) \(type)"
        case .virtualFunctionTable(let type): "vfunctab \(type)"
        case .continuation(let type): "index \(type)"
        }
    }

    /// The same from llvm-pdbutil's listing of a field list.
    static func describeFields(_ body: String) -> [String] {
        var result: [String] = []
        let lines = body.split(separator: "\n").map(String.init)
        func hex(_ text: String, _ pattern: String) -> UInt32 {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                let match = regex.firstMatch(
                    in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: 1), in: text)
            else { return 0 }
            return UInt32(text[range].dropFirst(2), radix: 16) ?? 0
        }
        func string(_ text: String, _ pattern: String) -> String {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                let match = regex.firstMatch(
                    in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: 1), in: text)
            else { return "" }
            return String(text[range])
        }
        for (position, line) in lines.enumerated() {
            let next = position + 1 < lines.count ? lines[position + 1] : ""
            if line.contains("- LF_MEMBER [") {
                result.append(
                    "member \(string(line, "name = `([^`]*)`")) \(hex(line, "Type = (0x[0-9A-F]+)")) \(string(line, #"offset = (\d+)"#))"
                )
            } else if line.contains("- LF_STMEMBER [") {
                result.append(
                    "static \(string(line, "name = `([^`]*)`")) \(hex(line, "type = (0x[0-9A-F]+)"))"
                )
            } else if line.contains("- LF_BCLASS") {
                result.append(
                    "base \(hex(next, "type = (0x[0-9A-F]+)")) \(string(next, #"offset = (\d+)"#))")
            } else if line.contains("- LF_VBCLASS") || line.contains("- LF_IVBCLASS") {
                result.append("vbase \(hex(next, "base = (0x[0-9A-F]+)"))")
            } else if line.contains("- LF_ENUMERATE [") {
                result.append(
                    "enumerate \(string(line, #"\[(.*) = "#)) \(string(line, #" = (-?\d+)\]"#))")
            } else if line.contains("- LF_NESTTYPE [") {
                result.append(
                    "nested \(string(line, "name = `([^`]*)`")) \(hex(line, "parent = (0x[0-9A-F]+)"))"
                )
            } else if line.contains("- LF_METHOD [") {
                result.append("method \(string(line, "name = `([^`]*)`"))")
            } else if line.contains("- LF_ONEMETHOD [") {
                result.append(
                    "onemethod \(string(line, "name = `([^`]*)`")) \(hex(next, "type = (0x[0-9A-F]+)"))"
                )
            } else if line.contains("- LF_VFUNCTAB") {
                result.append("vfunctab \(hex(line, "type = (0x[0-9A-F]+)"))")
            } else if line.contains("- LF_INDEX") {
                result.append("index \(hex(line, "(0x[0-9A-F]+)"))")
            }
        }
        return result
    }
}

/// GUIDs as llvm-pdbutil prints them: `{B3715C7E-DE8E-48A9-8BE5-204FF5C9E3AA}`.
enum GUIDFormat {
    static func braced(_ bytes: [UInt8]) -> String {
        func hex(_ slice: ArraySlice<UInt8>) -> String {
            slice.map { String(format: "%02X", $0) }.joined()
        }
        return "{\(hex(bytes[0..<4].reversed()[...]))-\(hex(bytes[4..<6].reversed()[...]))-"
            + "\(hex(bytes[6..<8].reversed()[...]))-\(hex(bytes[8..<10]))-\(hex(bytes[10..<16]))}"
    }
}
