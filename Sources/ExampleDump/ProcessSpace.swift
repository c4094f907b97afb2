import Emulation

/// The emulated process's address space before the entry point runs: the image, the main
/// thread's stack (reserved, guard page, committed top), the PEB/TEB allocation and a heap page.
struct ProcessSpace {
    /// Every allocated region, sorted by address.
    let regions: [ProcessRegion]
    /// Bytes to write before the program starts.
    let contents: [(address: UInt64, bytes: [UInt8])]
    /// The regions whose bytes a dump keeps besides the stack: image, system blocks, heap.
    let dumpedRegions: [ProcessRegion]
    let stackCommit: UInt64
    /// Where `rsp` points at the entry point: at a zero return address, 8 bytes below a
    /// 16-byte boundary as after a call, below the home space of the (absent) caller.
    let initialStackPointer: UInt64

    static let page: UInt64 = 0x1000

    init(image: LoadedImage, process: ExampleProcess) throws(ExampleError) {
        let page = Self.page
        let reserve = min(
            max(image.image.optionalHeader.sizeOfStackReserve, 0x10000), 256 << 20)
        let reserveRounded = (reserve + 0xFFFF) & ~0xFFFF
        let commit = min(max(process.stackCommit, page), reserveRounded - 2 * page) & ~(page - 1)
        guard process.stackBase & 0xFFFF == 0, process.stackBase >= reserveRounded,
            process.pebAddress & (page - 1) == 0, process.tebAddress == process.pebAddress + page,
            process.heapAddress & 0xFFFF == 0
        else {
            throw .emulation(
                "the process layout needs a 64 KiB-aligned stack base and heap, "
                    + "and the TEB on the page after the PEB")
        }
        let stackAllocation = process.stackBase - reserveRounded
        let stackLimit = process.stackBase - commit
        let readWrite = PageProtection.readWrite

        let stackRegions = [
            ProcessRegion(
                base: stackAllocation, size: stackLimit - page - stackAllocation,
                allocationBase: stackAllocation, allocationProtect: readWrite, state: .reserve,
                protect: 0, type: .privateMemory),
            ProcessRegion(
                base: stackLimit - page, size: page, allocationBase: stackAllocation,
                allocationProtect: readWrite, state: .commit,
                protect: readWrite | PageProtection.guardPage, type: .privateMemory),
            ProcessRegion(
                base: stackLimit, size: commit, allocationBase: stackAllocation,
                allocationProtect: readWrite, state: .commit, protect: readWrite,
                type: .privateMemory),
        ]
        let blocks = ProcessBlocks(
            process: process, image: image, stackLimit: stackLimit,
            stackAllocation: stackAllocation)
        let systemRegion = ProcessRegion(
            base: process.pebAddress, size: UInt64(blocks.systemBlocks.count),
            allocationBase: process.pebAddress, allocationProtect: readWrite, state: .commit,
            protect: readWrite, type: .privateMemory)
        let heapRegion = ProcessRegion(
            base: process.heapAddress, size: UInt64(blocks.heap.count),
            allocationBase: process.heapAddress, allocationProtect: readWrite, state: .commit,
            protect: readWrite, type: .privateMemory)
        let imageRegions = image.regions()

        let all = (imageRegions + stackRegions + [systemRegion, heapRegion]).sorted {
            $0.base < $1.base
        }
        for (first, second) in zip(all, all.dropFirst()) where first.end > second.base {
            throw .emulation(
                "the process layout overlaps at \(Hex.text(second.base)); "
                    + "move the stack, PEB/TEB or heap away from the image")
        }
        regions = all
        contents = [
            (image.base, image.bytes), (process.pebAddress, blocks.systemBlocks),
            (process.heapAddress, blocks.heap),
        ]
        dumpedRegions = imageRegions + [systemRegion, heapRegion]
        stackCommit = commit
        initialStackPointer = process.stackBase - 0x48
    }

    /// Maps the accessible regions with their protection and writes the initial contents.
    func load(into unicorn: Unicorn) throws(ExampleError) {
        try emulating { () throws(EmulationError) in
            for region in regions where region.isAccessible {
                try unicorn.map(
                    region.base, size: Int(region.size),
                    protection: PageProtection.unicorn(region.protect))
            }
            for (address, bytes) in contents {
                try unicorn.write(address, bytes)
            }
        }
    }
}
