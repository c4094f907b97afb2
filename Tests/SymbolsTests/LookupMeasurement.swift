import Foundation
import TestSupport
import Testing

@testable import Symbols

/// A micro-measurement, not a timed test: lazy load of the largest corpus `.sym` file plus
/// 10,000 address lookups, printed for the record. Nothing here asserts on time.
@Suite struct LookupMeasurement {
    @Test func lazyLoadAndTenThousandLookups() throws {
        func size(_ path: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        }
        let largest = try #require(SymFileScan.corpusFiles().max { size($0) < size($1) })
        let clock = ContinuousClock()
        var generator = SplitMix64(seed: 7)
        let source = BreakpadSymbolSource(path: largest)
        var resolved = 0
        let load = clock.measure { _ = try? source.load() }
        let lookups = clock.measure {
            for _ in 0..<10_000 {
                let rva = 0x1000 + generator.next() % 0x2_c000
                if source.nearestSymbol(atOrBelow: rva) != nil { resolved += 1 }
                _ = source.sourceLine(at: rva)
            }
        }
        print(
            "[measurement] \((largest as NSString).lastPathComponent): load+parse \(load),"
                + " 10000 × (nearestSymbol + sourceLine) \(lookups), \(resolved) resolved")
        #expect(resolved > 0)
    }
}
