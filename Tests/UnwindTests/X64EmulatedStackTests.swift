import Emulation
import Foundation
import PEFormat
import TestSupport
import Testing

@testable import Unwind

/// Runs the real code of Examples/bin/x64unwind.dll in Unicorn, records the caller's registers at
/// every call on the way, stops somewhere interesting, and checks that unwinding from there
/// recovers exactly those registers, frame by frame.
@Suite struct X64EmulatedStackTests {
    static let imageBase: UInt64 = 0x7ff6_4000_0000
    static let stackBase: UInt64 = 0x7000_0000
    static let stackSize = 4 << 20
    static let path = Corpus.projectRoot.appendingPathComponent("Examples/bin/x64unwind.dll").path

    /// What one frame must unwind to: the registers at the moment its call was made.
    struct Expected {
        var label: String
        var rip: UInt64
        var rsp: UInt64
        var gpr: [AMD64Register: UInt64]
        var xmm: [Int: UInt128]
    }

    struct Run {
        var context: RegisterContext
        var expected: [Expected]  // outermost first
        var stack: [UInt8]
        var mappedImage: [UInt8]
    }

    static func exportAddress(_ image: PEImage, _ name: String) throws -> UInt64 {
        imageBase + UInt64(try #require(try image.exports().export(named: name)).rva)
    }

    /// Executes `entry`, stopping at each site in `sites` (label, stop address, expected RIP) to
    /// record registers, then at `stop`. `frames` selects which recorded sites are still live
    /// frames at the stop.
    static func run(
        entry: String, sites: [(label: String, stopAt: String, offset: Int64, rip: String)],
        live: [String], stop: String
    ) throws -> Run {
        let image = try PEImage(contentsOfFile: path)
        let mapped = try mappedImage(image)
        let unicorn = try Unicorn()
        try unicorn.map(imageBase, size: (mapped.count + 0xFFF) & ~0xFFF, protection: .all)
        try unicorn.write(imageBase, mapped)
        try unicorn.map(stackBase, size: stackSize, protection: .all)
        let initialRSP = stackBase + UInt64(stackSize) - 0x1008
        try unicorn.write(initialRSP, [UInt8](repeating: 0, count: 8))  // return address 0: the end
        unicorn[.rsp] = initialRSP
        for (index, register) in [
            Unicorn.Register.rbx, .rbp, .rsi, .rdi, .r12, .r13, .r14, .r15,
        ].enumerated() {
            unicorn[register] = 0xC0DE_0000_0000 + UInt64(index)
        }
        for index in 0..<16 {
            unicorn.setXMM(index, UInt128(0xF00D_0000 + index) << 64 | UInt128(index))
        }

        var recorded: [String: Expected] = [:]
        var pc = try exportAddress(image, entry)
        for site in sites {
            let stopAddress = UInt64(Int64(try exportAddress(image, site.stopAt)) + site.offset)
            try unicorn.run(from: pc, until: stopAddress)
            recorded[site.label] = Expected(
                label: site.label, rip: try exportAddress(image, site.rip), rsp: unicorn[.rsp],
                gpr: snapshotGPRs(unicorn),
                xmm: Dictionary(uniqueKeysWithValues: (6..<16).map { ($0, unicorn.xmm($0)) }))
            pc = stopAddress
        }
        try unicorn.run(from: pc, until: try exportAddress(image, stop))
        var context = RegisterContext(architecture: .amd64)
        for (register, value) in snapshotGPRs(unicorn) { context[register] = value }
        for register in [AMD64Register.rax, .rcx, .rdx, .r8, .r9, .r10, .r11] {
            if let id = Unicorn.Register(rawValue: unicornID(register)) {
                context[register] = unicorn[id]
            }
        }
        context[AMD64Register.rsp] = unicorn[.rsp]
        context[AMD64Register.rip] = unicorn[.rip]
        context[AMD64Register.eflags] = unicorn[.eflags]
        for index in 0..<16 { context.xmm[index] = unicorn.xmm(index) }
        return Run(
            context: context, expected: try live.map { try #require(recorded[$0]) },
            stack: try unicorn.read(stackBase, count: stackSize), mappedImage: mapped)
    }

    static func unicornID(_ register: AMD64Register) -> Int32 {
        switch register {
        case .rax: return 35
        case .rcx: return 38
        case .rdx: return 40
        case .rbx: return 37
        case .rsp: return 44
        case .rbp: return 36
        case .rsi: return 43
        case .rdi: return 39
        case .rip: return 41
        case .eflags: return 25
        default: return 106 + Int32(register.rawValue - AMD64Register.r8.rawValue)
        }
    }

    static func snapshotGPRs(_ unicorn: Unicorn) -> [AMD64Register: UInt64] {
        var values: [AMD64Register: UInt64] = [:]
        for register in AMD64Register.nonvolatile {
            guard let id = Unicorn.Register(rawValue: unicornID(register)) else { continue }
            values[register] = unicorn[id]
        }
        return values
    }

    static func mappedImage(_ image: PEImage) throws -> [UInt8] {
        try #require(image.read(rva: 0, count: Int(image.sizeOfImage)))
    }

    /// Walks with the module described two ways: the image in the target's memory, and the file
    /// on disk (the memory then holds only the stack).
    static func walks(_ run: Run) throws -> [StackWalk] {
        let inMemory = TestMemory([(stackBase, run.stack), (imageBase, run.mappedImage)])
        let mappedImage = try PEImage(
            source: OffsetByteSource(base: imageBase, underlying: inMemory), layout: .mapped)
        let memoryModule = UnwindModule(
            base: imageBase, image: mappedImage, name: "x64unwind", useImageBytes: false)
        let fileModule = UnwindModule(
            base: imageBase, image: try PEImage(contentsOfFile: path), name: "x64unwind")
        let stackOnly = TestMemory([(stackBase, run.stack)])
        return [
            StackWalker(
                architecture: .amd64, memory: inMemory, modules: UnwindModuleList([memoryModule])
            )
            .walk(from: run.context),
            StackWalker(
                architecture: .amd64, memory: stackOnly, modules: UnwindModuleList([fileModule])
            )
            .walk(from: run.context),
        ]
    }

    static func check(_ walk: StackWalk, _ run: Run, contextFrames: Set<Int> = []) {
        let expected = Array(run.expected.reversed())
        #expect(
            walk.frames.count == expected.count + 1,
            "frames: \(walk.frames.map { String($0.instructionPointer, radix: 16) })")
        #expect(walk.stopReason == .endOfStack)
        #expect(walk.frames.first?.trust == .context)
        for (index, frame) in walk.frames.dropFirst().enumerated() where index < expected.count {
            let want = expected[index]
            #expect(frame.trust == .unwindInfo, "\(want.label)")
            #expect(frame.instructionPointer == want.rip, "\(want.label) rip")
            #expect(frame.stackPointer == want.rsp, "\(want.label) rsp")
            for (register, value) in want.gpr {
                #expect(frame.registers[register] == value, "\(want.label) \(register)")
            }
            for (index, value) in want.xmm {
                #expect(frame.registers.xmm[index] == value, "\(want.label) xmm\(index)")
            }
            #expect(
                frame.registers[AMD64Register.rax] == nil,
                "volatile registers are unknown in callers")
            #expect(frame.isContextFrame == contextFrames.contains(frame.index))
        }
        // RetAddr and the argument area link each frame to its caller.
        for (callee, caller) in zip(walk.frames, walk.frames.dropFirst()) {
            #expect(callee.returnAddress == caller.instructionPointer)
            #expect(callee.argumentsAddress == caller.stackPointer)
        }
        #expect(walk.frames.last?.returnAddress == 0)
    }

    static let mainSites: [(label: String, stopAt: String, offset: Int64, rip: String)] = [
        ("main", "ret_main", -5, "ret_main"), ("fp", "ret_fp", -5, "ret_fp"),
        ("large", "ret_large", -5, "ret_large"),
        ("huge", "ret_huge", -5, "ret_huge"), ("chained", "ret_chained", -5, "ret_chained"),
        ("push", "ret_push", -5, "ret_push"),
    ]

    /// Every unwind code on one stack: frame pointer with alloca, 16- and 32-bit allocations,
    /// near and far register and XMM saves, a chained fragment, pushes, and a leaf at the top.
    @Test func everyCodeFromALeaf() throws {
        let run = try Self.run(
            entry: "scenario_main", sites: Self.mainSites,
            live: ["main", "fp", "large", "huge", "chained", "push"],
            stop: "stop_leaf")
        for walk in try Self.walks(run) { Self.check(walk, run) }
    }

    /// Stopped halfway through fn_push's prolog: only the codes already executed are undone.
    @Test func insideAProlog() throws {
        let run = try Self.run(
            entry: "scenario_main", sites: Array(Self.mainSites.prefix(5)),
            live: ["main", "fp", "large", "huge", "chained"], stop: "stop_push_prolog")
        for walk in try Self.walks(run) { Self.check(walk, run) }
    }

    /// Stopped in fn_push's epilog after `add rsp` and one `pop`: the rest is emulated.
    @Test func insideAnEpilogWithPops() throws {
        let run = try Self.run(
            entry: "scenario_main", sites: Self.mainSites,
            live: ["main", "fp", "large", "huge", "chained"],
            stop: "stop_push_epilog")
        for walk in try Self.walks(run) { Self.check(walk, run) }
    }

    /// Stopped at fn_fp's `lea rsp, [rbp+N]` epilog.
    @Test func insideAFramePointerEpilog() throws {
        let run = try Self.run(
            entry: "scenario_main", sites: Array(Self.mainSites.prefix(3)), live: ["main"],
            stop: "stop_fp_epilog")
        for walk in try Self.walks(run) { Self.check(walk, run) }
    }

    /// Stopped at fn_fp's final `ret`, after `pop rbp` gave back the caller's rbp: only epilog
    /// detection gets this right, the prolog rules would use the wrong frame register.
    @Test func atTheReturnOfAFramePointerFunction() throws {
        let run = try Self.run(
            entry: "scenario_main", sites: Array(Self.mainSites.prefix(3)), live: ["main"],
            stop: "stop_fp_ret")
        for walk in try Self.walks(run) { Self.check(walk, run) }
    }

    /// A machine frame (interrupt with error code) between trap_handler and the interrupted
    /// function: the frame below it is a context frame at the interrupted instruction.
    @Test func throughAMachineFrame() throws {
        let run = try Self.run(
            entry: "scenario_trap",
            sites: [
                ("scenario", "ret_trap_scenario", -5, "ret_trap_scenario"),
                ("interrupted", "stop_machframe_build", 0, "interrupted_at"),
                ("trap", "ret_trap", -5, "ret_trap"),
            ], live: ["scenario", "interrupted", "trap"], stop: "stop_leaf")
        for walk in try Self.walks(run) { Self.check(walk, run, contextFrames: [0, 2]) }
    }
}

extension Unicorn {
    /// Runs from `start` until RIP reaches `until` (not executed), or throws where it stopped.
    func run(from start: UInt64, until: UInt64) throws {
        let status = self.start(at: start, until: until, instructionLimit: 100_000)
        guard status == 0, self[.rip] == until else {
            throw EmulationStop(rip: self[.rip], status: status, expected: until)
        }
    }
}

/// The emulation did not reach the address a test expected.
struct EmulationStop: Error, CustomStringConvertible {
    let rip: UInt64
    let status: Int32
    let expected: UInt64

    var description: String {
        "emulation stopped at 0x\(String(rip, radix: 16)) (status \(status)), "
            + "expected 0x\(String(expected, radix: 16))"
    }
}
