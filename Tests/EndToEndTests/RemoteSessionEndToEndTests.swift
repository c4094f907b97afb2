import Foundation
import TestSupport
import Testing

/// The shared-session feature with real processes: an xcdb server, two xremote clients and a
/// socat client.
@Suite(.serialized) struct RemoteSessionEndToEndTests {

    @Test(.requires(.socat)) func everyoneSeesTheSameTranscript() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), [], environment: scratch.environment)
        defer { server.send("q") }
        server.send(".remote lesson1")
        #expect(server.waitFor("To Connect: xremote /c "))
        let socket = scratch.path + "/run/remote.lesson1"

        let ann = try RunningProgram(
            Products.path("xremote"), ["/c", "localhost", "lesson1"],
            environment: scratch.environment)
        let viewer = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "LESSON1", "/ro"],
            environment: scratch.environment)
        let socat = try RunningProgram("/usr/bin/socat", ["-", "UNIX-CONNECT:\(socket)"])
        #expect(server.waitFor("**Remote: Connected to", count: 3))

        // Everyone types, interleaved.
        for index in 1...5 {
            server.send(".echo S-\(index)")
            ann.send(".echo A-\(index)")
            socat.send(".echo C-\(index)")
            viewer.send(".echo V-\(index)")
        }
        viewer.send(".logopen \(scratch.path)/viewer.log")
        viewer.send("qq")
        viewer.send(".echo V-6")
        let participants = [server, ann, viewer, socat]
        for program in participants {
            #expect(program.waitFor { $0.markers(prefixes: ["S", "A", "C", "V"]).count == 21 })
        }
        // Same lines, same order, for everyone.
        let reference = server.text.markers(prefixes: ["S", "A", "C", "V"])
        for program in participants {
            #expect(program.text.markers(prefixes: ["S", "A", "C", "V"]) == reference)
        }
        // Attribution: others' commands carry who typed them; your own are not echoed back.
        let label = #"\s+\[\S+ \S+\s+\d{1,2}:\d{2} [AP]M\]$"#
        func labelled(_ text: String, _ command: String, by who: String = label) -> Bool {
            text.split(separator: "\n").contains { line in
                line.hasPrefix("xcdb> \(command)")
                    && line.range(of: who, options: .regularExpression) != nil
            }
        }
        let annText = ann.text
        #expect(labelled(annText, ".echo C-1"))
        #expect(labelled(annText, ".echo V-1"))
        #expect(labelled(annText, ".echo S-1", by: #"\s+\[Local\s+\d{1,2}:\d{2} [AP]M\]$"#))
        #expect(!annText.contains(".echo A-1"))
        #expect(labelled(server.text, ".echo A-1"))
        #expect(!server.text.contains(".echo S-1"))
        #expect(socat.text.contains(".echo A-2"))
        #expect(!socat.text.contains(".echo C-2"))
        // The read-only viewer may look, not change.
        #expect(
            viewer.text.contains("'.logopen' is not allowed: you joined this session read-only"))
        #expect(viewer.text.contains("'qq' is not allowed"))
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/viewer.log"))
        #expect(server.process.isRunning)

        // A client killed in the middle of a lot of output disturbs nobody.
        let doomed = try RunningProgram(
            Products.path("xremote"), ["/c", "localhost", "lesson1"],
            environment: scratch.environment)
        #expect(server.waitFor("**Remote: Connected to", count: 4))
        let script = scratch.path + "/filler.txt"
        try (1...2000).map { ".echo F-\($0)" }.joined(separator: "\n").write(
            toFile: script, atomically: true, encoding: .utf8)
        server.send("$<\(script)")
        #expect(doomed.waitFor("F-100"))
        doomed.kill()
        server.send(".echo S-99")
        for program in [server, ann, viewer, socat] {
            #expect(program.waitFor { $0.contains("\nS-99\n") })
            let filler = program.text.markers(prefixes: ["F"])
            #expect(filler == (1...2000).map { "F-\($0)" })
        }
        #expect(server.waitFor("**Remote:  Disconnected from"))

        // @Q leaves; the others see it.
        ann.send("@Q")
        #expect(ann.waitFor("*** SESSION OVER ***"))
        #expect(ann.exitCode(within: 60) == 0)
        #expect(socat.waitFor("**Remote:  Disconnected from", count: 2))
        socat.closeInput()
        viewer.closeInput()
    }

    @Test func newcomersAreReplayedTheLast200Lines() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-kqm"], environment: scratch.environment)
        defer { server.send("q") }
        try FileManager.default.createDirectory(
            atPath: scratch.path, withIntermediateDirectories: true)
        let script = scratch.path + "/lines.txt"
        try (1...300).map { ".echo R-\($0)" }.joined(separator: "\n").write(
            toFile: script, atomically: true, encoding: .utf8)
        server.send("$$><\(script)")
        server.send(".remote replay")
        #expect(server.waitFor("To Connect:"))
        let client = try RunningProgram(
            Products.path("xremote"), ["/c", "localhost", "replay"],
            environment: scratch.environment)
        #expect(client.waitFor("**Remote: Connected to"))
        // Between the client banner and the connect notice: exactly 200 lines of history.
        let lines = client.lines
        guard let start = lines.firstIndex(of: "Connected..."),
            let end = lines.firstIndex(where: { $0.hasPrefix("**Remote: Connected to") })
        else {
            Issue.record("no banner or notice in \(client.text.prefix(500))")
            return
        }
        let replay = Array(lines[(start + 2)..<end])
        #expect(replay.count == 200)
        // The replay ends with the .remote banner, and holds the newest R- lines only.
        let markers = replay.filter { $0.hasPrefix("R-") }
        #expect(markers.last == "R-300")
        #expect(markers.first.map { Int($0.dropFirst(2)) ?? 0 > 100 } == true)
        client.send("@Q")

        // A debugger client finds the .remote session by name too.
        let debugger = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=replay"],
            environment: scratch.environment)
        debugger.send(".echo via-debugger-client")
        #expect(server.waitFor("\nvia-debugger-client\n"))
        debugger.closeInput()
        #expect(debugger.exitCode(within: 60) == 0)
    }

    @Test func passwordsAndTCP() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-server", "tcp:port=47100:47199,password=Tiger7"],
            environment: scratch.environment)
        defer { server.send("q") }
        #expect(server.waitFor("Join with: xcdb -remote tcp:server=localhost,port="))
        guard
            let port = server.text.split(separator: "\n").first(where: { $0.hasPrefix("Join with") }
            )
            .flatMap({ line in line.split(separator: ",").first { $0.hasPrefix("port=") } })
            .flatMap({ Int($0.dropFirst(5).prefix { $0.isNumber }) })
        else {
            Issue.record("no port in \(server.text)")
            return
        }
        #expect(server.text.contains("Server started with 'tcp:port=47100:47199,password=*'"))
        #expect(!server.text.contains("Tiger7"))

        let intruder = try RunningProgram(
            Products.path("xcdb"),
            ["-remote", "tcp:server=127.0.0.1,port=\(port),password=guess"])
        #expect(intruder.exitCode(within: 60) == 1)
        #expect(intruder.text.contains("Wrong password (Error 0x80004005)."))

        let friend = try RunningProgram(
            Products.path("xcdb"),
            ["-remote", "tcp:server=localhost,port=\(port),password=Tiger7"])
        #expect(server.waitFor("(tcp:Port=47100:47199,Password=*) connected at"))
        friend.send(".echo from-friend")
        friend.send(".servers")
        #expect(server.waitFor("from-friend"))
        #expect(friend.waitFor("0 - Debugger Server - tcp:Port=47100:47199,Password=*"))
        #expect(
            server.text.split(separator: "\n").contains {
                $0.hasSuffix(": xcdb> .echo from-friend")
            })
        friend.send(".remote_exit")
        #expect(friend.exitCode(within: 60) == 0)
        #expect(server.waitFor(") disconnected at"))
    }

    @Test(.requires(.socat)) func pipedClientsGetTheOutputOfTheirLastCommands() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-server", "npipe:pipe=oneshot", "-noio"],
            environment: scratch.environment)
        defer { server.kill() }
        #expect(server.waitFor("Server started with"))
        let socket = scratch.path + "/run/npipe.oneshot"
        // Input ends at once; the output of both commands still arrives, then socat exits.
        let socat = try RunningProgram("/usr/bin/socat", ["-", "UNIX-CONNECT:\(socket)"])
        socat.send(".echo one")
        socat.send(".echo two")
        socat.closeInput()
        #expect(socat.exitCode(within: 60) == 0)
        #expect(socat.text.hasSuffix("one\ntwo\n") || socat.text.contains("\none\ntwo\n"))
        let client = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=localhost,pipe=oneshot"],
            environment: scratch.environment)
        client.send(".echo three")
        client.closeInput()
        #expect(client.exitCode(within: 60) == 0)
        #expect(client.text.contains("\nthree\n"))
    }

    @Test(.requires(.root, .socat))
    func anotherUserCannotOpenTheSocket() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-server", "npipe:pipe=owner_only"],
            environment: scratch.environment)
        defer { server.send("q") }
        #expect(server.waitFor("Server started with"))
        let socket = scratch.path + "/run/npipe.owner_only"
        var info = stat()
        #expect(lstat(socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(lstat(scratch.path + "/run", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        // Even with the directory opened up, the socket itself refuses a process that dropped
        // to the nobody user; the owner gets in.
        chmod(scratch.path, 0o755)
        chmod(scratch.path + "/run", 0o711)
        let stranger = try RunningProgram(
            "/usr/bin/setpriv",
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/socat", "-",
                "UNIX-CONNECT:\(socket)",
            ])
        #expect(stranger.exitCode(within: 60) != 0)
        #expect(stranger.text.contains("Permission denied"))
        let owner = try RunningProgram("/usr/bin/socat", ["-", "UNIX-CONNECT:\(socket)"])
        #expect(server.waitFor("connected at"))
        owner.closeInput()
    }
}
