import Foundation
import Testing

@testable import Emulation

/// Temporary probe: runs /tmp/mg/hello.exe with the guest DLLs and prints the events.
@Suite struct GuestDLLProbeTests {
    @Test func probe() throws {
        guard let folder = ProcessInfo.processInfo.environment["XCDB_PROBE"] else { return }
        var options = ProcessOptions()
        options.systemFolder = folder
        let output = ConsoleCapture()
        options.consoleOutput = { output.append($0.bytes) }
        let process = try EmulatedProcess(program: "/tmp/mg/hello.exe", arguments: ["a b", "c"], options: options)
        var status = ContinueStatus.handled
        for _ in 0..<200 {
            let event = process.run(status)
            print("EVENT", event.kind, String(event.threadID, radix: 16), event.clock)
            if case .exception(let info) = event.kind {
                let context = process.context(ofThread: event.threadID)
                print("  rip", String(context?.rip ?? 0, radix: 16), "module", process.modules.first { $0.contains(context?.rip ?? 0) }?.name ?? "?")
                status = info.code == 0x8000_0003 ? .handled : .notHandled
            } else { status = .handled }
            if case .processExited = event.kind { break }
        }
        print("OUTPUT<<", output.text, ">>")
    }
}
