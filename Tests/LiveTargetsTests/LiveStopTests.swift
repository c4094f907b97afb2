import Engine
import Foundation
import Testing

/// The stops only the simulated machine makes: a call to an import nobody implements.
@Suite(.serialized) struct LiveStopTests {
    static let unimplemented = LivePrograms.guest.deletingLastPathComponent()
        .appendingPathComponent("Tests/EmulationPrograms/unimplemented.c")

    @Test func unimplementedImportStopsWithAClearMessageAndGoFails() throws {
        let source = try String(contentsOf: Self.unimplemented, encoding: .utf8)
        let live = try LiveSession(LivePrograms.mingw("unimplemented", source))
        let stop = live.run("g")
        #expect(stop.contains("calling MessageBoxA"))
        #expect(
            stop.contains {
                $0.hasSuffix(
                    "The program called USER32.dll!MessageBoxA, which xcdb does not implement.")
            },
            "\(stop)")
        let rest = live.run("g")
        #expect(rest.contains("returned 0, last error 127"), "\(rest)")
        #expect(
            live.run(".lastevent").first?.hasSuffix(
                "Exit process 0:\(String(live.processID ?? 0, radix: 16)), code 0") == true)
    }
}
