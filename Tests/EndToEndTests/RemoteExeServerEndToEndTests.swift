import Foundation
import TestSupport
import Testing

/// `xremote /s` (a child program shared remote.exe style), `/q`, and the session commands.
@Suite(.serialized) struct RemoteExeServerEndToEndTests {
    @Test func aChildProgramIsSharedListedAndEnded() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xremote"), ["/s", "cat", "Kitty", "/v"],
            environment: scratch.environment)
        #expect(server.waitFor("To Connect: xremote /c "))
        #expect(server.text.contains("\"kitty\""))

        let query = try RunningProgram(
            Products.path("xremote"), ["/q", "localhost"], environment: scratch.environment)
        #expect(query.exitCode(within: 60) == 0)
        #expect(
            query.text.split(separator: "\n").contains {
                $0.hasPrefix("cat ") && $0.hasSuffix("\"kitty\"] visible")
            })

        let client = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "kitty"], environment: scratch.environment)
        #expect(server.waitFor("**Remote: Connected to"))
        client.send("meow from client")
        client.send("@M hello everyone")
        client.send("@K")
        server.send("purr from console")
        // cat echoes every participant's line: everyone sees the output once more.
        #expect(client.waitFor("\npurr from console\n"))
        #expect(server.waitFor("\nmeow from client\n"))
        #expect(client.waitFor("@K: only the server's console can end the session"))
        #expect(server.waitFor("\n@M hello everyone"))
        #expect(
            client.text.split(separator: "\n").contains {
                $0.hasPrefix("purr from console") && $0.contains("[Local")
            })

        server.send("@K")
        #expect(server.exitCode(within: 60) == 0)
        #expect(client.waitFor("*** SESSION OVER ***"))
        #expect(client.exitCode(within: 60) == 0)
        // The session is gone from the registry.
        let after = try RunningProgram(
            Products.path("xremote"), ["/q", "."], environment: scratch.environment)
        #expect(after.exitCode(within: 60) == 0)
        #expect(after.text.contains("No Remote servers running on \\\\."))
    }

    @Test func joiningANameThatDoesNotExistSaysSo() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let client = try RunningProgram(
            Products.path("xremote"), ["/c", "localhost", "nobody_here"],
            environment: scratch.environment)
        #expect(client.exitCode(within: 60) == 1)
        #expect(client.text.contains("*** Unable to Connect ***"))
        #expect(client.text.contains("no session named 'nobody_here'"))
    }
}
