import Symbols
import Unwind

/// `!analyze -json` (and `xcdb -z DUMP -json`): the whole analysis of a target as one JSON
/// document on one line. Field names and meanings are documented in docs/json-analysis.md and
/// checked against Schemas/analysis.schema.json by the tests. Keys come in a fixed order.
enum AnalysisReport {
    /// Bumped when a field changes meaning or goes away; new fields do not bump it.
    static let formatVersion: Int64 = 1
    /// Frames written per thread.
    static let framesPerThread = 64

    static func write(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        invocation.out.line(document(state: invocation.state, target: target).compactText)
    }

    /// The error document for a dump that could not be opened or analysed.
    static func errorDocument(file: String, message: String) -> JSONValue {
        .object([
            ("version", .integer(formatVersion)),
            ("generator", .string("xcdb \(XcdbVersion.number)")),
            ("file", .string(file)),
            ("error", .string(message)),
        ])
    }

    static func document(state: DebuggerState, target: any Target) -> JSONValue {
        // Symbol-loading messages become warnings rather than lines around the document.
        let collector = LineCollector()
        let hub = OutputHub(scrollbackLimit: 1)
        hub.add(collector)
        let previousOutput = state.symbols.output
        let messages = OutputWriter(hub: hub, origin: .engine, budget: nil)
        state.symbols.output = messages
        defer { state.symbols.output = previousOutput }

        let facts = CrashFacts.gather(state: state, target: target)
        var warnings = state.loadWarnings
        let threads = threadsValue(state: state, target: target, facts: facts, warnings: &warnings)
        let modules = target.modules.enumerated().map { index, module in
            moduleValue(module, name: state.moduleMap.names[index], state: state)
        }
        messages.flush()
        warnings += collector.lines.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        var members: [(String, JSONValue)] = [
            ("version", .integer(formatVersion)),
            ("generator", .string("xcdb \(XcdbVersion.number)")),
            ("file", .optional(state.dumpFilePath ?? target.displayName)),
            ("dump", dumpValue(target)),
            ("system", systemValue(target.system, machine: target.machine)),
            ("process", processValue(state: state, target: target)),
            ("exception", facts.map { exceptionValue($0, state: state, target: target) } ?? .null),
        ]
        if let facts {
            let signature = CrashSignature.make(facts: facts, state: state, target: target)
            members.append(("analysis", analysisValue(facts, state: state, target: target)))
            members.append(
                (
                    "signature",
                    .object([
                        ("text", .string(signature.text)),
                        ("hash", .string(signature.hash)),
                        ("exception", .string(signature.exception)),
                        ("frames", .array(signature.frames.map { .string($0) })),
                    ])
                ))
        } else {
            members.append(("analysis", .null))
            members.append(("signature", .null))
        }
        members.append(("threads", .array(threads)))
        members.append(("modules", .array(modules)))
        members.append(("warnings", .array(warnings.map { .string($0) })))
        return .object(members)
    }

    private static func hex(_ value: UInt64) -> JSONValue { .string(JSONValue.hexAddress(value)) }

    private static func dumpValue(_ target: any Target) -> JSONValue {
        .object([
            ("kind", .string(target.capabilities.contains(.isKernel) ? "kernel" : "user")),
            ("description", .optional(target.loadingLines.first)),
            ("machine", .string(target.machine.cdbName)),
            ("pointer_size", .integer(Int64(target.machine.pointerSize))),
        ])
    }

    private static func platformName(_ platform: TargetSystem.Platform) -> String {
        switch platform {
        case .windows: "windows"
        case .linux: "linux"
        case .macOS: "macos"
        case .iOS: "ios"
        case .android: "android"
        case .other(let name): name.isEmpty ? "other" : name
        }
    }

    private static func systemValue(_ system: TargetSystem?, machine: Machine) -> JSONValue {
        guard let system else { return .null }
        return .object([
            ("os", .string(SystemDescription.osLine(system))),
            ("platform", .string(platformName(system.platform))),
            (
                "version",
                .string("\(system.majorVersion).\(system.minorVersion).\(system.buildNumber)")
            ),
            ("build", .integer(Int64(system.buildNumber))),
            ("build_lab", .optional(system.buildLab)),
            ("service_pack", .optional(system.servicePack.isEmpty ? nil : system.servicePack)),
            ("cpu", .string(system.machine.cdbName)),
            ("processors", .integer(Int64(system.processorCount))),
        ])
    }

    private static func processValue(state: DebuggerState, target: any Target) -> JSONValue {
        let main = MainModule.of(state)
        return .object([
            ("name", .optional(main?.imageName)),
            ("id", target.processID.map { .integer(Int64($0)) } ?? .null),
            ("image", .optional(main?.path)),
            ("command_line", .optional(commandLine(state: state, target: target))),
        ])
    }

    /// The command line from the PEB's process parameters, when the dump holds them.
    private static func commandLine(state: DebuggerState, target: any Target) -> String? {
        guard target.system?.isWindows ?? true, let peb = PseudoRegisters.peb(state) else {
            return nil
        }
        let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
        guard
            let parameters = StructReader(target: target, base: peb).pointer(
                layout.processParametersOffset, layout: layout), parameters != 0
        else { return nil }
        return StructReader(target: target, base: parameters).unicodeString(
            layout.commandLineOffset, layout: layout)
    }

    private static func exceptionValue(
        _ facts: CrashFacts, state: DebuggerState, target: any Target
    )
        -> JSONValue
    {
        let record = facts.event.exception
        let platform = target.system?.platform
        var access: JSONValue = .null
        if let address = facts.accessAddress {
            var kind = "read"
            switch facts.faultClass {
            case .nullPointer(let accessKind), .invalidPointer(let accessKind),
                .nonCanonicalAddress(let accessKind):
                kind = accessKind.rawValue.lowercased()
            case .badInstructionPointer: kind = "execute"
            default: break
            }
            access = .object([("kind", .string(kind)), ("address", hex(address))])
        }
        let thread = facts.event.threadIndex
        return .object([
            ("code", .string("0x" + Hex.digits(UInt64(record.code), width: 8))),
            ("code_value", .integer(Int64(record.code))),
            ("name", .optional(ExceptionNames.symbol(of: record.code, platform: platform))),
            (
                "description",
                .string(ExceptionNames.description(of: record.code, platform: platform))
            ),
            ("flags", .integer(Int64(record.flags))),
            ("address", hex(record.address)),
            ("parameters", .array(record.parameters.map { hex($0) })),
            ("access", access),
            ("thread", thread.map { .integer(Int64($0)) } ?? .null),
            ("thread_id", .integer(Int64(facts.event.threadID))),
            ("first_chance", facts.event.firstChance.map { .bool($0) } ?? .null),
        ])
    }

    private static func analysisValue(_ facts: CrashFacts, state: DebuggerState, target: any Target)
        -> JSONValue
    {
        let module = facts.blamedModule.map { target.modules[$0] }
        let stack = facts.frames.map {
            CrashSignature.normalisedFrame($0, state: state, target: target)
        }
        return .object([
            ("failure_bucket", .string(facts.bucket)),
            ("fault_class", .string(facts.faultClass.bucketPrefix)),
            ("stack_hash", .string(CrashSignature(exception: "", frames: stack).hash)),
            ("faulting_module", .optional(module?.imageName)),
            ("faulting_symbol", .optional(facts.symbolText)),
            ("faulting_frame", facts.blamedFrame.map { .integer(Int64($0)) } ?? .null),
            ("process_name", .optional(MainModule.of(state)?.imageName)),
        ])
    }

    private static func threadsValue(
        state: DebuggerState, target: any Target, facts: CrashFacts?, warnings: inout [String]
    ) -> [JSONValue] {
        target.threads.enumerated().map { index, thread in
            let crashed = facts?.event.threadIndex == index
            var registers: RegisterSet?
            var frames: [StackFrame] = []
            var stopReason: StackWalkStopReason?
            if crashed, let facts {
                registers = facts.registers
                frames = Array(facts.frames.prefix(framesPerThread))
                stopReason = facts.stopReason
            } else if let threadRegisters = target.registers(ofThread: index) {
                registers = threadRegisters
                if let walk = StackService.walk(
                    state: state, registers: threadRegisters, maximumFrames: framesPerThread)
                {
                    frames = walk.frames
                    stopReason = walk.stopReason
                }
            }
            if registers == nil {
                warnings.append("thread \(index): no register context in the dump")
            } else if crashed, let stopReason, let why = describe(stopReason) {
                warnings.append("faulting thread's stack: \(why)")
            }
            return .object([
                ("index", .integer(Int64(index))),
                ("id", .integer(Int64(thread.systemID))),
                ("name", .optional(thread.name)),
                ("crashed", .bool(crashed)),
                (
                    "registers",
                    crashed
                        ? registers.map { set in
                            .object(set.registers.map { ($0.name, hex($0.value)) })
                        } ?? .null : .null
                ),
                ("frames", .array(frames.map { frameValue($0, state: state, target: target) })),
                ("stop_reason", .optional(stopReason.map(stopReasonName))),
            ])
        }
    }

    private static func stopReasonName(_ reason: StackWalkStopReason) -> String {
        switch reason {
        case .endOfStack: "end_of_stack"
        case .noCaller: "no_caller"
        case .stackPointerNotIncreasing: "stack_pointer_not_increasing"
        case .loop: "loop"
        case .frameLimit: "frame_limit"
        default: "incomplete_context"
        }
    }

    /// Why a walk ended early, for the warnings; nil for a normal end.
    private static func describe(_ reason: StackWalkStopReason) -> String? {
        switch reason {
        case .endOfStack, .frameLimit: nil
        case .noCaller: "no caller found (stack memory missing or no unwind data)"
        case .stackPointerNotIncreasing: "stopped: the stack pointer did not move up"
        case .loop: "stopped: a frame repeated"
        default: "the context lacks the instruction or stack pointer"
        }
    }

    private static func trustName(_ trust: FrameTrust) -> String {
        switch trust {
        case .context: "context"
        case .unwindInfo: "unwind_info"
        case .callFrameInfo: "call_frame_info"
        case .framePointer: "frame_pointer"
        case .scan: "scan"
        }
    }

    private static func frameValue(_ frame: StackFrame, state: DebuggerState, target: any Target)
        -> JSONValue
    {
        var module: JSONValue = .null
        var moduleOffset: JSONValue = .null
        var symbol: JSONValue = .null
        var symbolOffset: JSONValue = .null
        var source: JSONValue = .null
        if let index = state.moduleMap.index(containing: frame.lookupAddress) {
            let image = target.modules[index]
            let name = state.moduleMap.names[index]
            module = .string(name)
            moduleOffset = hex(frame.instructionPointer &- image.base)
            if let symbols = state.symbols.source(for: image, in: state),
                let match = symbols.nearestSymbol(atOrBelow: frame.lookupAddress - image.base)
            {
                symbol = .string("\(name)!\(match.symbol.name)")
                symbolOffset = hex(frame.instructionPointer &- image.base &- match.symbol.rva)
                if let line = symbols.sourceLine(at: frame.lookupAddress - image.base) {
                    source = .object([
                        ("file", .string(line.file)), ("line", .integer(Int64(line.line))),
                    ])
                }
            }
        }
        return .object([
            ("index", .integer(Int64(frame.index))),
            ("ip", hex(frame.instructionPointer)),
            ("sp", hex(frame.stackPointer)),
            ("module", module),
            ("module_offset", moduleOffset),
            ("symbol", symbol),
            ("symbol_offset", symbolOffset),
            ("source", source),
            ("trust", .string(trustName(frame.trust))),
        ])
    }

    private static func moduleValue(_ module: TargetModule, name: String, state: DebuggerState)
        -> JSONValue
    {
        var debug: JSONValue = .null
        switch module.debugRecord {
        case .pdb70(let pdbName, let guid, let age)?:
            let identifier = DebugIdentifier.codeView(guid: guid, age: age)
            debug = .object([
                ("kind", .string("pdb70")), ("file", .string(pdbName)),
                ("guid", .optional(identifier.map { guidText(String($0.prefix(32))) })),
                ("age", .integer(Int64(age))),
            ])
        case .pdb20(let pdbName, let signature, let age)?:
            debug = .object([
                ("kind", .string("pdb20")), ("file", .string(pdbName)),
                ("signature", .integer(Int64(signature))), ("age", .integer(Int64(age))),
            ])
        case .elfBuildID(let bytes)?:
            debug = .object([
                ("kind", .string("elf_build_id")),
                ("build_id", .string(DebugIdentifier.elfCodeIdentifier(buildID: bytes))),
            ])
        case nil: break
        }
        var version: JSONValue = .null
        if let fixed = module.version {
            let (a, b, c, d) = fixed.fileVersion
            version = .string("\(a).\(b).\(c).\(d)")
        }
        return .object([
            ("name", .string(name)),
            ("image", .string(module.imageName)),
            ("path", .string(module.path)),
            ("base", hex(module.base)),
            ("size", .unsigned(module.size)),
            ("timestamp", module.timestamp.map { .integer(Int64($0)) } ?? .null),
            ("version", version),
            ("debug", debug),
            ("debug_id", .optional(state.symbols.debugIdentifier(for: module))),
            ("symbols", .string(symbolStatus(module, state: state))),
            ("symbol_file", .optional(state.symbols.symbolFilePath(for: module))),
        ])
    }

    /// `deferred` (not needed by the analysis), `none`, `exports`, `public` or `private`.
    private static func symbolStatus(_ module: TargetModule, state: DebuggerState) -> String {
        guard state.symbols.isLoaded(module) else { return "deferred" }
        switch state.symbols.kind(of: module) {
        case .deferred?: return "deferred"
        case .exports?: return "exports"
        case .publicSymbols?: return "public"
        case .privateSymbols?: return "private"
        case .none?, nil: return "none"
        }
    }

    /// `8-4-4-4-12` from 32 hex digits.
    private static func guidText(_ digits: String) -> String {
        let characters = Array(digits)
        guard characters.count == 32 else { return digits }
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
        return groups.map { String(characters[$0]) }.joined(separator: "-")
    }
}

/// The analysis document's public face for the executables.
public enum AnalysisDocument {
    /// The version the documents carry.
    public static var formatVersion: Int64 { AnalysisReport.formatVersion }

    /// The one-line JSON error object for a dump that could not be opened or analysed:
    /// `{"version":1,"generator":...,"file":...,"error":...}`.
    public static func error(file: String, message: String) -> String {
        AnalysisReport.errorDocument(file: file, message: message).compactText
    }
}

/// Collects output lines (symbol-loading messages during `!analyze -json`).
final class LineCollector: OutputSink, @unchecked Sendable {
    // Used only from the command that created it, on the session queue.
    private(set) var lines: [String] = []

    func receive(_ event: OutputEvent) {
        lines.append(event.text)
    }
}
