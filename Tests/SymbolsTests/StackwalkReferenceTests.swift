import Foundation
import TestSupport
import Testing

@testable import Symbols

/// Checks symbol lookup and STACK WIN unwinding against Breakpad's own `minidump_stackwalk`
/// output for the x86 corpus dump (`win-x86-xpsp2-breakpad-minidump2`).
@Suite(.requires(.corpus)) struct StackwalkReferenceTests {
    struct ReferenceFrame {
        var index: Int
        var module: String
        var function: String
        /// `[file : line + 0xoffset]` when the frame had source information.
        var sourceFile: String?
        var sourceLine: Int?
        /// Offset from the line start (with source) or the function start (without).
        var offset: UInt64
        var registers: [String: UInt64] = [:]
    }

    struct Reference {
        var frames: [ReferenceFrame] = []
        /// Module file name → base address.
        var moduleBases: [String: UInt64] = [:]
        /// Module file name → (debug file, debug identifier), from the `-m` output.
        var debugInfo: [String: (file: String, id: String)] = [:]
    }

    static let dumpName = "win-x86-xpsp2-breakpad-minidump2"

    static func loadReference() throws -> Reference {
        let text = try String(
            contentsOf: Corpus.companions.appendingPathComponent(
                dumpName + ".breakpad-stackwalk.out"),
            encoding: .utf8)
        var reference = Reference()
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("0x"), fields.count >= 4, fields[1] == "-",
                let base = UInt64(fields[0].dropFirst(2), radix: 16)
            {
                reference.moduleBases[String(fields[3])] = base
            } else if let index = fields.first.flatMap({ Int($0) }), fields.count >= 2 {
                // "0  test_app.exe!name [file : line + 0x3]" or "3  kernel32.dll!name + 0x23"
                let header = line.drop(while: { $0.isNumber }).drop(while: { $0 == " " })
                guard let bang = header.firstIndex(of: "!") else { continue }
                let rest = header[header.index(after: bang)...]
                var frame = ReferenceFrame(
                    index: index, module: String(header[..<bang]), function: String(rest),
                    sourceFile: nil, sourceLine: nil, offset: 0)
                if let open = rest.range(of: " [") {
                    frame.function = String(rest[..<open.lowerBound])
                    let inside = rest[open.upperBound...].dropLast()  // drop "]"
                    let parts = inside.components(separatedBy: " : ")
                    let lineAndOffset = parts.last?.components(separatedBy: " + 0x") ?? []
                    frame.sourceFile = parts.first
                    frame.sourceLine = lineAndOffset.first.flatMap { Int($0) }
                    frame.offset = lineAndOffset.last.flatMap { UInt64($0, radix: 16) } ?? 0
                } else if let plus = rest.range(of: " + 0x") {
                    frame.function = String(rest[..<plus.lowerBound])
                    frame.offset = UInt64(rest[plus.upperBound...], radix: 16) ?? 0
                }
                reference.frames.append(frame)
            } else if line.contains(" = 0x"), !reference.frames.isEmpty {
                // "eip = 0x0040429e   esp = 0x0012fe84 ..."
                let tokens = line.split(separator: " ", omittingEmptySubsequences: true)
                var position = 0
                while position + 2 < tokens.count {
                    if tokens[position + 1] == "=",
                        let value = UInt64(tokens[position + 2].dropFirst(2), radix: 16)
                    {
                        reference.frames[reference.frames.count - 1]
                            .registers[String(tokens[position])] = value
                    }
                    position += 3
                }
            }
        }
        let machine = try String(
            contentsOf: Corpus.companions.appendingPathComponent(
                dumpName + ".breakpad-stackwalk-machine-readable.out"),
            encoding: .utf8)
        for line in machine.split(separator: "\n") where line.hasPrefix("Module|") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            reference.debugInfo[String(fields[1])] = (String(fields[3]), String(fields[4]))
        }
        return reference
    }

    /// The symbol source of a module, found through the symbol path like the engine would.
    static func source(for module: String, in reference: Reference) throws -> BreakpadSymbolSource {
        let info = try #require(reference.debugInfo[module])
        let locator = SymbolFileLocator(
            path: SymbolPath(parsing: "srv*\(Corpus.symbols.path)*https://example.invalid/symbols"))
        let search = locator.locateBreakpadSymbols(debugFile: info.file, debugIdentifier: info.id)
        let path = try #require(search.foundPath, "no symbols for \(module)")
        return BreakpadSymbolSource(path: path)
    }

    @Test func referenceFileParses() throws {
        let reference = try Self.loadReference()
        #expect(reference.frames.count == 4)
        #expect(reference.moduleBases["test_app.exe"] == 0x0040_0000)
        #expect(reference.frames.allSatisfy { $0.registers["eip"] != nil })
    }

    @Test func symbolLookupGivesTheReferenceNamesAndOffsets() throws {
        let reference = try Self.loadReference()
        var sources: [String: BreakpadSymbolSource] = [:]
        for frame in reference.frames {
            let base = try #require(reference.moduleBases[frame.module])
            let source = try sources[frame.module] ?? Self.source(for: frame.module, in: reference)
            sources[frame.module] = source
            let eip = try #require(frame.registers["eip"])
            // Caller frames hold return addresses; Breakpad looks up the call instruction.
            let rva = eip - base - (frame.index > 0 ? 1 : 0)
            let match = try #require(source.nearestSymbol(atOrBelow: rva))
            #expect(match.symbol.name == frame.function, "frame \(frame.index)")
            if let file = frame.sourceFile, let lineNumber = frame.sourceLine {
                let line = try #require(source.sourceLine(at: rva), "frame \(frame.index)")
                #expect(SymbolFileLocator.fileBaseName(line.file) == file)
                #expect(line.line == lineNumber)
                #expect(eip - base - line.rva == frame.offset, "frame \(frame.index)")
            } else {
                #expect(source.sourceLine(at: rva) == nil)
                #expect(eip - base - match.symbol.rva == frame.offset, "frame \(frame.index)")
            }
        }
        #expect(sources.count == 2)
    }

    @Test func stackWinRecordsReproduceTheReferenceUnwind() throws {
        let reference = try Self.loadReference()
        let dump = try MinidumpBytes(path: Corpus.dump(Self.dumpName + ".dmp"))
        let memory = TestMemory(try dump.memoryRanges().map { ($0.start, $0.bytes) })
        var sources: [String: BreakpadSymbolSource] = [:]
        var registers = try #require(reference.frames.first?.registers)
        var calleeParameterSize: UInt32 = 0

        for (position, frame) in reference.frames.dropLast().enumerated() {
            let base = try #require(reference.moduleBases[frame.module])
            let source = try sources[frame.module] ?? Self.source(for: frame.module, in: reference)
            sources[frame.module] = source
            let eip = try #require(registers["eip"])
            let rva = eip - base - (position > 0 ? 1 : 0)
            let info = try #require(source.windowsFrameInfo(at: rva), "frame \(position)")
            let result = try StackWinEvaluator.evaluate(
                info, registers: registers, calleeParameterSize: calleeParameterSize,
                isContextFrame: position == 0, readMemory: memory.read)
            let expected = reference.frames[position + 1].registers
            for name in ["eip", "esp", "ebp"] {
                #expect(result.registers[name] == expected[name], "frame \(position + 1) \(name)")
            }
            registers = result.registers
            calleeParameterSize = try #require(source.parameterSize(at: rva))
        }
    }
}
