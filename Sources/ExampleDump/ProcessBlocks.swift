import DumpFormat

/// The system structures a Windows x64 process has before its entry point runs, laid out at
/// the addresses `ExampleProcess` names: the TEB (what `gs:` points at), the PEB, the process
/// parameters (image path, command line, current directory, environment) and the loader's
/// module list with the one module this process has. `!teb`, `!peb` and `!gle` read them.
///
/// Field offsets are those of the x64 `TEB`, `PEB`, `RTL_USER_PROCESS_PARAMETERS`,
/// `PEB_LDR_DATA` and `LDR_DATA_TABLE_ENTRY`.
struct ProcessBlocks {
    /// The PEB page followed by the two TEB pages: one allocation.
    var systemBlocks: [UInt8]
    /// The heap page with the process parameters and loader data.
    var heap: [UInt8]

    /// Where things go on the heap page.
    enum HeapOffset {
        static let loaderData: UInt64 = 0x100
        static let moduleEntry: UInt64 = 0x180
        static let parameters: UInt64 = 0x300
        static let strings: UInt64 = 0x780
    }

    init(process: ExampleProcess, image: LoadedImage, stackLimit: UInt64, stackAllocation: UInt64) {
        var blocks = LittleEndianPage(size: 0x3000)
        let teb = Int(process.tebAddress - process.pebAddress)
        // TEB: NT_TIB, ClientId, PEB pointer, DeallocationStack.
        blocks.put64(teb + 0x08, process.stackBase)
        blocks.put64(teb + 0x10, stackLimit)
        blocks.put64(teb + 0x20, 0x1E00)  // FiberData holds the TIB version outside fibers
        blocks.put64(teb + 0x30, process.tebAddress)
        blocks.put64(teb + 0x40, UInt64(process.processId))
        blocks.put64(teb + 0x48, UInt64(process.threadId))
        blocks.put64(teb + 0x60, process.pebAddress)
        blocks.put64(teb + 0x1478, stackAllocation)

        let heapBase = process.heapAddress
        let loaderData = heapBase + HeapOffset.loaderData
        let moduleEntry = heapBase + HeapOffset.moduleEntry
        let parameters = heapBase + HeapOffset.parameters
        // PEB: Mutant -1, ImageBaseAddress, Ldr, ProcessParameters, ProcessHeap, OS version.
        blocks.put64(0x08, .max)
        blocks.put64(0x10, image.base)
        blocks.put64(0x18, loaderData)
        blocks.put64(0x20, parameters)
        blocks.put64(0x30, heapBase)
        blocks.put32(0x118, 10)  // OSMajorVersion
        blocks.put32(0x11C, 0)  // OSMinorVersion
        blocks.put16(0x120, UInt16(ExampleSystem.buildNumber))
        blocks.put32(0x124, 2)  // OSPlatformId: VER_PLATFORM_WIN32_NT
        blocks.put32(0x128, 3)  // ImageSubsystem: console
        blocks.put32(0x12C, 6)  // ImageSubsystemMajorVersion
        blocks.put32(0x130, 0)
        systemBlocks = blocks.bytes

        var heap = LittleEndianPage(size: 0x1000)
        var strings = StringArea(base: heapBase, offset: Int(HeapOffset.strings))
        let imagePath = strings.add(process.imagePath)
        let imageName = strings.add(process.imageName)
        let commandLine = strings.add("\"\(process.imagePath)\"")
        let directory = strings.add(process.currentDirectory)
        let environment = strings.addBlock(process.environment)
        for (offset, bytes) in strings.contents { heap.put(offset, bytes) }

        // PEB_LDR_DATA: Length, Initialized, and the three list heads. The module is in the
        // load-order and memory-order lists; an EXE is never in the initialization-order list.
        let loader = Int(HeapOffset.loaderData)
        heap.put32(loader, 0x58)
        heap.put8(loader + 4, 1)
        heap.put64(loader + 0x10, moduleEntry)
        heap.put64(loader + 0x18, moduleEntry)
        heap.put64(loader + 0x20, moduleEntry + 0x10)
        heap.put64(loader + 0x28, moduleEntry + 0x10)
        heap.put64(loader + 0x30, loaderData + 0x30)
        heap.put64(loader + 0x38, loaderData + 0x30)
        // LDR_DATA_TABLE_ENTRY of the executable.
        let entry = Int(HeapOffset.moduleEntry)
        heap.put64(entry + 0x00, loaderData + 0x10)
        heap.put64(entry + 0x08, loaderData + 0x10)
        heap.put64(entry + 0x10, loaderData + 0x20)
        heap.put64(entry + 0x18, loaderData + 0x20)
        heap.put64(entry + 0x30, image.base)
        heap.put64(entry + 0x38, image.entryPoint)
        heap.put32(entry + 0x40, UInt32(image.size))
        heap.putString(entry + 0x48, imagePath)
        heap.putString(entry + 0x58, imageName)
        heap.put32(entry + 0x80, image.image.timeDateStamp)

        // RTL_USER_PROCESS_PARAMETERS, normalized (absolute pointers).
        let params = Int(HeapOffset.parameters)
        heap.put32(params + 0x00, 0x448)  // MaximumLength
        heap.put32(params + 0x04, 0x448)  // Length
        heap.put32(params + 0x08, 1)  // Flags: RTL_USER_PROC_PARAMS_NORMALIZED
        heap.putString(params + 0x38, directory)
        heap.putString(params + 0x60, imagePath)
        heap.putString(params + 0x70, commandLine)
        heap.put64(params + 0x80, environment.address)
        heap.putString(params + 0xB0, imagePath)  // WindowTitle
        heap.put64(params + 0x3F0, UInt64(environment.size))
        self.heap = heap.bytes
    }
}

/// UTF-16 strings placed one after another from an offset of a page.
struct StringArea {
    struct Placed {
        var address: UInt64
        /// Bytes including the terminating NUL (two for an environment block).
        var size: Int
    }

    let base: UInt64
    var offset: Int
    var contents: [(Int, [UInt8])] = []

    init(base: UInt64, offset: Int) {
        self.base = base
        self.offset = offset
    }

    /// A NUL-terminated string.
    mutating func add(_ text: String) -> Placed { place(Self.utf16(text) + [0, 0]) }

    /// An environment block: `NAME=value` strings, each NUL-terminated, then one more NUL.
    mutating func addBlock(_ strings: [String]) -> Placed {
        place(strings.flatMap { Self.utf16($0) + [0, 0] } + [0, 0])
    }

    private mutating func place(_ bytes: [UInt8]) -> Placed {
        let placed = Placed(address: base + UInt64(offset), size: bytes.count)
        contents.append((offset, bytes))
        offset = (offset + bytes.count + 15) & ~15
        return placed
    }

    static func utf16(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }
}

extension LittleEndianPage {
    /// A `UNICODE_STRING`: Length and MaximumLength in bytes, then the buffer pointer.
    mutating func putString(_ offset: Int, _ string: StringArea.Placed) {
        put16(offset, UInt16(clamping: string.size - 2))
        put16(offset + 2, UInt16(clamping: string.size))
        put64(offset + 8, string.address)
    }
}
