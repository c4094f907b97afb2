import Emulation
import Engine
import PEFormat
import Synchronization

/// A simulated Windows process as the engine's target: the adapter between `EmulatedProcess`
/// (which knows nothing of the engine) and the engine's protocols. It reads like a dump and
/// adds what a dump cannot do: run (`ExecutionControl`), change memory (`MemoryWriting`) and
/// registers (`RegisterWriting`).
///
/// Thread numbers are indexes into the process's thread list, which holds every thread ever
/// created in creation order, so a number never changes or comes back while the session lasts
/// (CDB's rule); ended threads are marked and `~` leaves them out.
///
/// Like every target it is used only on the session's queue; the emulator runs on that queue
/// too (inside `run`), and only `breakRequest` and the output forwarder cross threads.
public final class LiveProcessTarget: Target, ExecutionControl, MemoryWriting, RegisterWriting {
    private let process: EmulatedProcess
    private let output: ProgramOutputForwarder
    /// The exception the last event stopped in (`.exr -1`, `.ecxr`, `!analyze`).
    private var lastException: TargetEvent?
    private var debugRecords: [String: ModuleDebugRecord?] = [:]
    private var killed = false

    /// Starts `program` (a host path) with `arguments`, stopped before its first instruction.
    public init(program: String, arguments: [String], options: ProcessOptions) throws {
        let output = ProgramOutputForwarder()
        var options = options
        options.consoleOutput = { chunk in output.forward(chunk.bytes) }
        self.output = output
        process = try EmulatedProcess(program: program, arguments: arguments, options: options)
    }

    /// Whether the emulator library can be loaded on this machine.
    public static var emulatorAvailable: Bool { EmulatedProcess.emulatorAvailable }

    // MARK: Target

    public var machine: Machine { .amd64 }
    public var capabilities: TargetCapabilities { [.canExecute, .canWriteMemory] }
    public var displayName: String { process.programPath }
    public var processID: UInt32? { process.processID }
    public var entryPoint: UInt64? { process.entryPoint }

    public func readMemory(at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        process.readMemory(at: address, into: buffer)
    }

    public func memoryRanges() -> [Range<UInt64>] {
        process.regions.filter { $0.state == 0x1000 && $0.size > 0 }.map { $0.base..<$0.end }
    }

    public var system: TargetSystem? { nil }

    public var threads: [TargetThread] {
        let now = process.clock
        let final = killed ? nil : process.finalThreadID
        return process.threads.map { thread in
            // CDB counts the debugger's own suspension of a stopped process: `Suspend: 1`.
            TargetThread(
                systemID: thread.id, teb: thread.teb, suspendCount: thread.suspendCount + 1,
                isFrozen: thread.frozen, name: thread.name, stack: thread.stack,
                hasExited: thread.state == .terminated && thread.id != final,
                // The machine's clock counts 1 ns per instruction; system calls take no time.
                times: ThreadTimes(
                    user: thread.instructions / 100, kernel: 0,
                    elapsed: (now &- thread.createdAt) / 100))
        }
    }

    public func registers(ofThread index: Int) -> RegisterSet? {
        let threads = process.threads
        guard threads.indices.contains(index), !killed,
            let context = process.context(ofThread: threads[index].id)
        else { return nil }
        return LiveRegisters.registerSet(context)
    }

    public var modules: [TargetModule] {
        process.modules.sorted { $0.base < $1.base }.map { module($0) }
    }

    public var lastEvent: TargetEvent? { lastException }

    public func contextRecord(at address: UInt64) -> RegisterSet? {
        let bytes = process.readMemory(at: address, count: 0x4D0)
        return LiveRegisters.registerSet(contextRecord: bytes)
    }

    public var memoryRegions: [MemoryRegion]? {
        process.regions.map {
            MemoryRegion(
                base: $0.base, allocationBase: $0.allocationBase,
                allocationProtect: $0.allocationProtect, size: $0.size, state: $0.state,
                protect: $0.protect, type: $0.type)
        }
    }

    public var handles: [TargetHandle]? {
        process.handles.map {
            TargetHandle(
                handle: $0.handle, typeName: $0.typeName, objectName: $0.objectName,
                attributes: 0, grantedAccess: $0.grantedAccess, handleCount: $0.handleCount,
                pointerCount: $0.handleCount)
        }
    }

    // MARK: Writing

    public func writeMemory(at address: UInt64, bytes: [UInt8]) -> Int {
        process.writeMemory(at: address, bytes: bytes)
    }

    public func setRegisters(_ registers: RegisterSet, ofThread index: Int) throws {
        let threads = process.threads
        guard threads.indices.contains(index),
            let current = process.context(ofThread: threads[index].id)
        else { throw LiveTargetError("Thread \(index) has no registers (it has ended).") }
        try process.setContext(
            LiveRegisters.context(registers, over: current), ofThread: threads[index].id)
    }

    // MARK: Execution

    public var breakRequest: any BreakRequesting {
        BreakSwitchRequest(breakSwitch: process.breakSwitch)
    }

    public func setProgramOutput(_ sink: (@Sendable (String) -> Void)?) {
        output.setSink(sink)
    }

    public func flushProgramOutput() {
        output.flushPartialLine()
    }

    public func run(_ answer: ExceptionAnswer) -> TargetDebugEvent {
        translate(process.run(answer == .handled ? .handled : .notHandled))
    }

    public func step(threadIndex: Int, _ answer: ExceptionAnswer) -> TargetDebugEvent {
        let threads = process.threads
        guard threads.indices.contains(threadIndex) else { return run(answer) }
        return translate(
            process.step(
                thread: threads[threadIndex].id, answer == .handled ? .handled : .notHandled))
    }

    public func setCodeBreakpoint(id: Int, at address: UInt64) throws {
        try process.setBreakpoint(id: id, at: address)
    }

    public func setDataBreakpoint(id: Int, at address: UInt64, size: UInt64, access: BreakAccess)
        throws
    {
        let kind: DataAccess
        switch access {
        case .read: kind = .read
        case .write: kind = .write
        case .execute: kind = .execute
        }
        try process.setDataBreakpoint(id: id, at: address, size: size, access: kind)
    }

    public func removeBreakpoint(id: Int) {
        process.removeBreakpoint(id: id)
    }

    public var hasEnded: Bool { killed || process.exitCode != nil }

    public func restart() throws {
        try process.restart()
        killed = false
        lastException = nil
    }

    public func kill() {
        killed = true
        lastException = nil
    }

    public var startLines: [String] {
        [
            "CommandLine: "
                + ([process.programPath] + process.arguments).map(Self.quoted).joined(
                    separator: " ")
        ]
    }

    public func threadIndex(systemID: UInt32) -> Int? {
        process.threads.firstIndex { $0.id == systemID }
    }

    public func setFrozen(_ frozen: Bool, threadIndex: Int) throws {
        try process.setFrozen(frozen, thread: try liveThreadID(threadIndex))
    }

    public func changeSuspendCount(threadIndex: Int, suspend: Bool) throws {
        let id = try liveThreadID(threadIndex)
        do {
            _ = try process.changeSuspendCount(thread: id, suspend: suspend)
        } catch {
            throw LiveTargetError(
                suspend
                    ? "Thread \(threadIndex) cannot be suspended further (its suspend count is at the limit)."
                    : "Thread \(threadIndex) is not suspended beyond the debugger's own stop.")
        }
    }

    private func liveThreadID(_ index: Int) throws -> UInt32 {
        let threads = process.threads
        guard threads.indices.contains(index), threads[index].state != .terminated else {
            throw LiveTargetError("Thread \(index) has ended.")
        }
        return threads[index].id
    }

    /// The host folder the guest sees as `C:\sandbox`.
    public var sandboxFolder: String { process.sandboxFolder }

    // MARK: Translation

    private static func quoted(_ argument: String) -> String {
        argument.contains(" ") ? "\"\(argument)\"" : argument
    }

    private func module(_ info: ModuleInfo) -> TargetModule {
        TargetModule(
            base: info.base, size: info.size, path: info.guestPath, timestamp: info.timestamp,
            checksum: info.checksum, debugRecord: debugRecord(info))
    }

    private func debugRecord(_ info: ModuleInfo) -> ModuleDebugRecord? {
        if let known = debugRecords[info.hostPath] { return known }
        var record: ModuleDebugRecord?
        if let image = try? PEImage(contentsOfFile: info.hostPath),
            let codeView = try? image.codeView()
        {
            switch codeView {
            case .pdb70(let guid, let age, let path):
                record = .pdb70(pdbName: path, guid: guid.bytes, age: age)
            case .pdb20(let signature, let age, let path):
                record = .pdb20(pdbName: path, signature: signature, age: age)
            }
        }
        debugRecords[info.hostPath] = record
        return record
    }

    private func translate(_ event: DebugEvent) -> TargetDebugEvent {
        let index = threadIndex(systemID: event.threadID)
        let kind: TargetDebugEvent.Kind
        lastException = nil
        switch event.kind {
        case .processCreated(let info): kind = .processCreated(module(info))
        case .moduleLoaded(let info): kind = .moduleLoaded(module(info))
        case .moduleUnloaded(let info): kind = .moduleUnloaded(module(info))
        case .threadCreated(let start): kind = .threadCreated(startAddress: start)
        case .threadExited(let code): kind = .threadExited(exitCode: code)
        case .exception(let info):
            let record = ExceptionRecord(
                code: info.code, flags: info.flags, address: info.address,
                parameters: info.parameters)
            kind = .exception(record, firstChance: info.firstChance)
            lastException = TargetEvent(
                processID: process.processID, threadID: event.threadID, threadIndex: index,
                exception: record, context: index.flatMap { registers(ofThread: $0) },
                firstChance: info.firstChance)
        case .breakpoint(let id, let address): kind = .breakpoint(id: id, address: address)
        case .singleStep(let address): kind = .singleStep(address: address)
        case .dataBreakpoint(let id, let address, _):
            kind = .dataBreakpoint(id: id, address: address)
        case .debugOutput(let text): kind = .debugOutput(text)
        case .unimplementedImport(let dll, let function):
            kind = .unimplementedImport("\(dll)!\(function)")
        case .deadlock(let waits): kind = .deadlock(waits.map { describe($0) })
        case .breakRequested:
            kind = .breakRequested
            lastException = TargetEvent(
                processID: process.processID, threadID: event.threadID, threadIndex: index,
                exception: ExceptionRecord(
                    code: 0x8000_0003,
                    address: index.flatMap { registers(ofThread: $0)?.instructionPointer } ?? 0),
                firstChance: true)
        case .processExited(let code): kind = .processExited(exitCode: code)
        }
        return TargetDebugEvent(kind: kind, threadID: event.threadID, threadIndex: index)
    }

    /// `Thread 1 (id 8) waits for Event handle 0x84 "name"`.
    private func describe(_ wait: ThreadWaitInfo) -> String {
        let number = threadIndex(systemID: wait.threadID).map(String.init) ?? "?"
        let targets = wait.targets.map { target -> String in
            switch target {
            case .object(let handle, let type, let name):
                return "\(type) handle 0x\(String(handle, radix: 16))"
                    + (name.map { " \"\($0)\"" } ?? "")
            case .criticalSection(let address, let owner):
                let ownerText =
                    owner == 0
                    ? "no owner"
                    : "owned by thread "
                        + (threadIndex(systemID: owner).map(String.init) ?? "?")
                        + " (id \(String(owner, radix: 16)))"
                return "critical section 0x\(String(address, radix: 16)) (\(ownerText))"
            case .alert(let address): return "an alert on 0x\(String(address, radix: 16))"
            case .suspended: return "a resume (it is suspended)"
            case .frozen: return "the debugger (it is frozen: ~\(number)u thaws it)"
            }
        }
        let joiner = wait.waitAll ? " and " : " or "
        return "Thread \(number) (id \(String(wait.threadID, radix: 16))) waits for "
            + (targets.isEmpty ? "nothing known" : targets.joined(separator: joiner))
    }
}

/// The emulator's break switch as the engine's thread-safe break request.
struct BreakSwitchRequest: BreakRequesting {
    let breakSwitch: BreakSwitch
    func requestBreak() { breakSwitch.request() }
}

/// A start or run failure, with the text to show.
public struct LiveTargetError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Passes the program's console output (bytes written on the emulator's thread) to whoever
/// the session installed, as whole lines; a partial line waits until it is completed or the
/// machine stops.
final class ProgramOutputForwarder: Sendable {
    private struct State {
        var sink: (@Sendable (String) -> Void)?
        var pending: [UInt8] = []
    }
    private let state = Mutex(State())

    func setSink(_ sink: (@Sendable (String) -> Void)?) {
        state.withLock { $0.sink = sink }
    }

    func forward(_ bytes: [UInt8]) {
        let (sink, lines) = state.withLock { state -> ((@Sendable (String) -> Void)?, [String]) in
            state.pending += bytes
            var lines: [String] = []
            while let newline = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(state.pending[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                lines.append(String(decoding: line, as: UTF8.self))
                state.pending.removeSubrange(...newline)
            }
            if state.pending.count > 64 * 1024 {
                lines.append(String(decoding: state.pending, as: UTF8.self))
                state.pending.removeAll()
            }
            return (state.sink, lines)
        }
        guard let sink else { return }
        for line in lines { sink(line) }
    }

    func flushPartialLine() {
        let (sink, line) = state.withLock { state -> ((@Sendable (String) -> Void)?, String?) in
            guard !state.pending.isEmpty else { return (state.sink, nil) }
            defer { state.pending.removeAll() }
            return (state.sink, String(decoding: state.pending, as: UTF8.self))
        }
        if let sink, let line { sink(line) }
    }
}
