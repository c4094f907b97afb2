import Foundation
import Testing

@testable import Emulation

/// Console output collected from the machine's sink (called on the machine's thread).
final class ConsoleCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    func append(_ more: [UInt8]) { lock.withLock { bytes += more } }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    /// The text with Windows line ends (text-mode stdout writes CR LF) made Unix ones.
    var unixText: String { text.replacingOccurrences(of: "\r\n", with: "\n") }
}

/// A program started for a test, with its console output.
struct Launched {
    let process: EmulatedProcess
    let console: ConsoleCapture

    /// Starts a built program stopped before its first instruction, past the start-up events.
    static func start(
        _ path: String, arguments: [String] = [],
        configure: (inout ProcessOptions) -> Void = { _ in }
    ) throws -> Launched {
        let console = ConsoleCapture()
        var options = ProcessOptions()
        options.consoleOutput = { console.append($0.bytes) }
        configure(&options)
        let process = try EmulatedProcess(program: path, arguments: arguments, options: options)
        let launched = Launched(process: process, console: console)
        return launched
    }

    /// Runs past the process-created and module-load events.
    func skipStartEvents() -> DebugEvent {
        var event = process.run()
        while true {
            switch event.kind {
            case .processCreated, .moduleLoaded: event = process.run()
            default: return event
            }
        }
    }

    /// Runs to the end, answering exceptions with `status`; returns every event.
    @discardableResult
    func runToExit(
        exceptions status: ContinueStatus = .notHandled, first: ContinueStatus = .handled,
        limit: Int = 100_000
    ) -> [DebugEvent] {
        var events: [DebugEvent] = []
        var answer = first
        for _ in 0..<limit {
            let event = process.run(answer)
            events.append(event)
            if case .processExited = event.kind { break }
            if case .exception(let info) = event.kind {
                answer = info.code == NTStatus.breakpoint && info.firstChance ? .handled : status
            } else {
                answer = .handled
            }
        }
        return events
    }

    /// Runs until an event matches, answering exceptions as `runToExit` does.
    func run(until matches: (DebugEvent) -> Bool, limit: Int = 100_000) -> DebugEvent? {
        var answer = ContinueStatus.handled
        for _ in 0..<limit {
            let event = process.run(answer)
            if matches(event) { return event }
            if case .processExited = event.kind { return nil }
            answer = .handled
        }
        return nil
    }
}

extension DebugEvent.Kind {
    var exceptionInfo: ExceptionInfo? {
        if case .exception(let info) = self { return info }
        return nil
    }
}
