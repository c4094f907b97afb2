import Foundation
import TestSupport
import Testing

/// `rF`, `rX` and `rM` on an x86 dump whose context holds x87 and SSE values. The forms are the
/// r command page's (MicrosoftDocs windows-driver-docs, debuggercmds/r--registers-.md: `rF`,
/// `rX`, `rM 0x04`, `rM 0x40`, and the `rM1ff` example); the values are read here from the
/// file by hand (thread list, first thread's CONTEXT: FloatSave at 0x1C, ExtendedRegisters at
/// 0xCC), not through xcdb's readers.
@Suite(.requires(.corpus)) struct FloatingPointRegisterTests {
    static let dumpName = "win-x86-win11-cet-xsave-noexception.dmp"

    /// The first thread's x86 CONTEXT bytes.
    static func firstThreadContext() throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Corpus.dump(dumpName))))
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16
                | Int(bytes[at + 3]) << 24
        }
        let directory = u32(12)
        for index in 0..<u32(8) {
            let entry = directory + 12 * index
            guard u32(entry) == 3 else { continue }  // ThreadListStream
            let list = u32(entry + 8)
            let context = list + 4 + 40  // the first MINIDUMP_THREAD's ThreadContext
            let size = u32(context)
            let rva = u32(context + 4)
            return Array(bytes[rva..<rva + size])
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    /// A session on the dump past its first symbol lookup (whose load message would otherwise
    /// come with the first command), and the first thread's CONTEXT bytes.
    static func openedWithContext() throws -> (DumpSession, [UInt8]) {
        let dump = DumpSession(dumpName)
        try #require(dump.isOpen)
        _ = dump.run("r")
        return (dump, try firstThreadContext())
    }

    /// CDB's x87 text for the 10 bytes at `offset`: a sign column, 22 digits, 4-digit exponent.
    static func extended(_ context: [UInt8], at offset: Int) throws -> String {
        var mantissa: UInt64 = 0
        for byte in context[offset..<offset + 8].reversed() {
            mantissa = mantissa << 8 | UInt64(byte)
        }
        let signExponent = UInt16(context[offset + 8]) | UInt16(context[offset + 9]) << 8
        let value = Float80(
            sign: signExponent & 0x8000 != 0 ? .minus : .plus,
            exponentBitPattern: UInt(signExponent & 0x7FFF),
            significandBitPattern: mantissa & 0x7FFF_FFFF_FFFF_FFFF)
        let text = String(format: "%.21Le", value)
        let parts = text.split(separator: "e")
        let exponent = try #require(Int(parts[1]))
        let shown = String(
            format: "%@e%@%04d", String(parts[0]), exponent < 0 ? "-" : "+", abs(exponent))
        return value.sign == .minus ? shown : " " + shown
    }

    @Test func rFShowsTheX87StateInTheDocumentedForm() throws {
        let (dump, context) = try Self.openedWithContext()
        let lines = dump.run("rF")
        try #require(lines.count >= 6)
        let control = Int(context[0x1C]) | Int(context[0x1D]) << 8
        #expect(lines[0].hasPrefix(String(format: "fpcw=%04X: ", control)))
        #expect(
            lines[0].range(
                of:
                    #"^fpcw=[0-9A-F]{4}: r[ndu z] (24|53|64) [p-][u-][o-][z-][d-][i-]  fpsw=[0-9A-F]{4}: top=[0-7] cc=[01]{4} [e-][s-][p-][u-][o-][z-][d-][i-]  fptw=[0-9A-F]{4}$"#,
                options: .regularExpression) != nil, "\(lines[0])")
        #expect(
            lines[1].range(
                of:
                    #"^fopcode=[0-9a-f]{4}  fpip=[0-9a-f]{4}:[0-9a-f]{8}  fpdp=[0-9a-f]{4}:[0-9a-f]{8}$"#,
                options: .regularExpression) != nil, "\(lines[1])")
        // RegisterArea (FloatSave + 28): ST0..ST7, 10 bytes each.
        for pair in stride(from: 0, to: 8, by: 2) {
            let first = try Self.extended(context, at: 0x1C + 28 + 10 * pair)
            let second = try Self.extended(context, at: 0x1C + 28 + 10 * (pair + 1))
            #expect(lines[2 + pair / 2] == "st\(pair)=\(first)  st\(pair + 1)=\(second)")
        }
        // The stop display's symbol and instruction lines follow, as for `r`.
        #expect(Array(lines.suffix(2)) == Array(dump.run("r").suffix(2)))
        #expect(dump.run("rM 0x04") == lines)
    }

    @Test func rXShowsFourLanesPerRegisterHighestFirst() throws {
        let (dump, context) = try Self.openedWithContext()
        let lines = dump.run("rX")
        for register in 0..<8 {
            // ExtendedRegisters (0xCC) is an FXSAVE image: XMM0 at +160.
            let base = 0xCC + 160 + 16 * register
            let lanes = try (0..<4).reversed().map { lane -> String in
                var bits: UInt32 = 0
                for byte in context[(base + 4 * lane)..<(base + 4 * lane + 4)].reversed() {
                    bits = bits << 8 | UInt32(byte)
                }
                let value = Float(bitPattern: bits)
                if value == 0 { return value.sign == .minus ? "-0" : "0" }
                // Microsoft's C runtime prints at least three exponent digits.
                let text = String(format: "%g", Double(value))
                guard let e = text.firstIndex(of: "e") else { return text }
                let exponent = try #require(Int(text[text.index(after: e)...]))
                return String(text[..<e])
                    + String(format: "e%@%03d", exponent < 0 ? "-" : "+", abs(exponent))
            }
            #expect(lines[register] == "xmm\(register)=" + lanes.joined(separator: " "))
        }
        #expect(dump.run("rM 0x40") == lines)
    }

    @Test func rMCombinesGroupsAndRefusesWhatItCannotShow() throws {
        let (dump, _) = try Self.openedWithContext()
        let all = dump.run("rM 0x7e")
        let registers = dump.run("r")
        let instruction = Array(registers.suffix(2))
        #expect(Array(all.prefix(registers.count - 2)) == Array(registers.dropLast(2)))
        #expect(all.contains { $0.hasPrefix("fpcw=") })
        #expect(all.contains { $0.hasPrefix("mm0=") && $0.contains("  mm1=") })
        #expect(all.contains { $0.hasPrefix("xmm7=") })
        // Debug registers only where the context saved them (`r dr0` shows one).
        let hasDebugRegisters = dump.run("r dr0").first?.hasPrefix("dr0=") == true
        #expect(all.contains { $0.hasPrefix("dr0=") } == hasDebugRegisters)
        #expect(Array(all.suffix(2)) == instruction)
        #expect(dump.run("r.").count == 1)
    }

    // The r page's `r xmm0` example: `xmm0=           0 1.05612e-038 ...`, each lane twelve
    // wide; x87 registers as `rF` shows them; names past the context's registers are refused.
    @Test func singleFloatingPointRegistersByName() throws {
        let (dump, _) = try Self.openedWithContext()
        let sse = dump.run("rX")
        let lanes = try #require(sse.first { $0.hasPrefix("xmm7=") }).dropFirst(5)
            .split(separator: " ")
        let padded = lanes.map { String(repeating: " ", count: max(0, 12 - $0.count)) + $0 }
        #expect(dump.run("r xmm7") == ["xmm7=" + padded.joined(separator: " ")])
        let stack = dump.run("rF")[2...5].flatMap { $0.components(separatedBy: "  st") }
        let st6 = try #require(stack.first { $0.hasPrefix("6=") || $0.hasPrefix("st6=") })
        #expect(dump.run("r st6") == ["st6=" + st6.drop { $0 != "=" }.dropFirst()])
        #expect(dump.run("r mxcsr").first?.hasPrefix("mxcsr=") == true)
        #expect(dump.run("r xmm8").last?.contains("Bad register error") == true)
    }

    // The r page: `rY` shows the AVX YMM registers (M 0x200), `rYI` them as integers
    // (M 0x400); it shows no output, so the lanes (eight singles, highest first, as `rX`) and
    // the integer words (four 64-bit, highest first) are inferred. The upper halves come from
    // the XSAVE area after the CONTEXT (CONTEXT_EX's XState offset; AVX 64 bytes after the
    // XSAVE header), the lower halves are the XMM registers.
    @Test func rYShowsTheYmmRegistersFromTheXsaveArea() throws {
        let (dump, context) = try Self.openedWithContext()
        func u64(_ at: Int) -> UInt64 {
            context[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        let contextEx = 0x2CC
        let xstateOffset = Int(Int32(truncatingIfNeeded: u64(contextEx + 16)))
        let xsave = contextEx + xstateOffset
        let avxInUse = u64(xsave) & 0x4 != 0
        let integers = dump.run("rYI")
        for register in 0..<8 {
            let xmm = 0xCC + 160 + 16 * register
            let high = xsave + 64 + 16 * register
            let words = [
                avxInUse ? u64(high + 8) : 0, avxInUse ? u64(high) : 0, u64(xmm + 8), u64(xmm),
            ]
            let expected = words.map {
                let digits = String($0, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }
            #expect(integers[register] == "ymm\(register)=" + expected.joined(separator: " "))
        }
        #expect(dump.run("rM 0x400") == integers)
        // rY: the XMM half's lanes are `rX`'s; the upper half's follow the same rule.
        let singles = dump.run("rY")
        let sse = dump.run("rX")
        for register in 0..<8 {
            let lanes = singles[register].dropFirst("ymm\(register)=".count)
                .split(separator: " ")
            try #require(lanes.count == 8)
            #expect("xmm\(register)=" + lanes.suffix(4).joined(separator: " ") == sse[register])
        }
        #expect(dump.run("r ymm7").first?.hasPrefix("ymm7=") == true)
        // A context without an XSAVE area says so.
        let old = DumpSession("win-x86-win7-null-read-av.dmp", symbols: false)
        #expect(old.run("rY").first == "This context has no AVX (YMM) state.")
    }
}
