import Engine
import Testing

@testable import Remote

@Suite struct TransportParsingTests {
    @Test func npipeServerStrings() throws {
        let transport = try ServerTransport.parse("npipe:pipe=tiger,password=hardtoguess")
        #expect(transport.kind == .npipe(name: "tiger"))
        #expect(transport.password == "hardtoguess")
        #expect(transport.listing == "npipe:Pipe=tiger,Password=*")
        let pid = try ServerTransport.parse("NPIPE:Pipe=dbg_%d,readonly,hidden", processID: 1234)
        #expect(pid.kind == .npipe(name: "dbg_1234"))
        #expect(pid.readOnly && pid.hidden)
        #expect(pid.listing == "npipe:Pipe=dbg_1234,Hidden,ReadOnly")
    }

    @Test func tcpServerStrings() throws {
        #expect(try ServerTransport.parse("tcp:port=7").listing == "tcp:Port=7")
        let range = try ServerTransport.parse("tcp:port=51:60,address=0.0.0.0,password=x")
        #expect(range.kind == .tcp(ports: 51...60, address: "0.0.0.0"))
        let reverse = try ServerTransport.parse("tcp:port=5,clicon=\\\\box17")
        #expect(reverse.kind == .tcpReverse(host: "box17", port: 5))
    }

    @Test func badServerStringsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("pipe=x", "not a transport"),
            ("npipe:name=x", "unknown option"),
            ("npipe:", "needs pipe=NAME"),
            ("tcp:port=0", "port '0'"),
            ("tcp:port=9:3", "range"),
            ("com:port=1", "not supported"),
            ("npipe:pipe=../etc", "pipe name"),
            ("npipe:pipe=a,password=", "password="),
            ("tcp:port=5:6,clicon=h", "exact port"),
        ]
        for (text, fragment) in cases {
            #expect(throws: TransportError.self) { try ServerTransport.parse(text) }
            do {
                _ = try ServerTransport.parse(text)
            } catch {
                #expect(error.message.contains(fragment), "\(text): \(error.message)")
            }
        }
    }

    @Test func clientStrings() throws {
        let pipe = try ClientTransport.parse("npipe:server=Box,pipe=rabbit,password=p")
        #expect(pipe.kind == .npipe(server: "Box", name: "rabbit"))
        #expect(pipe.password == "p")
        #expect(
            try ClientTransport.parse("tcp:server=127.0.0.1,port=1025").kind
                == .tcp(server: "127.0.0.1", port: 1025))
        #expect(
            try ClientTransport.parse("tcp:clicon=box,port=9").kind
                == .tcpWaiting(host: "box", port: 9))
        #expect(throws: TransportError.self) { try ClientTransport.parse("tcp:port=5") }
    }

    @Test func xremoteCommandLines() throws {
        #expect(
            try XRemoteCommand.parse(["/c", "box", "lesson1", "/L", "50", "/RO"])
                == .client(server: "box", session: "lesson1", lines: 50, readOnly: true))
        #expect(try XRemoteCommand.parse(["-q", "."]) == .query(server: "."))
        #expect(
            try XRemoteCommand.parse(["/s", "cdb -v", "dbg", "/-v"])
                == .server(command: "cdb -v", session: "dbg", visible: false))
        #expect(throws: TransportError.self) { try XRemoteCommand.parse(["/c", "box"]) }
        #expect(throws: TransportError.self) {
            try XRemoteCommand.parse(["/c", "box", "x", "/L", "lots"])
        }
    }
}

@Suite struct SecretsTests {
    @Test func passwordsAreMasked() {
        #expect(
            Secrets.redacted(".server tcp:port=5,password=hunter2,hidden")
                == ".server tcp:port=5,password=*,hidden")
        #expect(
            Secrets.redacted("-remote tcp:server=b,port=1,PASSWORD=x y")
                == "-remote tcp:server=b,port=1,PASSWORD=* y")
        #expect(Secrets.redacted("a password=1;password=2") == "a password=*;password=*")
        let plain = ".echo nothing secret"
        #expect(Secrets.redacted(plain) == plain)
        #expect(Secrets.containsSecret(".server npipe:pipe=a,Password=b"))
        #expect(!Secrets.containsSecret(".server npipe:pipe=a"))
    }

    @Test func theHubMasksEchoesAndErrorsButNotOutput() {
        let hub = OutputHub()
        hub.emit(.commandEcho, "0:000> .server tcp:port=1,password=abc", origin: .console)
        hub.emit(.error, "^ Syntax error in 'x password=abc'", origin: .console)
        let texts = hub.scrollback(last: 2).map(\.text)
        #expect(
            texts == ["0:000> .server tcp:port=1,password=*", "^ Syntax error in 'x password=*'"])
    }
}

@Suite struct SessionCommandTests {
    @Test func parsesRemoteExeCommands() {
        #expect(SessionCommand.parse("@h") == .help)
        #expect(SessionCommand.parse("@M I found it") == .message("I found it"))
        #expect(SessionCommand.parse("  @p look") == .popup("look"))
        #expect(SessionCommand.parse("@Q") == .quit)
        #expect(SessionCommand.parse("@k") == .kill)
        #expect(SessionCommand.parse("@@x") == .escaped("@x"))
        #expect(SessionCommand.parse("@z") == .unknown)
        #expect(SessionCommand.parse("k") == nil)
    }

    @Test func helloRoundTrips() {
        let hello = ClientHello(
            user: "ann", host: "BOX", lines: 50, readOnly: true, session: "lesson1",
            program: "xremote")
        guard let control = WireProtocol.control(hello.line) else {
            Issue.record("not a control line")
            return
        }
        #expect(control.name == "hello")
        #expect(ClientHello.parse(control.argument) == hello)
        // Hostile values are cleaned, never fatal.
        let odd = ClientHello.parse("user=\u{1b}[2Jx lines=-5 host=")
        #expect(odd.user == "2Jx")
        #expect(odd.lines == 0)
        #expect(odd.host == "unknown")
    }

    @Test func constantTimeComparison() {
        #expect(PasswordCheck.constantTimeEquals("abc", "abc"))
        #expect(!PasswordCheck.constantTimeEquals("abc", "abd"))
        #expect(!PasswordCheck.constantTimeEquals("abc", "abcd"))
        #expect(!PasswordCheck.constantTimeEquals("", "a"))
        let check = PasswordCheck(password: "pw")
        #expect(!check.matches("nope"))
        let first = check.delayAfterFailure
        #expect(!check.matches("nope"))
        #expect(check.delayAfterFailure > first)
        #expect(check.matches("pw"))
    }
}
