import Foundation
import TestSupport
import Testing

/// Shared sessions at a real terminal (tmux): output from other participants arrives while a
/// person is typing, and must land above the prompt without disturbing the half-typed line.
/// Clients at a terminal have line editing: the server's prompt, Tab completion of its
/// commands, a history file, Ctrl-C sent to the server, Ctrl-D to leave.
@Suite(.serialized, .requires(.tmux))
struct RemoteTerminalTests {
    static let dump = Corpus.dump("win-x86-xpsp2-breakpad-minidump2.dmp")

    /// Runs a program in tmux through a script that reports, after it exits, its exit status
    /// and whether it left the terminal in a sane mode (echo and line editing back on).
    func terminal(
        _ program: String, _ arguments: [String], scratch: ScratchDirectory
    ) throws -> TerminalSession {
        let script = scratch.path + "/run-and-check-tty.sh"
        try """
        trap : INT
        "$@"
        status=$?
        if stty -a | tr ' ;' '\\n\\n' | grep -q -x -e -icanon -e -echo; then
            echo "[tty raw]"
        else
            echo "[tty sane]"
        fi
        echo "[client exit $status]"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        var environment = scratch.environment
        environment["HOME"] = scratch.path
        environment["XCDB_HISTORY"] = scratch.path + "/history"
        environment["XCDB_REMOTE_HISTORY"] = scratch.path + "/remote-history"
        return try TerminalSession(
            command: (["sh", script, Products.path(program)] + arguments).joined(separator: " "),
            width: 100, height: 30, environment: environment)
    }

    /// The rows up to the last non-empty one.
    func rows(_ screen: [String]) -> [String] {
        var rows = screen
        while rows.last == "" { rows.removeLast() }
        return rows
    }

    /// Checks that the person's half-typed line is the last row, intact, with the cursor
    /// right after it, and that the rows just above it are `above`.
    func expectHalfTypedLineBelow(
        _ above: [String], prompt: String, typed: String, in terminal: TerminalSession,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let wanted = prompt + typed
        let result = try terminal.waitFor { screen in
            let shown = rows(screen)
            return shown.last == wanted && Array(shown.dropLast().suffix(above.count)) == above
        }
        #expect(result.satisfied, "\(rows(result.screen))", sourceLocation: sourceLocation)
        let cursor = try terminal.cursor()
        #expect(cursor.x == wanted.count, sourceLocation: sourceLocation)
        #expect(cursor.y == rows(result.screen).count - 1, sourceLocation: sourceLocation)
    }

    @Test(.requires(.socat))
    func theServerConsoleKeepsTheHalfTypedLineWhileAParticipantTypes() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let console = try terminal(
            "xcdb", ["-server", "npipe:pipe=console_redraw", "-kqm", "-z", Self.dump],
            scratch: scratch)
        #expect(try console.waitFor { rows($0).last == "0:000>" }.satisfied)
        try console.type(".echo half-ty")
        #expect(try console.waitFor { rows($0).last == "0:000> .echo half-ty" }.satisfied)

        let socat = try RunningProgram(
            "/usr/bin/socat", ["-", "UNIX-CONNECT:\(scratch.path)/run/npipe.console_redraw"])
        defer { socat.closeInput() }
        socat.send(".echo from-socat")
        #expect(socat.waitFor("\nfrom-socat\n"))
        let user = try #require(
            try console.screen().first { $0.contains(" (npipe:Pipe=console_redraw) connected at") }?
                .split(separator: " ").first.map(String.init))
        // The participant's command (with who typed it) and its output are above the prompt.
        try expectHalfTypedLineBelow(
            ["\(user): 0:000> .echo from-socat", "from-socat"], prompt: "0:000> ",
            typed: ".echo half-ty", in: console)

        // The line was never disturbed: finishing it and pressing Enter runs the whole command,
        // for everyone.
        try console.type("ped")
        try console.press("Enter")
        #expect(try console.waitFor { rows($0).suffix(2) == ["half-typed", "0:000>"] }.satisfied)
        #expect(socat.waitFor("\n0:000> .echo half-typed\nhalf-typed\n"))
        try console.type("q")
        try console.press("Enter")
        #expect(try console.waitFor(text: "[client exit 0]"))
        #expect(socat.exitCode(within: 60) == 0)
    }

    @Test func anXcdbClientKeepsTheHalfTypedLineAndEditsLikeTheConsole() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"),
            ["-server", "npipe:pipe=client_redraw", "-kqm", "-z", Self.dump],
            environment: scratch.environment)
        defer { server.kill() }
        #expect(server.waitFor("Server started with"))
        let client = try terminal(
            "xcdb", ["-remote", "npipe:server=.,pipe=client_redraw"], scratch: scratch)
        // The client's prompt is the server's.
        #expect(try client.waitFor { rows($0).last == "0:000>" }.satisfied)
        #expect(server.waitFor(") connected at"))

        // Output from the server's console arrives while the person types.
        try client.type(".echo half-ty")
        #expect(try client.waitFor { rows($0).last == "0:000> .echo half-ty" }.satisfied)
        server.send(".echo from-console")
        try expectHalfTypedLineBelow(
            ["0:000> .echo from-console", "from-console"], prompt: "0:000> ",
            typed: ".echo half-ty", in: client)
        try client.type("ped")
        try client.press("Enter")
        #expect(try client.waitFor { rows($0).suffix(2) == ["half-typed", "0:000>"] }.satisfied)
        #expect(server.waitFor(": 0:000> .echo half-typed\nhalf-typed\n"))

        // Tab completes the server's command names.
        try client.type(".ech")
        try client.press("Tab")
        #expect(try client.waitFor { rows($0).last == "0:000> .echo" }.satisfied)
        try client.type("kept")
        try client.press("Enter")
        #expect(try client.waitFor { rows($0).suffix(2) == ["kept", "0:000>"] }.satisfied)
        // A line with a password runs but stays out of the history file.
        try client.type(".echo password=Hunter2")
        try client.press("Enter")
        #expect(
            try client.waitFor { rows($0).suffix(2) == ["password=Hunter2", "0:000>"] }.satisfied)

        // Ctrl-C interrupts the server's command and gives the prompt back; the next command
        // runs well before the ten minutes the long one would take, so it really stopped.
        try client.type(".sleep 0n600000")
        try client.press("Enter")
        #expect(server.waitFor(": 0:000> .sleep 0n600000\n"))
        try client.press("C-c")
        #expect(try client.waitFor { rows($0).last == "0:000>" }.satisfied)
        try client.type(".echo still-here")
        try client.press("Enter")
        #expect(try client.waitFor { rows($0).suffix(2) == ["still-here", "0:000>"] }.satisfied)

        // Ctrl-D leaves; the terminal is as it was.
        try client.press("C-d")
        #expect(try client.waitFor(text: "[client exit 0]"))
        let screen = try client.screen()
        #expect(
            screen.drop { $0 != "0:000>" }.prefix(4).elementsEqual([
                "0:000>", "*** SESSION OVER ***", "[tty sane]", "[client exit 0]",
            ]), "\(screen)")
        #expect(server.waitFor(") disconnected at"))
        #expect(server.process.isRunning)

        let history = try String(contentsOfFile: scratch.path + "/remote-history", encoding: .utf8)
        #expect(
            history.split(separator: "\n") == [
                ".echo half-typed", ".echo kept", ".sleep 0n600000", ".echo still-here",
            ])
        #expect(!history.contains("Hunter2"))
        let attributes = try FileManager.default.attributesOfItem(
            atPath: scratch.path + "/remote-history")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // The debugger's own history is untouched.
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/history"))
    }

    @Test func anXremoteClientCompletesSessionCommandsAndLeavesCleanlyWhenTheSessionEnds() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-kqm", "-z", Self.dump], environment: scratch.environment)
        defer { server.kill() }
        server.send(".remote xr_edit")
        #expect(server.waitFor("To Connect: xremote /c "))
        let client = try terminal("xremote", ["/c", ".", "xr_edit"], scratch: scratch)
        #expect(try client.waitFor { rows($0).last == "0:000>" }.satisfied)
        #expect(server.waitFor("**Remote: Connected to"))

        // Tab at the start of a line offers remote.exe's session commands too.
        try client.type("@")
        try client.press("Tab", "Tab")
        #expect(try client.waitFor(text: "@H  @M  @P  @Q"))
        try client.press("C-u")
        try client.type(".remote_e")
        try client.press("Tab")
        #expect(try client.waitFor { rows($0).last == "0:000> .remote_exit" }.satisfied)
        try client.press("C-u")

        // A message from the console arrives while the person types.
        try client.type("dd es")
        server.send("@M lunch?")
        let message = try client.waitFor { rows($0).contains { $0.hasPrefix("@M lunch?") } }
        #expect(message.satisfied)
        let notice = try #require(rows(message.screen).first { $0.hasPrefix("@M lunch?") })
        try expectHalfTypedLineBelow([notice], prompt: "0:000> ", typed: "dd es", in: client)

        // The console ends the session: the client says so, erases the half-typed line and
        // gives the terminal back as it found it.
        server.send(".remote_exit")
        #expect(try client.waitFor(text: "[client exit 0]"))
        let after = Array(try client.screen().drop { $0 != notice })
        let over = try #require(after.firstIndex(of: "*** SESSION OVER ***"), "\(after)")
        let exit = try #require(after.firstIndex(of: "[client exit 0]"), "\(after)")
        #expect(over < exit - 1 && after[exit - 1] == "[tty sane]", "\(after)")
        #expect(!after.contains { $0.contains("dd es") }, "\(after)")
    }

    /// A line with a password stays on the console's screen masked once Enter is pressed, as
    /// in the transcript, the log and the history.
    @Test func aTypedPasswordIsMaskedOnTheConsole() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let console = try terminal("xcdb", ["-kqm"], scratch: scratch)
        #expect(try console.waitFor { rows($0).last == "xcdb>" }.satisfied)
        try console.type(".server npipe:pipe=masked,password=Hunter22")
        try console.press("Enter")
        #expect(try console.waitFor(text: "Server started with 'npipe:pipe=masked,password=*'"))
        let screen = try console.screen()
        #expect(screen.contains("xcdb> .server npipe:pipe=masked,password=*"), "\(screen)")
        #expect(!screen.contains { $0.contains("Hunter22") }, "\(screen)")
        try console.type("q")
        try console.press("Enter")
        #expect(try console.waitFor(text: "[client exit 0]"))
    }

    /// `-remote` without `password=`: the client asks at the terminal, without echo.
    @Test func theClientAsksForThePasswordWithoutEcho() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"),
            ["-server", "npipe:pipe=asking,password=Tiger7", "-kqm", "-z", Self.dump],
            environment: scratch.environment)
        defer { server.kill() }
        #expect(server.waitFor("Server started with"))
        let client = try terminal(
            "xcdb", ["-remote", "npipe:server=.,pipe=asking"], scratch: scratch)
        #expect(try client.waitFor { rows($0).last == "Password:" }.satisfied)
        try client.type("Tiger7")
        try client.press("Enter")
        #expect(try client.waitFor { rows($0).last == "0:000>" }.satisfied)
        #expect(server.waitFor(") connected at"))
        #expect(!(try client.screen()).contains { $0.contains("Tiger7") })
        try client.press("C-d")
        #expect(try client.waitFor(text: "[client exit 0]"))
    }

    /// Ctrl-D at the console ends the debugger, and its socket with it.
    @Test func ctrlDAtTheConsoleRemovesTheSocket() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let console = try terminal(
            "xcdb", ["-server", "npipe:pipe=ctrl_d", "-kqm"], scratch: scratch)
        #expect(try console.waitFor { rows($0).last == "xcdb>" }.satisfied)
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/run/npipe.ctrl_d"))
        try console.press("C-d")
        #expect(try console.waitFor(text: "[client exit 0]"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/run/npipe.ctrl_d"))
    }
}
