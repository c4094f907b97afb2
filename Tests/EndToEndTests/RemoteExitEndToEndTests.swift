import Foundation
import TestSupport
import Testing

/// However a sharing process ends, its socket and registry files go with it; a socket left by
/// a killed server is replaced by the next one.
@Suite(.serialized) struct RemoteExitEndToEndTests {
    /// A debugger sharing with `.remote` and `.server npipe:`: its three files.
    struct SharingServer {
        let program: RunningProgram
        let files: [String]

        init(_ scratch: ScratchDirectory, name: String, arguments: [String] = []) throws {
            program = try RunningProgram(
                Products.path("xcdb"), ["-kqm"] + arguments, environment: scratch.environment)
            program.send(".remote \(name)")
            program.send(".server npipe:pipe=\(name)_pipe")
            let run = scratch.path + "/run"
            files = [
                run + "/remote.\(name)", run + "/remote.\(name).session",
                run + "/npipe.\(name)_pipe",
            ]
        }

        func waitUntilListening() -> Bool {
            program.waitFor("Server started with")
                && files.allSatisfy { FileManager.default.fileExists(atPath: $0) }
        }

        var filesLeft: [String] { files.filter { FileManager.default.fileExists(atPath: $0) } }
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aTerminationSignalRemovesTheSocketsAndTellsTheParticipants(signal: Int32) throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try SharingServer(scratch, name: "signal\(signal)")
        defer { server.program.kill() }
        #expect(server.waitUntilListening())
        let client = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "signal\(signal)"],
            environment: scratch.environment)
        defer { client.kill() }
        #expect(server.program.waitFor("**Remote: Connected to"))

        server.program.send(signal: signal)
        // It still dies of the signal, as a shell expects.
        #expect(server.program.terminatingSignal(within: 60) == signal)
        #expect(server.filesLeft == [])
        #expect(client.waitFor("*** SESSION OVER ***"))
        #expect(client.exitCode(within: 60) == 0)
    }

    /// Ctrl-C where no prompt or command owns it (`-noio`: nobody reads the console) ends the
    /// debugger cleanly too.
    @Test func ctrlCWithoutAPromptRemovesTheSocket() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-server", "npipe:pipe=noio", "-kqm", "-noio"],
            environment: scratch.environment)
        defer { server.kill() }
        let socket = scratch.path + "/run/npipe.noio"
        #expect(server.waitFor("Server started with"))
        #expect(FileManager.default.fileExists(atPath: socket))
        server.send(signal: SIGINT)
        #expect(server.terminatingSignal(within: 60) == SIGINT)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func quittingRemovesTheSockets() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try SharingServer(scratch, name: "quitting")
        defer { server.program.kill() }
        #expect(server.waitUntilListening())
        server.program.send("q")
        #expect(server.program.exitCode(within: 60) == 0)
        #expect(server.filesLeft == [])
    }

    /// `qq` from a participant ends the debugger for everyone, files included.
    @Test func aParticipantsQqRemovesTheSockets() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try SharingServer(scratch, name: "qq_end")
        defer { server.program.kill() }
        #expect(server.waitUntilListening())
        let client = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=qq_end_pipe"],
            environment: scratch.environment)
        defer { client.kill() }
        client.send("qq")
        #expect(server.program.exitCode(within: 60) == 0)
        #expect(server.filesLeft == [])
        #expect(client.exitCode(within: 60) == 0)
    }

    /// `xremote /s` ends its child and removes its files on SIGTERM too.
    @Test func aSharedChildProgramsServerCleansUpOnSIGTERM() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xremote"), ["/s", "cat", "kitten"], environment: scratch.environment)
        defer { server.kill() }
        #expect(server.waitFor("To Connect: xremote /c "))
        let run = scratch.path + "/run"
        let files = [run + "/remote.kitten", run + "/remote.kitten.session"]
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        server.send(signal: SIGTERM)
        #expect(server.terminatingSignal(within: 60) == SIGTERM)
        #expect(!files.contains { FileManager.default.fileExists(atPath: $0) })
    }

    /// A server killed outright leaves its socket; the next server on that pipe replaces it,
    /// while one that is alive is refused.
    @Test func aStaleSocketIsReplacedAndALiveOneRefused() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let socket = scratch.path + "/run/npipe.stale"
        let killed = try RunningProgram(
            Products.path("xcdb"), ["-server", "npipe:pipe=stale", "-kqm"],
            environment: scratch.environment)
        #expect(killed.waitFor("Server started with"))
        killed.kill()
        #expect(killed.terminatingSignal(within: 60) == SIGKILL)
        #expect(FileManager.default.fileExists(atPath: socket))

        let next = try RunningProgram(
            Products.path("xcdb"), ["-server", "npipe:pipe=stale", "-kqm"],
            environment: scratch.environment)
        defer { next.send("q") }
        #expect(next.waitFor("Server started with"))
        let refused = try RunningProgram(
            Products.path("xcdb"), ["-server", "npipe:pipe=stale", "-kqm"],
            environment: scratch.environment)
        #expect(refused.exitCode(within: 60) == 1)
        #expect(refused.text.contains("in use: another live session answers there"))
        let client = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=stale"],
            environment: scratch.environment)
        client.send(".echo through the new server")
        client.closeInput()
        #expect(client.exitCode(within: 60) == 0)
        #expect(client.text.contains("\nthrough the new server\n"))
    }
}
