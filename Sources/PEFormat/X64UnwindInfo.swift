/// One decoded x64 unwind operation (`UNWIND_CODE`, possibly spanning 2 or 3 slots).
public struct X64UnwindCode: Sendable, Equatable {
    /// Offset from the start of the function of the end of the prolog instruction it describes.
    public var codeOffset: UInt8
    public var operation: Operation
    /// How many 16-bit slots this operation occupies (1 to 3).
    public var slotCount: Int

    public enum Operation: Sendable, Equatable {
        /// UWOP_PUSH_NONVOL: `push reg` (register number in x64 encoding order, rax = 0).
        case pushNonvolatile(register: UInt8)
        /// UWOP_ALLOC_SMALL (8 to 128 bytes) or UWOP_ALLOC_LARGE (16-bit scaled or 32-bit form).
        case allocate(size: UInt32, encoding: AllocationEncoding)
        /// UWOP_SET_FPREG: frame register = RSP + 16 * FrameOffset.
        case setFramePointer
        /// UWOP_SAVE_NONVOL / _FAR: `mov [frame + offset], reg`.
        case saveNonvolatile(register: UInt8, offset: UInt32, far: Bool)
        /// UWOP_SAVE_XMM128 / _FAR: `movaps [frame + offset], xmmN`.
        case saveXMM128(register: UInt8, offset: UInt32, far: Bool)
        /// UWOP_PUSH_MACHFRAME: the CPU pushed a machine frame (SS, RSP, RFLAGS, CS, RIP) and,
        /// when `hasErrorCode`, an error code below it.
        case pushMachineFrame(hasErrorCode: Bool)
        /// UWOP_EPILOG (version 2): one epilog descriptor; see `X64UnwindInfo.epilogs`.
        case epilog(rawOffset: UInt16, flags: UInt8)
        /// An operation this decoder does not know (UWOP_SPARE_CODE, v1 op 6...).
        case unknown(op: UInt8, info: UInt8)
    }

    public enum AllocationEncoding: Sendable, Equatable {
        case small
        case large16
        case large32
    }
}

/// A version-2 epilog location: the epilog occupies `size` bytes starting `offsetFromEnd` bytes
/// before the function's end.
public struct X64EpilogDescriptor: Sendable, Equatable {
    public var offsetFromEnd: UInt32
    public var size: UInt32
}

/// `UNWIND_INFO`: how a function's prolog changed the stack and registers, plus its exception
/// handler or the RUNTIME_FUNCTION it chains to.
public struct X64UnwindInfo: Sendable, Equatable {
    public var version: UInt8
    /// UNW_FLAG_EHANDLER (1), UNW_FLAG_UHANDLER (2), UNW_FLAG_CHAININFO (4).
    public var flags: UInt8
    public var sizeOfProlog: UInt8
    /// Number of 16-bit code slots (not operations).
    public var countOfCodes: UInt8
    /// The frame register (x64 encoding), or 0 when the function uses none.
    public var frameRegister: UInt8
    /// Scaled frame register offset: FP = RSP + 16 * frameOffset after SET_FPREG.
    public var frameOffset: UInt8
    /// Operations in table order (the reverse of the prolog's execution order), excluding the
    /// version-2 epilog descriptors, which are in `epilogs`.
    public var codes: [X64UnwindCode]
    /// Version 2 epilog locations (empty for version 1).
    public var epilogs: [X64EpilogDescriptor]
    /// With UNW_FLAG_CHAININFO: the primary function's entry whose unwind info continues this one.
    public var chainedFunction: X64RuntimeFunction?
    /// With EHANDLER/UHANDLER: RVA of the language-specific handler.
    public var exceptionHandler: UInt32?
    /// With EHANDLER/UHANDLER: RVA of the handler data that follows the handler address.
    public var handlerDataRVA: UInt32?

    public static let flagExceptionHandler: UInt8 = 1
    public static let flagTerminationHandler: UInt8 = 2
    public static let flagChainInfo: UInt8 = 4

    public var isChained: Bool { flags & Self.flagChainInfo != 0 }

    /// Bytes from the header to the end of the code array (slots rounded up to even).
    var codeAreaEnd: Int { 4 + 2 * ((Int(countOfCodes) + 1) & ~1) }

    /// Decodes an UNWIND_INFO from `bytes` (which must hold at least the header and code array;
    /// the chained entry or handler address is read when present). `infoRVA` is where it lives,
    /// for the handler data RVA.
    public init(bytes: [UInt8], infoRVA: UInt32 = 0) throws(PEError) {
        guard bytes.count >= 4 else {
            throw .truncated(what: "UNWIND_INFO", offset: UInt64(infoRVA))
        }
        version = bytes[0] & 0x7
        flags = bytes[0] >> 3
        sizeOfProlog = bytes[1]
        countOfCodes = bytes[2]
        frameRegister = bytes[3] & 0xF
        frameOffset = bytes[3] >> 4
        guard version == 1 || version == 2 else {
            throw .malformed(what: "UNWIND_INFO", detail: "unknown version \(version)")
        }
        let count = Int(countOfCodes)
        guard bytes.count >= 4 + 2 * count else {
            throw .truncated(what: "unwind codes", offset: UInt64(infoRVA) + 4)
        }
        var codes: [X64UnwindCode] = []
        var epilogs: [X64EpilogDescriptor] = []
        var firstEpilogSize: UInt32?
        var slot = 0
        func slotValue(_ index: Int) -> UInt16 { ByteReader.uint16(bytes, 4 + 2 * index) ?? 0 }
        while slot < count {
            let codeOffset = bytes[4 + 2 * slot]
            let op = bytes[5 + 2 * slot] & 0xF
            let info = bytes[5 + 2 * slot] >> 4
            let slots: Int
            let operation: X64UnwindCode.Operation
            switch op {
            case 0:
                slots = 1
                operation = .pushNonvolatile(register: info)
            case 1:
                slots = info == 0 ? 2 : 3
                guard slot + slots <= count, info <= 1 else {
                    throw .malformed(what: "unwind codes", detail: "UWOP_ALLOC_LARGE past the end")
                }
                let size =
                    info == 0
                    ? UInt32(slotValue(slot + 1)) * 8
                    : UInt32(slotValue(slot + 1)) | UInt32(slotValue(slot + 2)) << 16
                operation = .allocate(size: size, encoding: info == 0 ? .large16 : .large32)
            case 2:
                slots = 1
                operation = .allocate(size: UInt32(info) * 8 + 8, encoding: .small)
            case 3:
                slots = 1
                operation = .setFramePointer
            case 4, 5:
                slots = op == 4 ? 2 : 3
                guard slot + slots <= count else {
                    throw .malformed(what: "unwind codes", detail: "UWOP_SAVE_NONVOL past the end")
                }
                let offset =
                    op == 4
                    ? UInt32(slotValue(slot + 1)) * 8
                    : UInt32(slotValue(slot + 1)) | UInt32(slotValue(slot + 2)) << 16
                operation = .saveNonvolatile(register: info, offset: offset, far: op == 5)
            case 8, 9:
                slots = op == 8 ? 2 : 3
                guard slot + slots <= count else {
                    throw .malformed(what: "unwind codes", detail: "UWOP_SAVE_XMM128 past the end")
                }
                let offset =
                    op == 8
                    ? UInt32(slotValue(slot + 1)) * 16
                    : UInt32(slotValue(slot + 1)) | UInt32(slotValue(slot + 2)) << 16
                operation = .saveXMM128(register: info, offset: offset, far: op == 9)
            case 10:
                slots = 1
                operation = .pushMachineFrame(hasErrorCode: info != 0)
            case 6 where version == 2:
                slots = 2
                let raw = UInt16(info) << 8 | UInt16(codeOffset)
                operation = .epilog(rawOffset: raw, flags: info)
                if let size = firstEpilogSize {
                    if raw != 0 {
                        epilogs.append(X64EpilogDescriptor(offsetFromEnd: UInt32(raw), size: size))
                    }
                } else {
                    // The first descriptor gives the size of every epilog; bit 0 of its info
                    // says one epilog ends the function.
                    firstEpilogSize = UInt32(codeOffset)
                    if info & 1 != 0 {
                        epilogs.append(
                            X64EpilogDescriptor(
                                offsetFromEnd: UInt32(codeOffset), size: UInt32(codeOffset)))
                    }
                }
            default:
                // UWOP_SPARE_CODE (7) takes three slots; the legacy v1 op 6 two.
                slots = op == 7 ? 3 : 2
                operation = .unknown(op: op, info: info)
            }
            if case .epilog = operation {
                // Kept out of `codes`: they describe epilogs, not prolog effects.
            } else {
                codes.append(
                    X64UnwindCode(codeOffset: codeOffset, operation: operation, slotCount: slots))
            }
            slot += slots
        }
        self.codes = codes
        self.epilogs = epilogs
        let tail = codeAreaEnd
        if flags & Self.flagChainInfo != 0 {
            guard let chained = X64RuntimeFunction(bytes: bytes, at: tail) else {
                throw .truncated(
                    what: "chained RUNTIME_FUNCTION", offset: UInt64(infoRVA) + UInt64(tail))
            }
            chainedFunction = chained
        } else if flags & (Self.flagExceptionHandler | Self.flagTerminationHandler) != 0 {
            exceptionHandler = ByteReader.uint32(bytes, tail)
            if exceptionHandler != nil {
                handlerDataRVA = infoRVA &+ UInt32(tail + 4)
            }
        }
    }

    /// Reads the UNWIND_INFO at `rva` from an RVA-addressed source.
    public static func read(from source: any ByteSource, rva: UInt32) throws(PEError)
        -> X64UnwindInfo
    {
        guard let header = source.read(at: UInt64(rva), count: 4), header.count == 4 else {
            throw .truncated(what: "UNWIND_INFO", offset: UInt64(rva))
        }
        let codeEnd = 4 + 2 * ((Int(header[2]) + 1) & ~1)
        let flags = header[0] >> 3
        let tail = flags & flagChainInfo != 0 ? 12 : (flags & 3 != 0 ? 4 : 0)
        guard
            let bytes = source.read(at: UInt64(rva), count: codeEnd + tail)
                ?? source.read(at: UInt64(rva), count: codeEnd)
        else {
            throw .truncated(what: "unwind codes", offset: UInt64(rva) + 4)
        }
        return try X64UnwindInfo(bytes: bytes, infoRVA: rva)
    }
}

extension PEImage {
    /// The UNWIND_INFO at `rva` (usually `X64RuntimeFunction.unwindInfoAddress`).
    public func x64UnwindInfo(at rva: UInt32) throws(PEError) -> X64UnwindInfo {
        try X64UnwindInfo.read(from: rvaSource, rva: rva)
    }
}
