import Engine
import Foundation
import Testing

@testable import Remote

@Suite(.serialized) struct SharedSessionTests {
    @Test func newcomersGetTheLastLinesOfScrollback() throws {
        // The clients' hello comes right after connecting; on a loaded machine it can come
        // after the usual 150 ms wait, and they would join as plain clients first (named as
        // such in the notice, replayed the default 200 lines). Wait as long as it takes here.
        let harness = SharingHarness(limits: ["XCDB_REMOTE_HELLO_MS": "600000"])
        for index in 1...300 { harness.run(".echo line \(index)") }
        harness.run(".server npipe:pipe=replay")
        // The debugger-server style shows console echoes as they are, so the replay must be the
        // hub's own last 200 lines, byte for byte.
        let expected = harness.session.hub.scrollback(last: 200).map(\.text)
        let client = RecordingClient()
        #expect(try client.join(.unix(path: harness.pipePath("replay"))) != .closed(nil))
        #expect(eventually { client.lines.count >= 201 })
        #expect(Array(client.lines.prefix(200)) == expected)
        #expect(client.lines[200].contains("TESTBOX\\ann (npipe:Pipe=replay) connected at"))

        let few = RecordingClient(user: "bob", lines: 3)
        _ = try few.join(.unix(path: harness.pipePath("replay")))
        #expect(eventually { few.lines.count >= 4 })
        #expect(few.lines.first == expected.suffix(2).first.map { _ in few.lines[0] })
        #expect(few.lines[3].contains("TESTBOX\\bob"))
    }

    @Test func socketsArePrivateToTheirOwner() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=private")
        var info = stat()
        #expect(lstat(harness.directory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(info.st_uid == getuid())
        #expect(lstat(harness.pipePath("private"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
    }

    @Test func accessAllOpensASocketToEveryLocalUser() throws {
        let harness = SharingHarness()
        let lines = harness.run(".server npipe:pipe=wide,access=all")
        #expect(lines.first == "Server started with 'npipe:pipe=wide,access=all'")
        let shared = harness.directory + "-shared"
        var info = stat()
        #expect(lstat(shared, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o1777)
        #expect(lstat(shared + "/npipe.wide", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o666)
        #expect(harness.run(".servers") == ["0 - Debugger Server - npipe:Pipe=wide,Access=All"])
    }

    @Test func theRegistryForgetsSessionsOfDeadProcesses() throws {
        let directory = RuntimeDirectory(
            path: NSTemporaryDirectory()
                + "xcdb-registry-\(getpid())-\(UUID().uuidString.prefix(6))")
        try directory.preparePrivate()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let registry = SessionRegistry(directories: [directory])
        // pid 0x7fff_fff0 does not exist; our own pid does, and one of our sockets answers.
        let live = try #require(UnixListeningSocket(path: directory.path + "/live.sock"))
        let stale = try #require(UnixListeningSocket(path: directory.path + "/stale.sock"))
        stale.closeLeavingFile()
        try registry.register(
            .init(
                name: "ghost", command: "cdb", visible: true, processID: 0x7fff_fff0,
                socket: live.path),
            in: directory)
        try registry.register(
            .init(
                name: "alive", command: "cmd", visible: false, processID: getpid(),
                socket: live.path),
            in: directory)
        // A process id reused by another program: its entry stays, but nobody answers there.
        try registry.register(
            .init(
                name: "reused", command: "cdb", visible: true, processID: getpid(),
                socket: stale.path),
            in: directory)
        #expect(registry.liveSessions().map(\.name) == ["alive"])
        #expect(!FileManager.default.fileExists(atPath: directory.remoteSessionEntry("ghost")))
        #expect(FileManager.default.fileExists(atPath: directory.remoteSessionEntry("reused")))
        #expect(registry.find("ALIVE")?.visible == false)
        #expect(registry.find("reused") == nil)
        #expect(SessionRegistry.isVisibleByDefault(command: "i386KD -v"))
        #expect(!SessionRegistry.isVisibleByDefault(command: "cmd"))
    }

    @Test func aDirectoryOpenToOthersIsRefused() {
        let path = NSTemporaryDirectory() + "xcdb-open-\(getpid())"
        mkdir(path, 0o777)
        chmod(path, 0o777)
        defer { rmdir(path) }
        #expect(throws: RemoteError.self) { try RuntimeDirectory(path: path).preparePrivate() }
    }

    @Test func readOnlyParticipantsCanLookButNotChange() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=ro")
        let viewer = RecordingClient(readOnly: true)
        #expect(
            try viewer.join(.unix(path: harness.pipePath("ro"))) == .joined(id: 1, readOnly: true))
        // Scripts run with their starter's rights: this one's `q` is refused as if typed.
        try "q\n".write(
            toFile: "\(harness.directory)/script.txt", atomically: true, encoding: .utf8)
        viewer.client.send(".echo looking")
        viewer.client.send(".logopen \(harness.directory)/never.log")
        viewer.client.send("q")
        viewer.client.send("$<\(harness.directory)/script.txt")
        viewer.client.send("@K")
        #expect(eventually { viewer.lines.filter { $0.contains("read-only") }.count == 3 })
        #expect(viewer.lines.contains("looking"))
        // Session commands are answered at once, the others when the session runs them: the
        // answer to `@K` may come before or after the refusals.
        #expect(eventually { viewer.lines.contains { $0.hasPrefix("@K: only the server") } })
        #expect(!FileManager.default.fileExists(atPath: "\(harness.directory)/never.log"))
        #expect(harness.session.withState { $0.log == nil })
    }

    @Test func aWrongPasswordIsRefusedAndARightOneJoins() throws {
        let harness = SharingHarness()
        let lines = harness.run(".server npipe:pipe=locked,password=s3cret")
        #expect(lines.first == "Server started with 'npipe:pipe=locked,password=*'")
        #expect(harness.run(".servers") == ["0 - Debugger Server - npipe:Pipe=locked,Password=*"])
        #expect(!harness.session.hub.scrollback(last: 100).contains { $0.text.contains("s3cret") })

        let intruder = RecordingClient()
        let refused = try intruder.join(.unix(path: harness.pipePath("locked")), password: "guess")
        #expect(refused == .closed(WireProtocol.wrongPassword))
        let friend = RecordingClient()
        let joined = try friend.join(.unix(path: harness.pipePath("locked")), password: "s3cret")
        #expect(joined == .joined(id: 1, readOnly: false))
    }

    @Test func hostileInputIsBoundedAndTheSessionGoesOn() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=hostile")
        let watcher = RecordingClient(user: "watcher")
        _ = try watcher.join(.unix(path: harness.pipePath("hostile")))
        guard let attacker = RawSocket(path: harness.pipePath("hostile")) else {
            Issue.record("cannot connect")
            return
        }
        // 16 MB in one line, then binary garbage, then a normal command.
        let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)
        for _ in 0..<16 { attacker.send(chunk) }
        attacker.send([0x0A, 0x00, 0xFF, 0x1B, 0x5B, 0x32, 0x4A, 0x0A])
        attacker.send(".echo still here\n")
        #expect(attacker.read { $0.contains("Line too long (16777216 bytes") })
        #expect(eventually { watcher.lines.contains("still here") })
        #expect(watcher.lines.contains { $0.contains("^@\u{FFFD}^[[2J") })
        #expect(!watcher.lines.contains { $0.contains("\u{1B}") })

        // A burst of 1,000 connects, each closed at once but every tenth, which stay silent
        // and join as plain clients after the hello wait: the session keeps working.
        var held: [RawSocket] = []
        for index in 0..<1000 {
            guard let socket = RawSocket(path: harness.pipePath("hostile")) else { continue }
            if index % 10 == 0 { held.append(socket) }
        }
        #expect(eventually { harness.service.participantCount == 2 + held.count })
        held.removeAll()
        watcher.client.send(".echo after the burst")
        #expect(eventually { watcher.lines.contains("after the burst") })
        #expect(eventually { harness.service.participantCount == 2 })
    }

    @Test func remoteExitRunsFinalCommandsThenLeaves() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=leaving")
        let log = harness.directory + "/session.log"
        harness.run(".logopen \(log)")
        let client = RecordingClient(user: "leaver")
        _ = try client.join(.unix(path: harness.pipePath("leaving")))
        client.client.send(".remote_exit .echo last words; .echo really")
        #expect(eventually { client.isClosed })
        #expect(client.lines.suffix(3) == ["last words", "really", SessionCommand.sessionOver])
        #expect(eventually { harness.service.participantCount == 0 })
        #expect(harness.session.withState { $0.target == nil && !$0.quitRequested })
        // The log shows who typed the command.
        harness.run(".logclose")
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("TESTBOX\\leaver: xcdb> .remote_exit .echo last words; .echo really"))
    }

    @Test func commandsNeedTheSharingService() {
        let session = Session(mode: .user, programName: "xcdb", table: Builtins.table)
        let capture = session.hub.scrollback(last: 0)
        #expect(capture.isEmpty)
        session.execute(".remote lesson1", from: .console)
        let lines = session.hub.scrollback(last: 5).map(\.text)
        #expect(lines.contains { $0.contains("not available") })
    }

    @Test func remoteUsageErrorsAndNames() {
        let harness = SharingHarness()
        #expect(harness.run(".remote") == ["Usage: .remote SessionName"])
        #expect(harness.run(".remote a b") == ["Usage: .remote SessionName"])
        #expect(harness.run(".remote ../x").first?.hasPrefix("Invalid session name") == true)
        let banner = harness.run(".remote Lesson1")
        #expect(
            banner.contains {
                $0.hasPrefix("To Connect: xremote /c ") && $0.hasSuffix("\"lesson1\"")
            })
        #expect(harness.run(".remote other").first?.contains("already shared as 'lesson1'") == true)
        #expect(harness.run(".remote_exit") == ["Remote session 'lesson1' ended."])
        #expect(harness.run(".remote_exit").first?.hasPrefix("No .remote session") == true)
        #expect(harness.run(".endsrv 7") == ["No active server with id 7 (see .servers)."])
        #expect(harness.run(".servers") == ["No servers are running."])
    }

    @Test func tcpBeyondLoopbackNeedsAPassword() {
        let harness = SharingHarness()
        let lines = harness.run(".server tcp:port=45999,address=0.0.0.0")
        #expect(lines.first?.hasPrefix("Refusing to listen on 0.0.0.0 without a password") == true)
        #expect(harness.run(".servers") == ["No servers are running."])
    }

    @Test func endsrvStopsNewJoinsButKeepsConnectedClients() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=ending")
        let client = RecordingClient()
        _ = try client.join(.unix(path: harness.pipePath("ending")))
        #expect(
            harness.run(".endsrv 0") == [
                "Server told to exit.  Actual exit may be delayed until",
                "the next connection attempt.",
            ])
        #expect(harness.run(".servers") == ["0 - <Disabled, exit pending>"])
        #expect(RawSocket(path: harness.pipePath("ending")) == nil)
        client.client.send(".echo still connected")
        #expect(eventually { client.lines.contains("still connected") })
    }
}

@Suite struct LateHelloTests {
    /// A program whose hello arrives after the server stopped waiting for it (a busy machine)
    /// still gets exactly the access it asked for: read-only stays read-only.
    @Test func aLateHelloStillMakesTheParticipantReadOnly() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=late")
        guard let socket = RawSocket(path: harness.pipePath("late")) else {
            Issue.record("cannot connect")
            return
        }
        // Joined as a plain client first.
        #expect(eventually { harness.service.participantCount == 1 })
        let hello = ClientHello(user: "slow", host: "FARAWAY", readOnly: true, program: "test")
        socket.send(hello.line + "\n.logopen \(harness.directory)/late.log\n")
        socket.read { $0.contains("'.logopen' is not allowed") }
        #expect(socket.text.contains("#xcdb:welcome v=1 id=1 style=server readonly=1"))
        #expect(
            socket.text.contains("'.logopen' is not allowed: you joined this session read-only"))
        #expect(harness.session.withState { $0.log == nil })
        #expect(harness.run(".clients").contains { $0.hasPrefix("FARAWAY\\slow (") })
    }
}
