import CCapstone

/// One open Capstone handle and its reusable instruction buffer.
///
/// Not thread-safe (Capstone handles are not); `Disassembler` owns one behind a mutex.
final class CapstoneEngine {
    let architecture: Architecture
    private var handle: csh = 0
    private let insn: UnsafeMutablePointer<cs_insn>
    /// A second handle without instruction details: measuring lengths (for `ub`) is several
    /// times faster without them.
    private var lengthHandle: csh = 0
    private let lengthInsn: UnsafeMutablePointer<cs_insn>
    /// Register names by Capstone register id, filled lazily.
    private var registerNames: [Int: String] = [:]
    private let library: CapstoneLibrary

    init(architecture: Architecture) throws(DisassemblyError) {
        self.architecture = architecture
        let library = try CapstoneLibrary.shared()
        self.library = library
        let (arch, mode): (cs_arch, cs_mode) =
            switch architecture {
            case .x86: (CS_ARCH_X86, CS_MODE_32)
            case .x64: (CS_ARCH_X86, CS_MODE_64)
            case .arm64: (CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN)
            case .arm: (CS_ARCH_ARM, CS_MODE_ARM)
            case .thumb: (CS_ARCH_ARM, CS_MODE_THUMB)
            }
        var opened: csh = 0
        let status = library.open(arch, mode, &opened)
        guard status == CS_ERR_OK else {
            throw DisassemblyError(
                "cannot open the Capstone disassembler for \(architecture.rawValue): "
                    + (library.errorText(status).map { String(cString: $0) }
                        ?? "error \(status.rawValue)"))
        }
        let detailStatus = library.option(opened, CS_OPT_DETAIL, Int(CS_OPT_ON.rawValue))
        guard detailStatus == CS_ERR_OK, let buffer = library.malloc(opened) else {
            _ = library.close(&opened)
            throw DisassemblyError(
                "cannot configure the Capstone disassembler for \(architecture.rawValue)")
        }
        var plain: csh = 0
        guard library.open(arch, mode, &plain) == CS_ERR_OK else {
            library.free(buffer, 1)
            _ = library.close(&opened)
            throw DisassemblyError(
                "cannot open the Capstone disassembler for \(architecture.rawValue)")
        }
        guard let plainBuffer = library.malloc(plain) else {
            library.free(buffer, 1)
            _ = library.close(&opened)
            _ = library.close(&plain)
            throw DisassemblyError(
                "cannot configure the Capstone disassembler for \(architecture.rawValue)")
        }
        handle = opened
        insn = buffer
        lengthHandle = plain
        lengthInsn = plainBuffer
    }

    deinit {
        library.free(insn, 1)
        _ = library.close(&handle)
        library.free(lengthInsn, 1)
        _ = library.close(&lengthHandle)
    }

    /// The length of the valid instruction at the start of `bytes`, or nil when none decodes.
    func instructionLength(_ bytes: UnsafeRawBufferPointer, address: UInt64) -> Int? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var code: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
        var size = bytes.count
        var pc = address
        guard library.disassembleOne(lengthHandle, &code, &size, &pc, lengthInsn) else {
            return nil
        }
        let length = Int(lengthInsn.pointee.size)
        return length > 0 && length <= bytes.count ? length : nil
    }

    /// Decodes the instruction at the start of `bytes`. Nil when the bytes are not a valid
    /// instruction (or are too few for one).
    func decode(_ bytes: UnsafeRawBufferPointer, address: UInt64) -> Instruction? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var code: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
        var size = bytes.count
        var pc = address
        guard library.disassembleOne(handle, &code, &size, &pc, insn),
            xcdb_insn_has_detail(insn) != 0
        else { return nil }
        let length = Int(insn.pointee.size)
        guard length > 0, length <= bytes.count else { return nil }
        let instructionBytes = Array(bytes[0..<length])
        switch architecture {
        case .x86, .x64:
            return X86Translator(engine: self, insn: insn, bytes: instructionBytes).translate()
        case .arm64:
            return ARM64Translator(engine: self, insn: insn, bytes: instructionBytes).translate()
        case .arm, .thumb:
            return ARMTranslator(engine: self, insn: insn, bytes: instructionBytes).translate()
        }
    }

    /// The registers the instruction at the start of `bytes` reads or writes, explicit and
    /// implicit (`push ebp` also uses `esp`), each once: those named in its operands first, in
    /// the order they appear, then the implicit ones. Empty when nothing decodes.
    func accessedRegisters(_ bytes: UnsafeRawBufferPointer, address: UInt64) -> [String] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var code: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
        var size = bytes.count
        var pc = address
        guard library.disassembleOne(handle, &code, &size, &pc, insn) else { return [] }
        var read = [UInt16](repeating: 0, count: 64)
        var written = [UInt16](repeating: 0, count: 64)
        var readCount: UInt8 = 0
        var writtenCount: UInt8 = 0
        guard
            library.registersAccess(handle, insn, &read, &readCount, &written, &writtenCount)
                == CS_ERR_OK
        else { return [] }
        var names: [String] = []
        for id in read.prefix(Int(readCount)) + written.prefix(Int(writtenCount)) {
            if let name = registerName(UInt32(id)), !names.contains(name) { names.append(name) }
        }
        let text = String(cString: xcdb_insn_op_str(insn))
        let words = text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        func position(_ name: String) -> Int { words.firstIndex(of: name) ?? Int.max }
        return names.enumerated()
            .sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }
            .map(\.element)
    }

    /// The lowercase name of a Capstone register id, or nil for "no register".
    func registerName(_ id: UInt32) -> String? {
        guard id != 0 else { return nil }
        let key = Int(id)
        if let cached = registerNames[key] { return cached }
        guard let cName = library.registerName(handle, id) else { return nil }
        let name = String(cString: cName)
        registerNames[key] = name
        return name
    }

    /// Whether the current instruction belongs to a Capstone group.
    func inGroup(_ group: cs_group_type) -> Bool {
        library.inGroup(handle, insn, UInt32(group.rawValue))
    }
}
