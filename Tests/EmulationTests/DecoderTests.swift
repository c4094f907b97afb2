import Disassembly
import Foundation
import PEFormat
import TestSupport
import Testing

@testable import Emulation

/// The machine's small x86-64 decoder against Capstone on real code: every instruction of the
/// example images' and the system DLLs' executable sections has the same length.
@Suite struct DecoderTests {
    static func code(_ path: String) throws -> [(UInt64, [UInt8])] {
        let image = try PEImage(contentsOfFile: path)
        return image.sections.filter(\.isExecutable).compactMap { section in
            guard
                let bytes = image.read(
                    rva: section.virtualAddress, count: Int(section.virtualExtent))
            else { return nil }
            return (image.imageBase + UInt64(section.virtualAddress), bytes)
        }
    }

    @Test func lengthsMatchCapstone() throws {
        let disassembler = try Disassembler(architecture: .x64)
        var paths = ["crashdemo.exe", "x64unwind.dll", "exports-x64.dll", "importer-x64.dll"].map {
            Corpus.projectRoot.appendingPathComponent("Examples/bin/" + $0).path
        }
        if let dlls = try? GuestSystem.dlls() {
            paths += ["ntdll.dll", "kernel32.dll", "msvcrt.dll"].map { dlls + "/" + $0 }
        }
        var checked = 0
        for path in paths {
            for (address, bytes) in try Self.code(path) {
                var offset = 0
                while offset < bytes.count {
                    let window = Array(bytes[offset..<min(bytes.count, offset + 15)])
                    let reference = disassembler.decode(window, at: address + UInt64(offset))
                    guard reference.isValid else {
                        offset += 1
                        continue
                    }
                    let ours = InstructionDecoder.decode(window)
                    #expect(
                        ours?.length == reference.length,
                        "\(path) at 0x\(String(address + UInt64(offset), radix: 16)): \(reference.mnemonic) \(reference.operands)"
                    )
                    if ours?.length != reference.length { return }
                    offset += reference.length
                    checked += 1
                }
            }
        }
        #expect(checked > 5000)
    }

    @Test func memoryAccessKinds() {
        func access(_ bytes: [UInt8]) -> DecodedInstruction.Access? {
            InstructionDecoder.decode(bytes)?.memory?.access
        }
        #expect(access([0x48, 0x89, 0x01]) == .write)  // mov [rcx], rax
        #expect(access([0x48, 0x8B, 0x01]) == .read)  // mov rax, [rcx]
        #expect(access([0x48, 0x01, 0x01]) == .readWrite)  // add [rcx], rax
        #expect(access([0x48, 0x39, 0x01]) == .read)  // cmp [rcx], rax
        #expect(access([0xC7, 0x01, 1, 0, 0, 0]) == .write)  // mov dword [rcx], 1
        #expect(access([0x0F, 0x29, 0x01]) == .write)  // movaps [rcx], xmm0
        #expect(access([0x48, 0x8D, 0x01]) == .read)  // lea (no access, reported read)
        let push = InstructionDecoder.decode([0x50])
        #expect(push?.implicit == [.push])
        #expect(InstructionDecoder.decode([0xF3, 0x48, 0xA5])?.implicit == [.moveString])
        #expect(
            InstructionDecoder.decode([0x65, 0x48, 0x8B, 0x04, 0x25, 0x30, 0, 0, 0])?.memory?
                .segment == .gs)
    }

    @Test func privilegedInstructions() {
        #expect(Executive.isPrivileged([0xF4]))
        #expect(Executive.isPrivileged([0xFA]))
        #expect(Executive.isPrivileged([0x0F, 0x20, 0xC0]))
        #expect(Executive.isPrivileged([0x0F, 0x01, 0x38]))  // invlpg [rax]
        #expect(!Executive.isPrivileged([0x90]))
        #expect(!Executive.isPrivileged([0x0F, 0x31]))
    }
}
