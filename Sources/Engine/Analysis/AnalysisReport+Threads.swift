import Unwind

/// The `threads` member: every thread's stack, with how each frame was found.
extension AnalysisReport {
    static func threadsValue(
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

    static func stopReasonName(_ reason: StackWalkStopReason) -> String {
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
    static func describe(_ reason: StackWalkStopReason) -> String? {
        switch reason {
        case .endOfStack, .frameLimit: nil
        case .noCaller: "no caller found (stack memory missing or no unwind data)"
        case .stackPointerNotIncreasing: "stopped: the stack pointer did not move up"
        case .loop: "stopped: a frame repeated"
        default: "the context lacks the instruction or stack pointer"
        }
    }

    static func trustName(_ trust: FrameTrust) -> String {
        switch trust {
        case .context: "context"
        case .unwindInfo: "unwind_info"
        case .callFrameInfo: "call_frame_info"
        case .framePointer: "frame_pointer"
        case .scan: "scan"
        }
    }

    static func frameValue(_ frame: StackFrame, state: DebuggerState, target: any Target)
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
}
