import DumpFormat
import Emulation
import PEFormat

/// A run of the example program up to its crash: the CPU state at the faulting instruction,
/// what it tried to access, the calls in progress, and the process's memory at that moment.
/// `minidump()` turns it into a dump.
public struct ExampleCrash: Sendable {
    public enum Access: Sendable, Equatable {
        case read, write, execute

        /// `ExceptionInformation[0]` of an access violation.
        public var exceptionParameter: UInt64 {
            switch self {
            case .read: 0
            case .write: 1
            case .execute: 8
            }
        }
    }

    /// The access violation.
    public struct Fault: Sendable, Equatable {
        /// The faulting instruction (the exception address).
        public var instructionAddress: UInt64
        /// The address the instruction tried to read, write or execute.
        public var address: UInt64
        public var access: Access
    }

    /// A range of the process's memory.
    public struct MemoryRange: Sendable, Equatable {
        public var address: UInt64
        public var bytes: [UInt8]
    }

    /// The executable as a dump's module list records it.
    public struct Module: Sendable {
        public var path: String
        public var base: UInt64
        public var size: UInt32
        public var timeDateStamp: UInt32
        public var checkSum: UInt32
        public var codeView: PEFormat.CodeViewRecord?
        public var version: FixedFileInfo?
    }

    public let process: ExampleProcess
    public let module: Module
    /// The thread's registers at the fault, named as `CPUContext` names them (`rax`, `rip`,
    /// `efl`, `cs`, `xmm0`, `mxcsr`, ...).
    public let registers: [String: UInt128]
    public let fault: Fault
    /// Calls in progress at the fault, outermost first, as the emulator saw them made.
    public let calls: [TracedCall]
    /// The thread's stack from the stack pointer at the fault up to its base.
    public let stack: MemoryRange
    /// The image, the PEB/TEB and the heap page, as they were at the fault.
    public let memory: [MemoryRange]
    /// Instructions executed from the entry point up to and including the faulting one.
    public let instructionCount: Int
    /// Every allocated region of the address space.
    let regions: [ProcessRegion]

    /// Whether the emulator (libunicorn) can be loaded, so `record` can run.
    public static var emulatorAvailable: Bool { Unicorn.isAvailable }

    /// Runs the program until the first instruction that faults, at most this many.
    public static let instructionLimit = 1_000_000

    /// Loads the x64 executable at `path` at its preferred base (or `process.imageBase`), runs it from its entry point
    /// under Unicorn until it faults, and returns the state at the fault.
    ///
    /// - Throws: `ExampleError.unicornMissing` without libunicorn; `.image` for an image the
    ///   generator cannot run; `.emulation` when the program does not end in an access violation
    ///   (it returns, runs too long, or stops on another exception).
    public static func record(executable path: String, process: ExampleProcess = .standard)
        throws(ExampleError) -> ExampleCrash
    {
        let image = try LoadedImage(path: path, loadBase: process.imageBase)
        let space = try ProcessSpace(image: image, process: process)
        let unicorn = try emulating { () throws(EmulationError) in try Unicorn() }
        try space.load(into: unicorn)

        final class RunState {
            var tracer = CallTracer()
            var invalidAccess: Unicorn.InvalidAccess?
            var instructions = 0
        }
        let state = RunState()
        try emulating { () throws(EmulationError) in
            try unicorn.onInvalidAccess {
                state.invalidAccess = $0
                return false
            }
        }
        let imageBytes = image.bytes
        let imageBase = image.base
        try emulating { () throws(EmulationError) in
            try unicorn.onInstruction(in: image.range) { [unowned unicorn] address, size in
                state.instructions += 1
                let offset = Int(address - imageBase)
                guard offset + Int(size) <= imageBytes.count else { return }
                state.tracer.observe(
                    address: address, bytes: Array(imageBytes[offset..<offset + Int(size)]),
                    rsp: unicorn[.rsp])
            }
        }

        // As Windows enters an EXE: a return address below the stack (here 0, the end of the
        // chain), rcx = PEB, gs = TEB, interrupts enabled, default x87 and SSE control words.
        unicorn[.rsp] = space.initialStackPointer
        unicorn[.rcx] = process.pebAddress
        unicorn[.gsBase] = process.tebAddress
        unicorn[.eflags] = 0x202
        unicorn[.fpcw] = 0x27F
        unicorn[.mxcsr] = 0x1F80
        let status = unicorn.start(
            at: image.entryPoint, until: 0, instructionLimit: instructionLimit)
        let rip = unicorn[.rip]

        guard let access = state.invalidAccess, status != 0 else {
            if status != 0 {
                throw .emulation(
                    "the program stopped at \(Hex.text(rip)) (\(unicorn.message(status))) "
                        + "instead of faulting on a memory access")
            }
            if rip == 0 {
                throw .emulation(
                    "the program returned from its entry point (exit code \(unicorn[.rax])) "
                        + "without crashing")
            }
            throw .emulation(
                "the program ran \(instructionLimit) instructions without crashing "
                    + "(stopped at \(Hex.text(rip)))")
        }
        let fault = Fault(
            instructionAddress: rip, address: access.address,
            access: access.kind == .write ? .write : access.kind == .fetch ? .execute : .read)

        let rsp = unicorn[.rsp]
        guard rsp <= process.stackBase, process.stackBase - rsp <= space.stackCommit else {
            throw .emulation("the stack pointer \(Hex.text(rsp)) left the stack at the fault")
        }
        let stack = MemoryRange(
            address: rsp,
            bytes: try emulating { () throws(EmulationError) in
                try unicorn.read(rsp, count: Int(process.stackBase - rsp))
            })
        var memory: [MemoryRange] = []
        for region in space.dumpedRegions {
            memory.append(
                MemoryRange(
                    address: region.base,
                    bytes: try emulating { () throws(EmulationError) in
                        try unicorn.read(region.base, count: Int(region.size))
                    }))
        }
        return ExampleCrash(
            process: process,
            module: Module(
                path: process.imagePath, base: image.base, size: image.image.sizeOfImage,
                timeDateStamp: image.image.timeDateStamp, checkSum: image.image.checkSum,
                codeView: image.codeView, version: image.version),
            registers: Self.registers(of: unicorn), fault: fault, calls: state.tracer.active,
            stack: stack, memory: memory, instructionCount: state.instructions,
            regions: space.regions)
    }

    /// The context registers at the fault.
    private static func registers(of unicorn: Unicorn) -> [String: UInt128] {
        var registers: [String: UInt128] = [:]
        let names: [(String, UnicornRegister)] = [
            ("rax", .rax), ("rbx", .rbx), ("rcx", .rcx), ("rdx", .rdx), ("rsi", .rsi),
            ("rdi", .rdi), ("rbp", .rbp), ("rsp", .rsp), ("rip", .rip), ("r8", .r8), ("r9", .r9),
            ("r10", .r10), ("r11", .r11), ("r12", .r12), ("r13", .r13), ("r14", .r14),
            ("r15", .r15), ("mxcsr", .mxcsr), ("fpcw", .fpcw), ("fpsw", .fpsw),
        ]
        for (name, register) in names { registers[name] = UInt128(unicorn[register]) }
        // The processor saves RF (resume flag, bit 16) in the flags image of a fault; Windows'
        // exception contexts show it (efl=00010246).
        registers["efl"] = UInt128(unicorn[.eflags] | 0x10000)
        // The emulator does not model segmentation; these are the selectors Windows gives every
        // x64 user-mode thread.
        for (name, value) in [("cs", 0x33), ("ss", 0x2B), ("ds", 0x2B), ("es", 0x2B)] {
            registers[name] = UInt128(value)
        }
        registers["fs"] = 0x53
        registers["gs"] = 0x2B
        for index in 0..<16 { registers["xmm\(index)"] = unicorn.xmm(index) }
        return registers
    }
}
