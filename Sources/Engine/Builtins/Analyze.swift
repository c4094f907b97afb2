import Unwind

extension Builtins {
    /// `!analyze [-v]`.
    static let analyze = Command(
        name: "!analyze",
        summary: "analyze the exception: what failed, where, and the bucket",
        usage: "!analyze [-v | -json]",
        details: [
            "Shows the exception record, what kind of fault it is (NULL or invalid pointer,",
            "fast fail, breakpoint, signal...), the faulting instruction and module, the",
            "faulting thread's stack from the exception context, and a bucket id.",
            "-json prints the whole analysis as one JSON document (docs/json-analysis.md).",
        ],
        requirements: .target,
        argument: .text
    ) { invocation in
        try AnalyzeCommand.run(invocation)
    }
}

enum AnalyzeCommand {
    static func banner(_ title: String) -> [String] {
        let stars = String(repeating: "*", count: 79)
        let padded = String(repeating: " ", count: 24) + title
        return [
            stars, "*" + String(repeating: " ", count: 77) + "*",
            "*" + padded.rightPadded(to: 77) + "*",
            "*" + String(repeating: " ", count: 77) + "*", stars,
        ]
    }

    static func run(_ invocation: CommandInvocation) throws {
        // A WOW64 exception in 32-bit code is analysed in x86 mode, whichever mode is shown.
        try invocation.state.inEventMode { try analyze(invocation) }
    }

    private static func analyze(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        let out = invocation.out
        let verbose = invocation.trimmedArguments.lowercased().hasPrefix("-v")
        if invocation.trimmedArguments.lowercased() == "-json" {
            try AnalysisReport.write(invocation)
            return
        }
        guard let event = target.lastEvent else {
            throw CommandError.message(
                "No exception or bug check is recorded in this target; nothing to analyze.")
        }
        let platform = target.system?.platform
        let pointerSize = target.machine.pointerSize
        guard let facts = CrashFacts.gather(state: state, target: target) else {
            throw CommandError.message(
                "No exception or bug check is recorded in this target; nothing to analyze.")
        }
        let faultClass = facts.faultClass
        let accessAddress = facts.accessAddress
        let registers = facts.registers
        let frames = facts.frames
        let blamed = facts.blamedFrame
        func moduleIndex(_ frame: StackFrame) -> Int? {
            state.moduleMap.index(containing: frame.lookupAddress)
        }
        let formatter = StackTraceFormatter(
            state: state, target: target, options: StackTraceOptions(suffix: "b"))

        out.line()
        out.lines(banner("Exception Analysis"))
        out.line()
        if !verbose {
            out.line("Use !analyze -v to get detailed debugging information.")
            out.line()
        }
        func field(_ name: String, _ value: String) {
            out.line("\(name):  \(value)")
            out.line()
        }
        out.line("KEY_VALUES_STRING: 1")
        out.line()
        out.line("    Key  : Analysis.Engine")
        out.line("    Value: xcdb \(XcdbVersion.number)")
        out.line()
        if let blamed, let index = moduleIndex(frames[blamed]) {
            out.line("    Key  : Failure.Module")
            out.line("    Value: \(target.modules[index].imageName)")
            out.line()
        }
        if verbose, let context = event.context {
            out.line("CONTEXT:  (.ecxr)")
            out.lines(RegisterDisplay.lines(context))
            out.line("Resetting default scope")
            out.line()
        }
        out.line("EXCEPTION_RECORD:  (.exr -1)")
        out.lines(
            ExceptionDisplay.recordLines(
                event.exception, pointerSize: pointerSize, platform: platform,
                symbolize: { state.symbols.nearestSymbol(to: $0, in: state) }))
        out.line()
        if let process = MainModule.of(state)?.imageName {
            field("PROCESS_NAME", process)
        }
        if let accessAddress {
            switch faultClass {
            case .nullPointer(let kind), .invalidPointer(let kind), .nonCanonicalAddress(let kind):
                field("\(kind.rawValue)_ADDRESS", Hex.pointer(accessAddress, size: pointerSize))
            default:
                field("ACCESS_ADDRESS", Hex.pointer(accessAddress, size: pointerSize))
            }
        }
        let code = event.exception.code
        let codeName = ExceptionNames.symbol(of: code, platform: platform)
        let codeText = codeName.map { " (\($0))" } ?? ""
        switch platform {
        case .linux?, .android?, .macOS?, .iOS?:
            field(
                "SIGNAL",
                "\(codeName ?? String(code)) (code \(Hex.digits(UInt64(event.exception.flags), width: 8)))"
            )
        default:
            field(
                "ERROR_CODE",
                "(NTSTATUS) 0x\(Hex.digits(UInt64(code), width: 8))\(codeText) - "
                    + (ErrorMessages.ntstatus[code]
                        ?? ExceptionNames.description(of: code, platform: platform)))
            field("EXCEPTION_CODE_STR", Hex.digits(UInt64(code), width: 8))
        }
        for (index, parameter) in event.exception.parameters.prefix(4).enumerated() {
            field("EXCEPTION_PARAMETER\(index + 1)", Hex.pointer(parameter, size: pointerSize))
        }
        if case .fastFail(let failCode) = faultClass {
            field("FAST_FAIL_CODE", "\(failCode) (\(FastFailCodes.name(failCode) ?? "unknown"))")
        }
        if case .nonCanonicalAddress = faultClass {
            field(
                "NON_CANONICAL_ADDRESS",
                "The address is not canonical on x64 (bits 47-63 differ): a corrupt pointer.")
        }
        if let registers {
            out.line("FAULTING_IP: ")
            out.lines(CurrentInstruction.lines(state: state, registers: registers, annotate: false))
            out.line()
        }
        if let thread = event.threadIndex, target.threads.indices.contains(thread) {
            field("FAULTING_THREAD", Hex.digits(UInt64(target.threads[thread].systemID), width: 8))
        }
        if let first = frames.first, let returnAddress = first.returnAddress, returnAddress != 0 {
            // Inferred from the documented examples: frame 0's return address and IP.
            field(
                "LAST_CONTROL_TRANSFER",
                "from \(Hex.pointer(returnAddress, size: pointerSize)) to "
                    + Hex.pointer(first.instructionPointer, size: pointerSize))
        }
        if !frames.isEmpty {
            out.line("STACK_TEXT:  ")
            for line in formatter.lines(frames).dropFirst() {
                out.line(String(line.dropFirst(3)))
            }
            out.line()
        }
        if let index = facts.blamedModule {
            let module = target.modules[index]
            if let symbolText = facts.symbolText { field("SYMBOL_NAME", symbolText) }
            field("MODULE_NAME", state.moduleMap.names[index])
            field("IMAGE_NAME", module.imageName)
            if let version = module.version {
                let (a, b, c, d) = version.fileVersion
                field("IMAGE_VERSION", "\(a).\(b).\(c).\(d)")
            }
        }
        field(
            "STACK_COMMAND",
            event.context != nil ? ".ecxr ; kb" : "~\(event.threadIndex ?? 0)s ; kb")
        let bucket = facts.bucket
        field("BUCKET_ID", bucket)
        field("FAILURE_BUCKET_ID", bucket)
        if let system = target.system {
            if system.isWindows {
                let lab = system.buildLab.map(BuildLab.init) ?? BuildLab(revision: nil, branch: nil)
                let revision = lab.revision.map { "." + $0 } ?? ""
                field(
                    "OS_VERSION",
                    "\(system.majorVersion).\(system.minorVersion).\(system.buildNumber)\(revision)"
                )
                if let branch = lab.branch { field("BUILDLAB_STR", branch) }
            }
            field("OSPLATFORM_TYPE", system.machine.cdbName)
            field("OSNAME", SystemDescription.osLine(system))
        }
        out.line("Followup:     MachineOwner")
        out.line("---------")
        out.line()
    }
}

extension TargetSystem.Platform {
    /// Linux, Android, macOS or iOS: exception codes are signals or Mach exceptions.
    var isPosix: Bool {
        switch self {
        case .linux, .android, .macOS, .iOS: true
        default: false
        }
    }
}
