import Testing

@testable import ExampleDump

/// The emulated address space: regions as VirtualQuery reports them, and the layout checks.
@Suite struct ProcessLayoutTests {
    @Test func freeGapsCoverUserSpace() {
        let committed = ProcessRegion(
            base: 0x1_4000_0000, size: 0x2000, allocationBase: 0x1_4000_0000,
            allocationProtect: 0x80, state: .commit, protect: 0x20, type: .image)
        var second = committed
        second.base = 0x1_4000_2000
        second.protect = 0x2
        let heap = ProcessRegion(
            base: 0x7000_0000, size: 0x1000, allocationBase: 0x7000_0000, allocationProtect: 4,
            state: .commit, protect: 4, type: .privateMemory)
        let regions = ProcessRegion.coveringUserSpace([second, heap, committed])
        #expect(
            regions.map(\.base) == [
                0, 0x7000_0000, 0x7000_1000, 0x1_4000_0000, 0x1_4000_2000, 0x1_4000_4000,
            ])
        #expect(regions.map(\.state) == [.free, .commit, .free, .commit, .commit, .free])
        #expect(regions.last?.end == ProcessRegion.userSpaceEnd)
        for (a, b) in zip(regions, regions.dropFirst()) { #expect(a.end == b.base) }
        #expect(
            regions.filter { $0.state == .free }.allSatisfy { $0.protect == 1 && $0.type == .none })
    }

    @Test func imageRegionsFollowSectionProtection() throws {
        let image = try LoadedImage(path: Example.executable)
        let regions = image.regions()
        #expect(regions.first?.base == image.base)
        #expect(regions.last?.end == image.base + image.size)
        for (a, b) in zip(regions, regions.dropFirst()) {
            #expect(a.end == b.base)
            #expect(a.protect != b.protect, "neighbours with the same protection are merged")
        }
        let entry = try #require(
            regions.first { $0.base <= image.entryPoint && image.entryPoint < $0.end })
        #expect(entry.protect == PageProtection.executeRead)
        #expect(regions.allSatisfy { $0.type == .image && $0.allocationBase == image.base })
    }

    @Test func stackAndSystemBlocks() throws {
        let image = try LoadedImage(path: Example.executable)
        let process = ExampleProcess.standard
        let space = try ProcessSpace(image: image, process: process)
        let stack = space.regions.filter { $0.allocationBase == process.stackBase - 0x10_0000 }
        #expect(stack.map(\.state) == [.reserve, .commit, .commit])
        #expect(stack.map(\.protect) == [0, 0x104, 0x4])  // reserved, guard page, committed
        #expect(stack.last?.end == process.stackBase)
        #expect(space.initialStackPointer % 16 == 8)
        #expect(space.regions.filter(\.isAccessible).count == space.regions.count - 2)

        var overlapping = process
        overlapping.heapAddress = image.base
        #expect(throws: ExampleError.self) { try ProcessSpace(image: image, process: overlapping) }
        var misaligned = process
        misaligned.stackBase += 0x100
        #expect(throws: ExampleError.self) { try ProcessSpace(image: image, process: misaligned) }
    }

    @Test func blocksHoldTheProcessIdentity() throws {
        let image = try LoadedImage(path: Example.executable)
        let process = ExampleProcess.standard
        let blocks = ProcessBlocks(
            process: process, image: image, stackLimit: process.stackBase - 0x2000,
            stackAllocation: process.stackBase - 0x10_0000)
        func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
            bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        let teb = Int(process.tebAddress - process.pebAddress)
        #expect(u64(blocks.systemBlocks, teb + 0x30) == process.tebAddress)  // Self
        #expect(u64(blocks.systemBlocks, teb + 0x48) == UInt64(process.threadId))
        #expect(u64(blocks.systemBlocks, teb + 0x60) == process.pebAddress)
        #expect(u64(blocks.systemBlocks, 0x10) == image.base)  // ImageBaseAddress
        // The command line is a UNICODE_STRING pointing into the heap page.
        let parameters = Int(ProcessBlocks.HeapOffset.parameters)
        let length = Int(blocks.heap[parameters + 0x70]) | Int(blocks.heap[parameters + 0x71]) << 8
        let buffer = Int(u64(blocks.heap, parameters + 0x78) - process.heapAddress)
        let text = String(
            decoding: stride(from: buffer, to: buffer + length, by: 2).map {
                UInt16(blocks.heap[$0]) | UInt16(blocks.heap[$0 + 1]) << 8
            }, as: UTF16.self)
        #expect(text == "\"\(process.imagePath)\"")
    }
}
