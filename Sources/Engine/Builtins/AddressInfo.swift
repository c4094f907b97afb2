import FoundationEssentials
import HostSystem

extension Builtins {
    /// `!address`: what kind of memory an address is, or a summary of the address space.
    static let addressInfo = Command(
        name: "!address",
        summary: "show memory region information (from the dump's memory info)",
        usage: "!address [Address | -summary]",
        requirements: .target,
        argument: .expression
    ) { invocation in
        try AddressCommand.run(invocation)
    }
}

/// `!address` and its summary.
enum AddressCommand {
    static let memCommit: UInt32 = 0x1000
    static let memReserve: UInt32 = 0x2000
    static let memFree: UInt32 = 0x10000
    static let memImage: UInt32 = 0x100_0000
    static let memMapped: UInt32 = 0x4_0000
    static let memPrivate: UInt32 = 0x2_0000

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        guard let regions = target.memoryRegions, !regions.isEmpty else {
            throw CommandError.message(
                "No memory region information: the dump has no MemoryInfoList stream "
                    + "(written by .dump /mF or /ma).")
        }
        let argument = invocation.trimmedArguments
        if argument.lowercased() == "-summary" {
            summary(regions, target: target, out: invocation.out)
            return
        }
        let pointerSize = target.machine.pointerSize
        if argument.isEmpty {
            invocation.out.line(
                "        BaseAddress      EndAddress+1        RegionSize     Type       State                 Protect             Usage"
            )
            invocation.out.line(String(repeating: "-", count: 120))
            for region in regions {
                try invocation.checkInterrupt()
                let usage = classify(region, target: target, regions: regions)
                invocation.out.line(
                    "+ " + Hex.pointer(region.base, size: pointerSize).leftPadded(to: 17) + " "
                        + Hex.pointer(region.end, size: pointerSize).leftPadded(to: 17) + " "
                        + Hex.pointer(region.size, size: pointerSize).leftPadded(to: 17) + " "
                        + typeName(region.type).rightPadded(to: 11) + " "
                        + stateName(region.state).rightPadded(to: 21) + " "
                        + protectName(region.protect).rightPadded(to: 19) + " " + usage)
            }
            return
        }
        let address = try invocation.evaluate(invocation.arguments)
        guard
            let region = regions.first(where: { address >= $0.base && address - $0.base < $0.size })
        else {
            invocation.out.line(
                "Address \(Hex.pointer(address, size: pointerSize)) is not in any recorded region.")
            return
        }
        let out = invocation.out
        func field(_ label: String, _ value: String) {
            out.line((label + ":").rightPadded(to: 24) + value)
        }
        let usage = classify(region, target: target, regions: regions)
        field("Usage", usage)
        field("Base Address", Hex.pointer(region.base, size: pointerSize))
        field("End Address", Hex.pointer(region.end, size: pointerSize))
        field("Region Size", Hex.pointer(region.size, size: pointerSize))
        if region.state != memFree {
            field("Type", Hex.digits(UInt64(region.type), width: 8) + typeName(region.type))
        }
        field("State", Hex.digits(UInt64(region.state), width: 8) + stateName(region.state))
        if region.state == memCommit {
            field(
                "Protect",
                Hex.digits(UInt64(region.protect), width: 8) + protectName(region.protect))
        }
        if region.state != memFree {
            field("Allocation Base", Hex.pointer(region.allocationBase, size: pointerSize))
            field(
                "Allocation Protect",
                Hex.digits(UInt64(region.allocationProtect), width: 8)
                    + protectName(region.allocationProtect))
        }
        if let module = target.modules.first(where: { $0.contains(address) }) {
            let name = module.moduleName
            field("Image Path", module.path)
            field("Module Name", name)
            field("More info", "lmv m \(name)")
            field("More info", "!lmi \(name)")
            field("More info", "ln 0x\(String(address, radix: 16))")
        }
    }

    /// CDB's `Usage` column: Image, Stack (the whole allocation: reserve, guard page and
    /// committed part), TEB, PEB, Heap (the process heap the PEB names), MappedFile, Free, or
    /// `<unknown>` for other busy memory.
    static func classify(_ region: MemoryRegion, target: any Target, regions: [MemoryRegion])
        -> String
    {
        if region.state == memFree { return "Free" }
        if region.type == memImage { return "Image" }
        let span = region.base..<region.end
        func allocation(of address: UInt64) -> UInt64? {
            regions.first { address >= $0.base && address - $0.base < $0.size }?.allocationBase
        }
        for (index, thread) in target.threads.enumerated() {
            if thread.teb != 0, span.contains(thread.teb) { return "TEB" }
            guard let stack = thread.stack else { continue }
            if span.overlaps(stack)
                || (region.allocationBase != 0
                    && allocation(of: stack.lowerBound) == region.allocationBase)
            {
                return "Stack [\(String(index, radix: 16)); \(String(thread.systemID, radix: 16))]"
            }
        }
        if let teb = target.threads.first(where: { $0.teb != 0 })?.teb {
            let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
            if let peb = target.readPointer(at: teb &+ layout.pebOffset), peb != 0 {
                if span.contains(peb) { return "PEB" }
                if let heap = target.readPointer(at: peb &+ layout.processHeapOffset), heap != 0,
                    region.allocationBase != 0, allocation(of: heap) == region.allocationBase
                {
                    return "Heap"
                }
            }
        }
        if region.type == memMapped { return "MappedFile" }
        return "<unknown>"
    }

    static func typeName(_ type: UInt32) -> String {
        switch type {
        case memImage: "MEM_IMAGE"
        case memMapped: "MEM_MAPPED"
        case memPrivate: "MEM_PRIVATE"
        case 0: ""
        default: "0x" + String(type, radix: 16)
        }
    }

    static func stateName(_ state: UInt32) -> String {
        switch state {
        case memCommit: "MEM_COMMIT"
        case memReserve: "MEM_RESERVE"
        case memFree: "MEM_FREE"
        default: "0x" + String(state, radix: 16)
        }
    }

    static func protectName(_ protect: UInt32) -> String {
        let base: String
        switch protect & 0xff {
        case 0x01: base = "PAGE_NOACCESS"
        case 0x02: base = "PAGE_READONLY"
        case 0x04: base = "PAGE_READWRITE"
        case 0x08: base = "PAGE_WRITECOPY"
        case 0x10: base = "PAGE_EXECUTE"
        case 0x20: base = "PAGE_EXECUTE_READ"
        case 0x40: base = "PAGE_EXECUTE_READWRITE"
        case 0x80: base = "PAGE_EXECUTE_WRITECOPY"
        case 0: base = ""
        default: base = "0x" + String(protect & 0xff, radix: 16)
        }
        var parts = [base]
        if protect & 0x100 != 0 { parts.append("PAGE_GUARD") }
        if protect & 0x200 != 0 { parts.append("PAGE_NOCACHE") }
        if protect & 0x400 != 0 { parts.append("PAGE_WRITECOMBINE") }
        return parts.filter { !$0.isEmpty }.joined(separator: " | ")
    }

    /// `!address -summary`: totals by usage, type, state and protection.
    static func summary(_ regions: [MemoryRegion], target: any Target, out: OutputWriter) {
        let pointerSize = target.machine.pointerSize
        let total = regions.reduce(UInt64(0)) { $0 &+ $1.size }
        let busy = regions.filter { $0.state != memFree }.reduce(UInt64(0)) { $0 &+ $1.size }
        func percent(_ part: UInt64, of whole: UInt64) -> String {
            guard whole > 0 else { return "0.00%" }
            return CNumberFormat.string("%.2f%%", Double(part) / Double(whole) * 100)
        }
        func section(_ title: String, _ key: (MemoryRegion) -> String?) {
            var groups: [String: (count: Int, size: UInt64)] = [:]
            for region in regions {
                guard let name = key(region) else { continue }
                groups[name, default: (0, 0)].count += 1
                groups[name, default: (0, 0)].size &+= region.size
            }
            out.line()
            out.line(title)
            for (name, group) in groups.sorted(by: { $0.value.size > $1.value.size }) {
                let sizeText =
                    Hex.pointer(group.size, size: pointerSize).leftPadded(to: 17) + " ("
                    + ByteCountText.short(group.size).leftPadded(to: 9) + ")"
                // Free memory is not part of the busy total.
                let ofBusy =
                    name == "Free" || name == "MEM_FREE" ? "" : percent(group.size, of: busy)
                out.line(
                    name.rightPadded(to: 39) + String(group.count).leftPadded(to: 8) + "  "
                        + sizeText + " " + ofBusy.leftPadded(to: 7) + " "
                        + percent(group.size, of: total).leftPadded(to: 8))
            }
        }
        section(
            "--- Usage Summary ---------------- RgnCount ----------- Total Size -------- %ofBusy %ofTotal",
            {
                let usage = classify($0, target: target, regions: regions)
                return usage.hasPrefix("Stack") ? "Stack" : usage
            })
        section(
            "--- Type Summary (for busy) ------ RgnCount ----------- Total Size -------- %ofBusy %ofTotal",
            {
                $0.state == memFree ? nil : typeName($0.type)
            })
        section(
            "--- State Summary ---------------- RgnCount ----------- Total Size -------- %ofBusy %ofTotal",
            {
                stateName($0.state)
            })
        section(
            "--- Protect Summary (for commit) - RgnCount ----------- Total Size -------- %ofBusy %ofTotal",
            {
                $0.state == memCommit ? protectName($0.protect) : nil
            })
        out.line()
        out.line(
            "--- Largest Region by Usage ----------- Base Address -------- Region Size ----------")
        var largest: [String: MemoryRegion] = [:]
        for region in regions {
            var usage = classify(region, target: target, regions: regions)
            if usage.hasPrefix("Stack") { usage = "Stack" }
            if let current = largest[usage], current.size >= region.size { continue }
            largest[usage] = region
        }
        for (usage, region) in largest.sorted(by: { $0.value.size > $1.value.size }) {
            out.line(
                usage.rightPadded(to: 39)
                    + Hex.pointer(region.base, size: pointerSize).leftPadded(to: 17)
                    + "  " + Hex.pointer(region.size, size: pointerSize).leftPadded(to: 17) + " ("
                    + ByteCountText.short(region.size).leftPadded(to: 9) + ")")
        }
    }
}

/// Sizes as `!address -summary` prints them (`4.000 kB`, `1.500 MB`).
enum ByteCountText {
    static func short(_ bytes: UInt64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : CNumberFormat.string("%.3f", value) + " " + units[unit]
    }
}
