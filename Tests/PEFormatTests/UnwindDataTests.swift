import Foundation
import PEFormat
import Testing

@Suite struct UnwindDataTests {
    @Test func x64FunctionTableLookup() throws {
        let image = try ExampleImages.image("exports-x64.dll")
        let table = try image.x64FunctionTable()
        let entries = table.allEntries()
        #expect(entries.count == 4)
        #expect(entries == entries.sorted { $0.beginAddress < $1.beginAddress })
        let sum = try #require(try image.exports().export(named: "sum_array"))
        let entry = try #require(table.lookup(rva: sum.rva + 3))
        #expect(entry.beginAddress == sum.rva)
        #expect(
            table.lookup(rva: try #require(image.exports().export(named: "add_numbers")).rva) == nil
        )
        #expect(table.lookup(rva: 0xFFFF_FFF0) == nil)
        let info = try image.x64UnwindInfo(at: entry.unwindInfoAddress)
        #expect(info.version == 1)
        #expect(
            info.codes.map(\.operation) == [
                .allocate(size: 296, encoding: .large16), .pushNonvolatile(register: 7),
                .pushNonvolatile(register: 6),
            ])
        #expect(info.sizeOfProlog == 9)
        // The x86 image has no x64 table.
        #expect(throws: PEError.self) {
            try ExampleImages.image("exports-x86.dll").x64FunctionTable()
        }
    }

    /// Every unwind operation kind, decoded from the hand-written prologs of x64unwind.dll.
    @Test func everyUnwindCodeKind() throws {
        let image = try ExampleImages.image("x64unwind.dll")
        let exports = try image.exports()
        let table = try image.x64FunctionTable()
        func info(_ name: String) throws -> X64UnwindInfo {
            let rva = try #require(exports.export(named: name)).rva
            return try image.x64UnwindInfo(
                at: try #require(table.lookup(rva: rva)).unwindInfoAddress)
        }
        let fp = try info("fn_fp")
        #expect(fp.frameRegister == 5)
        #expect(fp.frameOffset == 2)
        #expect(
            fp.codes.map(\.operation) == [
                .saveXMM128(register: 6, offset: 0x10, far: false),
                .saveNonvolatile(register: 3, offset: 0x30, far: false), .setFramePointer,
                .allocate(size: 0x48, encoding: .small), .pushNonvolatile(register: 6),
                .pushNonvolatile(register: 5),
            ])
        let large = try info("fn_large")
        #expect(large.version == 2)
        #expect(large.epilogs.count == 1)
        #expect(large.epilogs.first?.size == 1)
        #expect(
            large.codes.map(\.operation) == [
                .saveNonvolatile(register: 13, offset: 0x1000, far: false),
                .allocate(size: 0x2000, encoding: .large16), .pushNonvolatile(register: 12),
            ])
        let huge = try info("fn_huge")
        #expect(
            huge.codes.map(\.operation) == [
                .saveXMM128(register: 7, offset: 0x10_0000, far: true),
                .saveNonvolatile(register: 15, offset: 0x8_0008, far: true),
                .allocate(size: 0x10_0020, encoding: .large32), .pushNonvolatile(register: 14),
            ])
        #expect(huge.codes.map(\.slotCount) == [3, 3, 3, 1])
        let trap = try info("trap_handler")
        #expect(trap.codes.last?.operation == .pushMachineFrame(hasErrorCode: true))
        let fragment = try info("chain_fragment")
        #expect(fragment.isChained)
        let parentRVA = try #require(exports.export(named: "chain_parent")).rva
        #expect(fragment.chainedFunction?.beginAddress == parentRVA)
        #expect(
            fragment.codes.map(\.operation) == [
                .saveNonvolatile(register: 6, offset: 0x20, far: false)
            ])
    }

    /// Unwind codes agree with llvm-objdump's decoding for every function of every x64 image.
    @Test(.requires(.llvmObjdump))
    func unwindCodesMatchLLVMObjdump() throws {
        for name in ["exports-x64.dll", "importer-x64.dll", "x64unwind.dll"] {
            let image = try ExampleImages.image(name)
            let text = try #require(
                toolOutput(llvmObjdump, ["--unwind-info", ExampleImages.path(name)]))
            let starts = readobjFields(text, "Start Address").compactMap(hexValue)
            let prologs = readobjFields(text, "Size of prolog").compactMap { UInt8($0) }
            let counts = readobjFields(text, "Number of Codes").compactMap { UInt8($0) }
            let entries = try image.x64FunctionTable().allEntries()
            #expect(entries.map { UInt64($0.beginAddress) } == starts)
            let infos = try entries.map { try image.x64UnwindInfo(at: $0.unwindInfoAddress) }
            #expect(infos.map(\.sizeOfProlog) == prologs)
            #expect(infos.map(\.countOfCodes) == counts)
        }
    }

    @Test func handlerDataAndChainFields() throws {
        // Version 1, EHANDLER, one push, handler RVA 0x1234 then handler data.
        let bytes: [UInt8] = [
            0x09, 0x01, 0x01, 0x00, 0x01, 0x50, 0x00, 0x00, 0x34, 0x12, 0x00, 0x00, 0xAA,
        ]
        let info = try X64UnwindInfo(bytes: bytes, infoRVA: 0x3000)
        #expect(info.exceptionHandler == 0x1234)
        #expect(info.handlerDataRVA == 0x300C)
        #expect(info.codes.map(\.operation) == [.pushNonvolatile(register: 5)])
        #expect(info.chainedFunction == nil)
    }

    @Test func arm64PdataPackedAndUnpacked() throws {
        let image = try ExampleImages.image("exports-arm64.dll")
        let table = try image.armFunctionTable()
        let entries = table.allEntries()
        #expect(entries.count == 4)
        // Read in chunks, decoded as one entry at a time would be.
        #expect(entries == (0..<table.count).compactMap { table.entry(at: $0) })
        let exports = try image.exports()
        let packedRVA = try #require(exports.export(named: "packed_fn")).rva
        let packed = try #require(table.lookup(rva: packedRVA + 8))
        #expect(packed.beginAddress == packedRVA)
        #expect(packed.functionLength == 20)
        guard case .packedARM64(let fields) = packed.unwindData else {
            Issue.record("expected packed unwind data")
            return
        }
        #expect(fields.cr == 3)
        #expect(fields.frameSize == 16)
        #expect(fields.regI == 0)
        let sum = try #require(exports.export(named: "sum_array")).rva
        let unpacked = try #require(table.lookup(rva: sum))
        guard case .unpacked = unpacked.unwindData else {
            Issue.record("expected .xdata")
            return
        }
        // llvm-readobj: FunctionLength 684 for the first function.
        #expect(entries.first?.functionLength == 684)
        // add_numbers is a leaf without an entry.
        #expect(table.lookup(rva: try #require(exports.export(named: "add_numbers")).rva) == nil)
        #expect(throws: PEError.self) {
            try ExampleImages.image("exports-x64.dll").armFunctionTable()
        }
    }
}
