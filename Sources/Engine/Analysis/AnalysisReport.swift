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

    static func hex(_ value: UInt64) -> JSONValue { .string(JSONValue.hexAddress(value)) }

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

    /// The command line from the PEB's process parameters, when the dump holds them; on Linux
    /// the arguments the dump recorded from `/proc/PID/cmdline`, joined by spaces.
    private static func commandLine(state: DebuggerState, target: any Target) -> String? {
        if let arguments = (target as? any PlatformProcessInfo)?.platformArguments {
            return arguments.joined(separator: " ")
        }
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
