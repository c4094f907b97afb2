import Dispatch
import Engine
import Foundation
import Synchronization
import Testing

@testable import Remote

/// A client with a line editor, against a real server in this process: the editor is a script
/// that notes what was on the "screen" each time a line was asked for.
@Suite(.serialized) struct ClientEditingTests {
    @Test func linesAreReadAtTheServersPromptAfterTheCommandsOutput() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=edited")
        let editor = ScriptedEditor([.line(".echo one"), .line("@M hi"), .line(".echo two")])
        let screen = Locked<[String]>([])
        let client = makeClient(harness.pipePath("edited"), editor: editor, screen: screen)

        #expect(client.run() == 0)
        let reads = editor.reads
        try #require(reads.count == 4)
        // Every line is read at the server's prompt, the first only once it came.
        #expect(reads.allSatisfy { $0.prompt == "xcdb> " })
        // A command's output is shown before the next line is read.
        #expect(reads[1].screen.last == "one")
        // A session command gets no prompt back: the next line is read without waiting (a
        // wait would never end). Then the next command is waited for again.
        #expect(reads[3].screen.last == "two")
        // The script ran out (Ctrl-D): the client left as with @Q.
        #expect(screen.withLock { $0.last } == SessionCommand.sessionOver)
        #expect(eventually { harness.service.clientListing().count == 1 })  // the console only
    }

    @Test func startUpCommandsRunBeforeTheFirstLineAndCtrlCIsSentToTheServer() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=startup,readonly")
        let editor = ScriptedEditor([.interrupt, .line(".echo after")])
        let screen = Locked<[String]>([])
        var client = makeClient(harness.pipePath("startup"), editor: editor, screen: screen)
        client.initialCommands = [".echo first"]

        #expect(client.run() == 0)
        let reads = editor.reads
        try #require(reads.count == 3)
        #expect(reads[0].screen.last == "first")
        // Ctrl-C at the prompt reached the server, which refuses it to a read-only participant.
        #expect(
            reads[2].screen.suffix(2) == [
                "Ctrl-C is not allowed: you joined this session read-only.", "after",
            ])
    }

    @Test func theEndOfTheSessionEndsAReadInProgress() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=ending")
        let service = harness.service
        let editor = ScriptedEditor([.waitForEnd]) { service.shutdown() }
        let screen = Locked<[String]>([])
        let client = makeClient(harness.pipePath("ending"), editor: editor, screen: screen)

        #expect(client.run() == 0)
        #expect(editor.endCount >= 1)
        #expect(editor.reads.count == 1)
        #expect(screen.withLock { $0.last } == SessionCommand.sessionOver)
    }

    @Test func aProgramWithoutPromptsIsNotWaitedFor() throws {
        let directory =
            NSTemporaryDirectory() + "xcdb-child-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hub = OutputHub()
        let child = try ChildProcessInput(command: "cat", hub: hub)
        defer { child.terminate() }
        let shared = SharedSession(hub: hub, input: child)
        defer { shared.shutdown() }
        let socket = directory + "/remote.kitty"
        _ = try shared.listen(
            unixPath: socket, mode: 0o600,
            options: ListenerOptions(style: .remoteExe, sessionName: "kitty", how: "remote"))
        child.startReading()

        let editor = ScriptedEditor([.line("meow"), .line("purr")])
        let screen = Locked<[String]>([])
        let client = makeClient(socket, editor: editor, screen: screen)
        #expect(client.run() == 0)
        #expect(editor.reads.map(\.prompt) == ["", "", ""])
        // The lines reached the program (which echoes them).
        #expect(
            eventually {
                hub.scrollback(last: 100).filter { $0.kind == .output }.map(\.text) == [
                    "meow", "purr",
                ]
            })
    }

    private func makeClient(_ socket: String, editor: ScriptedEditor, screen: Locked<[String]>)
        -> InteractiveClient
    {
        var client = InteractiveClient(
            hello: ClientHello(user: "ann", host: "TESTBOX", program: "test"),
            endpoint: .unix(path: socket),
            write: { text in
                let lines = text.split(separator: "\n").map(String.init)
                screen.withLock { $0.append(contentsOf: lines) }
            },
            readLine: { nil })
        client.lineEditor = editor
        editor.screen = { screen.withLock { $0 } }
        return client
    }
}

/// What Tab offers in a client.
@Suite struct ClientCompletionTests {
    let completion = ClientCompletion(
        commandNames: [".echo", ".echotime", ".logopen", "k", "kb", "K"],
        sessionCommands: SessionCommand.clientCommandNames)

    @Test func commandNamesByPrefixIgnoringCase() {
        let found = completion.complete(line: ".ECH", cursor: 4)
        #expect(found.replacing == 0..<4)
        #expect(found.names == [".echo", ".echotime"])
        #expect(completion.complete(line: "k", cursor: 1).names == ["K", "k", "kb"])
    }

    @Test func theCommandAfterASemicolon() {
        let found = completion.complete(line: "k; .lo", cursor: 6)
        #expect(found.replacing == 3..<6)
        #expect(found.names == [".logopen"])
    }

    @Test func sessionCommandsOnlyAtTheStartOfTheLine() {
        #expect(completion.complete(line: "@", cursor: 1).names == ["@H", "@M", "@P", "@Q"])
        #expect(completion.complete(line: "  @q", cursor: 4).names == ["@Q"])
        #expect(completion.complete(line: "k; @", cursor: 4).names.isEmpty)
        let debugger = ClientCompletion(commandNames: ["k"])
        #expect(debugger.complete(line: "@", cursor: 1).names.isEmpty)
    }

    @Test func argumentsAreNotCompleted() {
        let found = completion.complete(line: ".echo k", cursor: 7)
        #expect(found.names.isEmpty)
        #expect(found.replacing == 7..<7)
    }

    @Test func aCursorOutsideTheLineIsClamped() {
        #expect(completion.complete(line: ".ec", cursor: 99).replacing == 0..<3)
        #expect(completion.complete(line: ".ec", cursor: -5).replacing == 0..<0)
    }
}

/// The client's waits end when they should, and only then.
@Suite struct PromptTrackerTests {
    @Test func aDebuggerIsReadyOnceItsFirstPromptCame() {
        let prompts = PromptTracker()
        prompts.commandNamesArrived(["k"])
        let ready = DispatchSemaphore(value: 0)
        Thread {
            prompts.waitUntilReady()
            ready.signal()
        }.start()
        #expect(ready.wait(timeout: .now() + 0.1) == .timedOut)
        prompts.promptArrived("0:000> ", origin: .joining)
        #expect(ready.wait(timeout: .now() + 60) == .success)
        #expect(prompts.prompt == "0:000> ")
    }

    /// The first prompt waits for the command names too, so Tab completes them from the first
    /// key (the cause of a flaky terminal test: Tab pressed before the names had come).
    @Test func theFirstPromptWaitsForTheCommandNames() {
        let prompts = PromptTracker()
        prompts.promptArrived("0:000> ", origin: .joining)
        let ready = DispatchSemaphore(value: 0)
        Thread {
            prompts.waitUntilReady()
            ready.signal()
        }.start()
        #expect(ready.wait(timeout: .now() + 0.1) == .timedOut)
        prompts.commandNamesArrived([".echo", "k"])
        #expect(ready.wait(timeout: .now() + 60) == .success)
    }

    /// Every line sent is answered by one prompt of mine; the count says how many still run.
    @Test func linesInFlightAreCountedByTheirPrompts() {
        let prompts = PromptTracker()
        prompts.commandNamesArrived(["k"])
        for _ in 0..<3 { prompts.willSend(expectingPrompt: true) }
        prompts.willSend(expectingPrompt: false)
        #expect(prompts.unanswered == 3)
        prompts.promptArrived("0:000> ", origin: .others)
        prompts.promptArrived("0:000> ", origin: .joining)
        #expect(prompts.unanswered == 3)
        prompts.promptArrived("0:000> ", origin: .mine)
        prompts.waitUntilUnanswered(atMost: 2)
        #expect(prompts.unanswered == 2)
        prompts.promptArrived("0:000> ", origin: .mine)
        prompts.promptArrived("0:000> ", origin: .mine)
        prompts.promptArrived("0:000> ", origin: .mine)
        #expect(prompts.unanswered == 0)
        // An interrupt does not end the wait of piped input; the end of the session does.
        prompts.willSend(expectingPrompt: true)
        prompts.interrupted()
        let done = DispatchSemaphore(value: 0)
        Thread {
            prompts.waitUntilUnanswered(atMost: 0)
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 0.1) == .timedOut)
        prompts.sessionClosed()
        #expect(done.wait(timeout: .now() + 60) == .success)
    }

    @Test func aProgramWithoutCommandsIsReadyAtOnce() {
        let prompts = PromptTracker()
        prompts.commandNamesArrived([])
        #expect(!prompts.waitUntilReady())
        #expect(prompts.prompt == "")
        #expect(!prompts.serverHasPrompts)
    }

    @Test func othersPromptsUpdateTheTextButDoNotEndTheWait() {
        let prompts = PromptTracker()
        prompts.commandNamesArrived(["k"])
        prompts.willSend(expectingPrompt: true)
        let finished = DispatchSemaphore(value: 0)
        let interrupted = Locked<Bool?>(nil)
        Thread {
            let result = prompts.waitForCommandToFinish()
            interrupted.withLock { $0 = result }
            finished.signal()
        }.start()
        prompts.promptArrived("0:001> ", origin: .others)
        #expect(finished.wait(timeout: .now() + 0.1) == .timedOut)
        #expect(prompts.prompt == "0:001> ")
        prompts.promptArrived("0:001> ", origin: .mine)
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(interrupted.withLock { $0 } == false)
    }

    @Test func ctrlCAndTheEndOfTheSessionEndWaits() {
        let prompts = PromptTracker()
        prompts.willSend(expectingPrompt: true)
        prompts.interrupted()
        #expect(prompts.waitForCommandToFinish())
        prompts.willSend(expectingPrompt: true)
        prompts.sessionClosed()
        #expect(!prompts.waitForCommandToFinish())
        #expect(prompts.waitUntilClosed(timeout: 0))
    }

    @Test func waitingForTheEndGivesUpAfterItsTimeout() {
        let prompts = PromptTracker()
        #expect(!prompts.waitUntilClosed(timeout: 0.05))
    }
}

/// A line editor that plays a script.
final class ScriptedEditor: ClientLineEditor, @unchecked Sendable {
    enum Step {
        case line(String)
        /// Ctrl-C at the prompt.
        case interrupt
        /// Block until `endInput()`, running the hook first.
        case waitForEnd
    }

    struct Read {
        var prompt: String
        var screen: [String]
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var recorded: [Read] = []
    private var ends = 0
    private let ended = DispatchSemaphore(value: 0)
    private let onWait: @Sendable () -> Void
    /// What the client has written so far.
    var screen: @Sendable () -> [String] = { [] }

    init(_ steps: [Step], onWait: @escaping @Sendable () -> Void = {}) {
        self.steps = steps
        self.onWait = onWait
    }

    var reads: [Read] { lock.withLock { recorded } }
    var endCount: Int { lock.withLock { ends } }

    func readLine(prompt: String) -> ClientInput {
        let step = lock.withLock { () -> Step? in
            recorded.append(Read(prompt: prompt, screen: screen()))
            if ends > 0 { return nil }
            return steps.isEmpty ? nil : steps.removeFirst()
        }
        switch step {
        case .line(let line):
            return .line(line)
        case .interrupt:
            return .interrupted
        case .waitForEnd:
            onWait()
            ended.wait()
            return .endOfInput
        case nil:
            return .endOfInput
        }
    }

    func endInput() {
        lock.withLock { ends += 1 }
        ended.signal()
    }
}
