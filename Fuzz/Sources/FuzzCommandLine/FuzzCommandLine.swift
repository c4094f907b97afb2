import Engine
import Foundation

/// libFuzzer entry point: drive a fresh session on a corpus dump with command lines, as the
/// console, a read-write participant and a read-only participant, with no terminal.
///
/// Input forms:
/// * text (the first byte is printable): one command line per input line. `@ro LINE` and
///   `@rw LINE` run as a read-only / read-write participant, `@sN LINE` adds a line to script N
///   (0-3; `%sN` in a command names its file), `@dN` picks dump N. Regression seeds are text.
/// * bytes (anything else): choices for `CommandGrammar`, which writes the scripts and lines.
///
/// Besides crashes, traps and timeouts, the harness stops (a finding) when a read-only line
/// changed the session, or a participant's line ended the debugger without saying `qq`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let environment = FuzzEnvironment.shared
    let plan: FuzzPlan
    if let first = bytes.first, first == 0x0A || first == 0x09 || (0x20..<0x7F).contains(first) {
        plan = FuzzPlan(text: String(decoding: bytes, as: UTF8.self), environment: environment)
    } else {
        plan = FuzzPlan(choices: Choices(bytes.dropFirst()), environment: environment)
    }
    plan.run(in: environment)
    return 0
}

/// Who runs a line.
enum FuzzRunner {
    case console, readWrite, readOnly

    var source: CommandSource {
        switch self {
        case .console: .console
        case .readWrite:
            CommandSource(
                .remote(
                    RemoteParticipant(
                        id: 1, user: "rw", host: "fuzz", style: .debuggerServer, readOnly: false)))
        case .readOnly:
            CommandSource(
                .remote(
                    RemoteParticipant(
                        id: 2, user: "ro", host: "fuzz", style: .remoteExe, readOnly: true)))
        }
    }
}

/// One input: a dump, scripts, and lines with who runs them.
struct FuzzPlan {
    static let maximumLines = 12
    /// Time one line may take, and one input in all: lines that would run for ever (`dd 0
    /// L?ffffffffffffffff`) are common, and the budget's time limit ends them.
    static let lineTime = Duration.milliseconds(100)
    static let inputTime = Duration.milliseconds(400)

    var dump = 0
    var scripts: [[String]] = Array(repeating: [], count: FuzzEnvironment.scriptCount)
    var lines: [(FuzzRunner, String)] = []

    init(text: String, environment: FuzzEnvironment) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            for index in 0..<FuzzEnvironment.scriptCount {
                line = line.replacingOccurrences(
                    of: "%s\(index)", with: environment.scriptPath(index))
            }
            if line.hasPrefix("@d"), let index = Int(line.dropFirst(2)) {
                dump = max(0, index)
            } else if line.hasPrefix("@s"), let digit = line.dropFirst(2).first?.wholeNumberValue,
                digit < FuzzEnvironment.scriptCount
            {
                scripts[digit].append(String(line.dropFirst(3).drop { $0 == " " }))
            } else if line.hasPrefix("@ro ") {
                lines.append((.readOnly, String(line.dropFirst(4))))
            } else if line.hasPrefix("@rw ") {
                lines.append((.readWrite, String(line.dropFirst(4))))
            } else {
                lines.append((.console, line))
            }
        }
    }

    init(choices: Choices, environment: FuzzEnvironment) {
        var choices = choices
        let grammar = CommandGrammar(
            names: environment.names,
            scriptPaths: (0..<FuzzEnvironment.scriptCount).map(environment.scriptPath))
        dump = choices.byte()
        for index in 0..<FuzzEnvironment.scriptCount where choices.chance(2) {
            scripts[index] = (0...choices.below(4)).map { _ in grammar.line(&choices) }
        }
        repeat {
            let runner = choices.pick([FuzzRunner.console, .readWrite, .readOnly, .readOnly])
            lines.append((runner, grammar.line(&choices)))
        } while !choices.isExhausted && lines.count < Self.maximumLines
    }

    func run(in environment: FuzzEnvironment) {
        let opening = ContinuousClock.now
        environment.prepare(scripts: scripts)
        let session = environment.session(dump: dump)
        if environment.verbose {
            FileHandle.standardError.write(
                Data("\(ContinuousClock.now - opening) opening dump \(dump)\n".utf8))
        }
        let scriptsSayQQ = scripts.joined().contains { $0.lowercased().contains("qq") }
        let deadline = ContinuousClock.now + Self.inputTime
        for (runner, line) in lines.prefix(Self.maximumLines) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return }
            session.limits.timeLimit = min(left, Self.lineTime)
            let before = SessionFacts(session)
            let started = ContinuousClock.now
            let outcome = session.execute(line, from: runner.source)
            if environment.verbose {
                FileHandle.standardError.write(
                    Data("\(ContinuousClock.now - started) \(runner) \(line.prefix(120))\n".utf8))
            }
            switch runner {
            case .readOnly:
                let after = SessionFacts(session)
                if after != before {
                    fatalError("read-only line changed the session: \(line)\n\(before)\n\(after)")
                }
                if outcome == .quit { fatalError("read-only line ended the debugger: \(line)") }
            case .readWrite:
                if outcome == .quit, !line.lowercased().contains("qq"), !scriptsSayQQ {
                    fatalError("participant line ended the debugger without qq: \(line)")
                }
            case .console:
                break
            }
            if outcome == .quit { return }
        }
    }
}

/// What a read-only participant must never change.
struct SessionFacts: Equatable, CustomStringConvertible {
    var target: ObjectIdentifier?
    var currentThread: Int
    var currentFrame: Int
    var contextOverride: RegisterSet?
    var radix: Int
    var symbolPath: String
    var sourceLines: Bool
    var logPath: String?
    var pseudoRegisters: [UInt64]
    var quitRequested: Bool
    var bannerPending: Bool
    var symbolGeneration: Int

    init(_ session: Session) {
        (
            target, currentThread, currentFrame, contextOverride, radix, symbolPath, sourceLines,
            logPath, pseudoRegisters, quitRequested, bannerPending, symbolGeneration
        ) = session.withState { state in
            (
                state.target.map { ObjectIdentifier($0) }, state.currentThread,
                state.currentFrame, state.contextOverride, state.radix, state.symbolPath,
                state.sourceLines, state.log?.file.path, state.userPseudoRegisters,
                state.quitRequested, state.bannerPending, state.symbols.generation
            )
        }
    }

    var description: String {
        "thread \(currentThread) frame \(currentFrame) radix \(radix) path \(symbolPath) "
            + "lines \(sourceLines) log \(logPath ?? "-") quit \(quitRequested) "
            + "banner \(bannerPending) symbols \(symbolGeneration) context \(contextOverride != nil)"
    }
}
