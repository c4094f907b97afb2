import Engine
import Foundation
import Synchronization

/// Stands in for the network layer: records what the sharing commands ask it to do.
final class RecordingSharing: SessionSharing {
    private let calls = Mutex<[String]>([])

    /// Calls that change the session's servers (everything but listings and a participant
    /// leaving).
    var changes: [String] { calls.withLock { $0.filter { !$0.hasPrefix("disconnect") } } }

    private func record(_ call: String) { calls.withLock { $0.append(call) } }

    func startRemote(name: String) throws(CommandError) -> [String] {
        record("startRemote \(name)")
        return ["remote \(name) started"]
    }
    func stopRemote() throws(CommandError) -> [String] {
        record("stopRemote")
        return ["remote stopped"]
    }
    func startServer(transport: String) throws(CommandError) -> [String] {
        record("startServer \(transport)")
        return ["Server started with '\(transport)'"]
    }
    func serverListing() -> [String] { ["0 - Debugger Server - npipe:Pipe=test"] }
    func endServer(id: Int) throws(CommandError) -> [String] {
        record("endServer \(id)")
        return ["Server \(id) ended"]
    }
    func clientListing() -> [String] { ["HostMachine\\HostUser (Local)"] }
    func disconnect(participantID: Int) { record("disconnect \(participantID)") }
}

/// Everything a command could change that others would notice: the target, the current
/// thread, frame and context, radix, paths, logs, breakpoints, pseudo-registers, servers.
struct SessionSnapshot: Equatable {
    var target: ObjectIdentifier?
    var threadRegisters: [RegisterSet?]
    var stackBytes: [[UInt8]]
    var currentThread: Int
    var currentFrame: Int
    var contextOverride: RegisterSet?
    var radix: Int
    var symbolPath: String
    var imagePath: String
    var sourceLines: Bool
    var verbose: Bool
    var logPath: String?
    var pseudoRegisters: [UInt64]
    var quitRequested: Bool
    var bannerPending: Bool
    var symbolGeneration: Int
    var symbolsNoisy: Bool
    var sourcePath: String
    var servers: [String]
    /// `sx` filters and breakpoints (live targets).
    var eventFilters: [String]
    var breakpoints: [Breakpoint]
    var aliases: AliasTable
    var defaultFrameCount: Int

    init(_ session: Session, sharing: RecordingSharing) {
        let values = session.withState { state in
            let target = state.target
            let threads = target?.threads ?? []
            let registers = threads.indices.map { target?.registers(ofThread: $0) }
            let stacks = registers.map { set -> [UInt8] in
                guard let target, let sp = set?.stackPointer else { return [] }
                return target.readBytes(at: sp, count: 64) ?? []
            }
            return (
                target.map { ObjectIdentifier($0) }, registers, stacks, state.currentThread,
                state.currentFrame, state.contextOverride, state.radix, state.symbolPath,
                state.imagePath, state.sourceLines, state.verbose, state.log?.file.path,
                state.userPseudoRegisters, state.quitRequested, state.bannerPending,
                state.symbols.generation, state.symbols.noisy, state.symbols.sourcePath,
                state.aliases, state.defaultFrameCount
            )
        }
        (
            target, threadRegisters, stackBytes, currentThread, currentFrame, contextOverride,
            radix, symbolPath, imagePath, sourceLines, verbose, logPath, pseudoRegisters,
            quitRequested, bannerPending, symbolGeneration, symbolsNoisy, sourcePath, aliases,
            defaultFrameCount
        ) = values
        servers = sharing.changes
        (eventFilters, breakpoints) = session.withState { state in
            (state.live.filters.listing, state.live.breakpoints.values.sorted { $0.id < $1.id })
        }
    }

    /// The names of the fields that differ, for messages.
    func differences(from other: SessionSnapshot) -> [String] {
        var names: [String] = []
        if target != other.target { names.append("target") }
        if eventFilters != other.eventFilters { names.append("event filters") }
        if breakpoints != other.breakpoints { names.append("breakpoints") }
        if threadRegisters != other.threadRegisters { names.append("registers") }
        if stackBytes != other.stackBytes { names.append("memory") }
        if currentThread != other.currentThread { names.append("current thread") }
        if currentFrame != other.currentFrame { names.append("current frame") }
        if contextOverride != other.contextOverride { names.append("context") }
        if radix != other.radix { names.append("radix") }
        if symbolPath != other.symbolPath { names.append("symbol path") }
        if imagePath != other.imagePath { names.append("image path") }
        if sourceLines != other.sourceLines { names.append("source lines") }
        if verbose != other.verbose { names.append("verbose") }
        if logPath != other.logPath { names.append("log") }
        if pseudoRegisters != other.pseudoRegisters { names.append("pseudo-registers") }
        if quitRequested != other.quitRequested { names.append("quit") }
        if bannerPending != other.bannerPending { names.append("banner") }
        if symbolGeneration != other.symbolGeneration { names.append("symbols reloaded") }
        if symbolsNoisy != other.symbolsNoisy { names.append("!sym noisy") }
        if sourcePath != other.sourcePath { names.append("source path") }
        if servers != other.servers { names.append("servers") }
        if aliases != other.aliases { names.append("aliases") }
        if defaultFrameCount != other.defaultFrameCount { names.append("stack length") }
        return names
    }
}

/// What one participant's screen shows: the events addressed to them (a `.cls` only reaches
/// whoever typed it), recorded while `recording` is on.
final class ParticipantScreen: OutputSink {
    let participantID: Int?
    let isLocalConsole: Bool
    private let state = Mutex<(recording: Bool, events: [OutputEvent])>((false, []))

    init(participantID: Int?, isLocalConsole: Bool = false) {
        self.participantID = participantID
        self.isLocalConsole = isLocalConsole
    }

    var recording: Bool {
        get { state.withLock { $0.recording } }
        set { state.withLock { $0.recording = newValue } }
    }

    var events: [OutputEvent] { state.withLock { $0.events } }

    func clear() { state.withLock { $0.events.removeAll() } }

    func receive(_ event: OutputEvent) {
        guard event.isAddressed(toLocalConsole: isLocalConsole, participantID: participantID)
        else { return }
        state.withLock { if $0.recording { $0.events.append(event) } }
    }
}
