import Foundation

extension CompiledCode {
    /// llvm-objdump's reading of raw bytes (wrapped into an ELF object by llvm-objcopy).
    static func objdumpReading(
        of bytes: [UInt8], is64Bit: Bool, base: UInt64
    ) throws -> [ObjdumpInstruction] {
        guard let objdump = Toolchain.objdump, let objcopy = Toolchain.objcopy else {
            throw Toolchain.ToolError("LLVM tools not found")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-disasm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let raw = directory.appendingPathComponent("code.bin").path
        let object = directory.appendingPathComponent("code.o").path
        try Data(bytes).write(to: URL(fileURLWithPath: raw))
        _ = try Toolchain.run(
            objcopy,
            [
                "-I", "binary", "-O", is64Bit ? "elf64-x86-64" : "elf32-i386",
                "--rename-section=.data=.text,alloc,load,readonly,code", raw, object,
            ])
        let listing = try Toolchain.run(
            objdump,
            ["-d", "--x86-asm-syntax=intel", "--adjust-vma=0x" + String(base, radix: 16), object])
        return ObjdumpInstruction.parse(listing).instructions
    }
}
