import Foundation
import TestSupport
import Testing

/// Clients reading commands from a pipe keep the answers: the session commands after them
/// (`@Q`, `@M`) and the end of input wait until the lines before have been answered. Each test
/// starts with a command that keeps the server busy, so the answer is certain to come after
/// everything was sent: the race a loaded machine produces by chance happens every time here.
@Suite(.serialized) struct RemotePipedClientEndToEndTests {
    static let dumpName = "win-x86-xpsp2-breakpad-minidump2.dmp"
    static let stackHeader = " # ChildEBP RetAddr  Call Site"

    /// A debugger with the dump open; `server` (`-server TRANSPORT`) must come first.
    private func server(_ scratch: ScratchDirectory, _ server: [String]) throws
        -> RunningProgram
    {
        try RunningProgram(
            Products.path("xcdb"), server + ["-kqm", "-z", Corpus.dump(Self.dumpName)],
            environment: scratch.environment)
    }

    /// `printf '.sleep 0n300\nk\n@Q\n' | xremote /c . NAME` prints the stack, then leaves.
    @Test func xremoteLeavesAfterTheAnswers() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try server(scratch, [])
        defer { server.kill() }
        server.send(".remote piped")
        #expect(server.waitFor("To Connect: xremote /c "))
        let client = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "piped"], environment: scratch.environment)
        defer { client.kill() }
        for line in [".sleep 0n300", "k", "@M after the stack", "@Q"] { client.send(line) }
        #expect(client.exitCode(within: 60) == 0)
        let text = client.text
        let stack = try #require(text.range(of: Self.stackHeader), "no stack in \(text)")
        let message = try #require(text.range(of: "@M after the stack"), "\(text)")
        let over = try #require(text.range(of: "*** SESSION OVER ***"), "\(text)")
        #expect(stack.lowerBound < message.lowerBound && message.lowerBound < over.lowerBound)
    }

    /// `xcdb -remote` with piped input: the end of input waits for the last answers.
    @Test func xcdbRemoteWaitsForTheAnswersAtTheEndOfInput() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try server(scratch, ["-server", "npipe:pipe=piped_end"])
        defer { server.kill() }
        #expect(server.waitFor("Server started with"))
        let client = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=piped_end"],
            environment: scratch.environment)
        defer { client.kill() }
        for line in [".sleep 0n300", "k", ".echo last line"] { client.send(line) }
        client.closeInput()
        #expect(client.exitCode(within: 60) == 0)
        let text = client.text
        let stack = try #require(text.range(of: Self.stackHeader), "no stack in \(text)")
        let last = try #require(text.range(of: "\nlast line\n"), "\(text)")
        #expect(stack.lowerBound < last.lowerBound)
    }

    /// A plain client (socat) needs nothing new: the server runs its `@Q` after its lines.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/socat")))
    func aPlainClientsQuitWaitsForItsLinesOnTheServer() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try server(scratch, ["-server", "npipe:pipe=piped_socat"])
        defer { server.kill() }
        #expect(server.waitFor("Server started with"))
        let socat = try RunningProgram(
            "/usr/bin/socat", ["-", "UNIX-CONNECT:\(scratch.path)/run/npipe.piped_socat"])
        defer { socat.kill() }
        for line in [".sleep 0n300", ".echo answered", "@Q"] { socat.send(line) }
        #expect(socat.exitCode(within: 60) == 0)
        #expect(socat.text.hasSuffix("\nanswered\n*** SESSION OVER ***\n"), "\(socat.text)")
    }

    /// A password the server asks for comes from the environment or a file only the user can
    /// read, not the command line.
    @Test func passwordsFromTheEnvironmentAndFromAFile() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path + "/password"
        try "Tiger7\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let server = try server(scratch, ["-server", "npipe:pipe=locked,passwordfile=\(file)"])
        defer { server.kill() }
        #expect(server.waitFor("Server started with 'npipe:pipe=locked,passwordfile="))

        var environment = scratch.environment
        environment["XCDB_REMOTE_PASSWORD"] = "Tiger7"
        let fromEnvironment = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=locked"],
            environment: environment)
        fromEnvironment.send(".echo from the environment")
        fromEnvironment.closeInput()
        #expect(fromEnvironment.exitCode(within: 60) == 0)
        #expect(fromEnvironment.text.contains("\nfrom the environment\n"))

        let fromFile = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=locked,passwordfile=\(file)"],
            environment: scratch.environment)
        fromFile.send(".echo from the file")
        fromFile.closeInput()
        #expect(fromFile.exitCode(within: 60) == 0)
        #expect(fromFile.text.contains("\nfrom the file\n"))

        // A file others can read is refused, before anything is sent.
        chmod(file, 0o644)
        let careless = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=locked,passwordfile=\(file)"],
            environment: scratch.environment)
        careless.closeInput()
        #expect(careless.exitCode(within: 60) == 1)
        #expect(careless.text.contains("is open to other users (mode 644); run chmod 600 on it."))
        #expect(!server.text.contains("Tiger7"))
    }
}
