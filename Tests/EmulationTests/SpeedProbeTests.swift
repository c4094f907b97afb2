import Foundation
import PEFormat
import Testing

@testable import Emulation

@Suite struct SpeedProbeTests {
    @Test func probe() throws {
        guard
            let quantum = ProcessInfo.processInfo.environment["XCDB_SPEED_PROBE"].flatMap(
                UInt64.init)
        else { return }
        let path = try GuestBuild.program("loop", extra: ["/export:loop_count,DATA"])
        let launched = try Launched.start(path) { $0.quantum = quantum }
        _ = launched.skipStartEvents
        let process = launched.process
        var event = process.run()
        while case .moduleLoaded = event.kind { event = process.run() }
        let image = process.modules[0]
        // loop_count is the first export's data; find it through the PE export table.
        let peImage = try PEFormatProbe.export(path, "loop_count")
        let address = image.base + peImage
        let count: UInt64 = 50_000_000
        process.writeMemory(at: address, bytes: withUnsafeBytes(of: count) { Array($0) })
        let start = Date()
        let end = process.run()
        let elapsed = Date().timeIntervalSince(start)
        print("SPEED", end.kind, process.clock, Double(process.clock) / elapsed / 1e6, "M/s")
    }
}

enum PEFormatProbe {
    static func export(_ path: String, _ name: String) throws -> UInt64 {
        let image = try PEImage(contentsOfFile: path)
        return UInt64(try #require(try image.exports().export(named: name)).rva)
    }
}
