import Foundation
import TestSupport
import Testing

/// xcdb in a real terminal (tmux), driven with keystrokes the way a person uses it.
@Suite(.serialized) struct TerminalTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-tty-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func start(_ arguments: String = "", history: String? = nil) throws -> TerminalSession {
        let historyFile = history ?? directory.appendingPathComponent("history").path
        let terminal = try TerminalSession(
            command: "\(Products.path("xcdb")) \(arguments)",
            environment: ["XCDB_HISTORY": historyFile, "HOME": directory.path])
        let prompted = try terminal.waitFor(text: "xcdb> ")
        try #require(prompted, "no prompt")
        return terminal
    }

    func lastLine(_ terminal: TerminalSession) throws -> String {
        try terminal.screen().last { !$0.isEmpty } ?? ""
    }

    @Test func typingEditingAndRunning() throws {
        let terminal = try start()
        try terminal.type(".echo wrld")
        try terminal.press("Left", "Left", "Left")
        try terminal.type("o")
        try terminal.press("C-a")
        try terminal.press("C-e")
        try terminal.type("!")
        #expect(try terminal.waitFor(text: "xcdb> .echo world!"))
        try terminal.press("Enter")
        #expect(
            try terminal.waitFor { $0.contains("world!") && $0.last { !$0.isEmpty } == "xcdb>" }
                .satisfied)
    }

    @Test func tabCompletesCommandsAndFiles() throws {
        try "x".write(
            toFile: directory.appendingPathComponent("script-one.txt").path, atomically: true,
            encoding: .utf8)
        let terminal = try start()
        try terminal.type(".logo")
        try terminal.press("Tab")
        #expect(try terminal.waitFor(text: "xcdb> .logopen "))
        try terminal.press("C-u")
        try terminal.type("$<\(directory.path)/script-o")
        try terminal.press("Tab")
        #expect(try terminal.waitFor(text: "script-one.txt"))
        try terminal.press("C-u")
        try terminal.type(".log")
        try terminal.press("Tab", "Tab")
        let listed = try terminal.waitFor { screen in
            screen.contains { $0.contains(".logappend") && $0.contains(".logclose") }
        }
        #expect(listed.satisfied, "\(listed.screen)")
    }

    @Test func historySurvivesARestart() throws {
        let history = directory.appendingPathComponent("shared-history").path
        do {
            let terminal = try start(history: history)
            try terminal.enter(".echo remembered")
            try terminal.enter("q")
            #expect(try terminal.waitFor(text: "[exit 0]"))
        }
        let terminal = try start(history: history)
        // Ctrl-R finds the earlier run's command; Enter runs it.
        try terminal.press("C-r")
        try terminal.type("remem")
        #expect(try terminal.waitFor(text: ".echo remembered"))
        try terminal.press("Enter")
        #expect(try terminal.waitFor { $0.contains("remembered") }.satisfied)
        // Up walks back through history: the command just run, then the earlier `q`.
        try terminal.press("Up")
        #expect(try terminal.waitFor(text: "xcdb> .echo remembered"))
        let attributes = try FileManager.default.attributesOfItem(atPath: history)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func ctrlCInterruptsALongCommandAndCtrlDQuits() throws {
        let terminal = try start()
        // Ten minutes unless interrupted. A Ctrl-C that lands before the command has started
        // is lost with the line's start (as at CDB's prompt), so it is pressed again until the
        // prompt is back: well within the ten minutes, so the command really stopped.
        try terminal.enter(".sleep 0n600000")
        let deadline = Date().addingTimeInterval(120)
        var back = false
        while !back, Date() < deadline {
            try terminal.press("C-c")
            back = try terminal.waitFor(timeout: 2) { $0.last { !$0.isEmpty } == "xcdb>" }
                .satisfied
        }
        #expect(back)
        try terminal.enter(".echo still here")
        #expect(try terminal.waitFor(text: "still here"))
        try terminal.press("C-d")
        #expect(try terminal.waitFor(text: "[exit 0]"))
    }

    @Test func logFileEqualsWhatWasShown() throws {
        let log = directory.appendingPathComponent("session.log").path
        let terminal = try start("-kqm")
        for command in [".logopen \(log)", ".echo one", "? 0n10 + 0x10", ".logclose"] {
            try terminal.enter(command)
            // Type the next command at the next prompt, as a person would.
            try terminal.waitFor { $0.last { !$0.isEmpty } == "xcdb>" }
        }
        #expect(try terminal.waitFor(text: "Closing open log file"))
        let shown = try terminal.screen().filter { !$0.isEmpty }
        let logged = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(
            String.init)
        // The log holds exactly the screen rows from its opening line to its closing line.
        let first = try #require(shown.firstIndex { $0.hasPrefix("Opened log file") })
        let last = try #require(shown.firstIndex { $0.hasPrefix("Closing open log file") })
        #expect(Array(shown[first...last]) == logged)
        #expect(logged.first == shown[first])
        #expect(logged.contains("xcdb> .echo one"))
        #expect(logged.contains("Evaluate expression: 26 = 00000000`0000001a"))
        #expect(logged.last == shown[last])
    }
}
