import Synchronization

/// Decodes machine code for one architecture and renders it the way CDB prints it.
///
/// Thread safety: Capstone handles are not thread-safe, so each `Disassembler` keeps its handle
/// behind a mutex. The type is `Sendable`: any thread may call it, and calls run one at a time.
/// The symbolizer and memory closures are called synchronously during the call they are passed
/// to, on the calling thread, without the lock held (so they may use another `Disassembler`,
/// or this one).
public final class Disassembler: Sendable {
    /// The architecture this disassembler decodes.
    public let architecture: Architecture
    private let engine: Mutex<CapstoneEngine>

    /// Capstone 4 is not thread-safe even across handles: its x86 tables are sorted lazily on
    /// first use, process-wide, so two handles decoding at once can read a half-sorted table
    /// (seen as `repne scas [rdi]` losing its `byte ptr`). Every call into Capstone holds this
    /// process-wide lock as well as the handle's own.
    private static let library = Mutex(())

    /// Opens a disassembler. Fails only if the Capstone library cannot be set up.
    public init(architecture: Architecture) throws(DisassemblyError) {
        self.architecture = architecture
        let engine = try Self.library.withLock { _ throws(DisassemblyError) in
            try CapstoneEngine(architecture: architecture)
        }
        self.engine = Mutex(engine)
    }

    /// Decodes the single instruction at the start of `bytes`. Bytes that do not decode give an
    /// `.invalid` instruction one alignment unit long (one byte on x86); an empty array gives
    /// an `.unreadable` one.
    public func decode(
        _ bytes: [UInt8], at address: UInt64, symbolizer: Symbolizer? = nil
    ) -> Instruction {
        let raw = decodeRaw(bytes, at: address, limit: 1)
        guard let first = raw.first else {
            return Instruction.unreadable(architecture, address: address)
        }
        return formatted(first, symbolizer: symbolizer)
    }

    /// Decodes instructions one after another from `bytes`, which start at `address`.
    /// Stops after `count` instructions, when the next instruction would pass `maxBytes`, or
    /// at the end of `bytes`. Undecodable bytes become `???` instructions and decoding goes on
    /// after them, as CDB's `u` does.
    public func disassemble(
        bytes: [UInt8], address: UInt64, count: Int? = nil, maxBytes: Int? = nil,
        symbolizer: Symbolizer? = nil
    ) -> [Instruction] {
        let limitBytes = min(bytes.count, max(0, maxBytes ?? bytes.count))
        let slice = Array(bytes.prefix(limitBytes))
        return decodeRaw(slice, at: address, limit: count.map { max(0, $0) } ?? Int.max)
            .map { formatted($0, symbolizer: symbolizer) }
    }

    /// Decodes without symbolizing operands (the lock is held only here).
    func decodeRaw(_ bytes: [UInt8], at address: UInt64, limit: Int) -> [Instruction] {
        guard !bytes.isEmpty, limit > 0 else { return [] }
        let architecture = self.architecture
        return Self.library.withLock { _ in
            engine.withLock { engine in
                var result: [Instruction] = []
                bytes.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count, result.count < limit {
                        let pc = (address &+ UInt64(offset)) & architecture.addressMask
                        let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                        let instruction =
                            engine.decode(rest, address: pc)
                            ?? Instruction.invalid(
                                architecture, address: pc,
                                bytes: Array(rest.prefix(architecture.instructionAlignment)))
                        result.append(instruction)
                        offset += instruction.length
                    }
                }
                return result
            }
        }
    }

    /// The registers the instruction at the start of `bytes` reads or writes (`r.`), in
    /// Capstone's lower-case names: operand registers in operand order, then implicit ones.
    public func registersAccessed(_ bytes: [UInt8], at address: UInt64) -> [String] {
        let pc = address & architecture.addressMask
        return Self.library.withLock { _ in
            engine.withLock { engine in
                bytes.withUnsafeBytes { engine.accessedRegisters($0, address: pc) }
            }
        }
    }

    /// The length of a valid instruction at every `step`-th offset of `bytes` (0 where none
    /// decodes), holding the lock once. An instruction may not run past the end of `bytes`.
    func instructionLengths(_ bytes: [UInt8], at address: UInt64, step: Int) -> [Int] {
        let architecture = self.architecture
        let maxLength = architecture.maximumInstructionLength
        return Self.library.withLock { _ in
            engine.withLock { engine in
                var lengths = [Int](repeating: 0, count: bytes.count)
                bytes.withUnsafeBytes { buffer in
                    for offset in stride(from: 0, to: buffer.count, by: max(1, step)) {
                        let end = min(buffer.count, offset + maxLength)
                        let pc = (address &+ UInt64(offset)) & architecture.addressMask
                        lengths[offset] =
                            engine.instructionLength(
                                UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), address: pc)
                            ?? 0
                    }
                }
                return lengths
            }
        }
    }

    /// Lengths of consecutive instructions from the start of `bytes` until one is invalid or
    /// the bytes end.
    func sequentialLengths(_ bytes: [UInt8], at address: UInt64) -> [Int] {
        let architecture = self.architecture
        return Self.library.withLock { _ in
            engine.withLock { engine in
                var lengths: [Int] = []
                bytes.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count {
                        let pc = (address &+ UInt64(offset)) & architecture.addressMask
                        guard
                            let length = engine.instructionLength(
                                UnsafeRawBufferPointer(rebasing: buffer[offset...]), address: pc)
                        else { break }
                        lengths.append(length)
                        offset += length
                    }
                }
                return lengths
            }
        }
    }

    /// Fills in the operand text, symbolizing addresses.
    func formatted(_ instruction: Instruction, symbolizer: Symbolizer?) -> Instruction {
        var copy = instruction
        copy.operands = OperandFormatter.text(
            for: instruction.operandList, architecture: architecture, symbolizer: symbolizer)
        return copy
    }
}

/// Chooses the operand formatter for the architecture.
enum OperandFormatter {
    static func text(
        for operands: [Operand], architecture: Architecture, symbolizer: Symbolizer?
    ) -> String {
        if architecture.isX86Family {
            return X86OperandFormatter(architecture: architecture, symbolizer: symbolizer)
                .format(operands)
        }
        var text = ""
        for (position, operand) in operands.enumerated() {
            if position > 0 { text += "," }
            switch operand {
            case .branchTarget(let target):
                let address = CDBText.address(target, is64Bit: architecture.is64Bit)
                if let name = symbolizer?(target) {
                    text += "\(name) (\(address))"
                } else {
                    text += address
                }
            case .text(let piece):
                text += piece
            case .register(let name):
                text += name
            case .immediate(let value, _, _):
                text += "#0x" + CDBText.hex(value, digits: 1)
            case .memory, .farPointer:
                break
            }
        }
        return text
    }
}
