extension Builtins {
    /// `!teb [Address]`.
    static let threadEnvironment = Command(
        name: "!teb",
        summary: "show the thread environment block",
        usage: "!teb [Address]",
        requirements: [.target, .userTarget],
        argument: .expression
    ) { invocation in
        let target = try invocation.requireTarget()
        let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
        let address = try ProcessEnvironment.tebAddress(invocation)
        let out = invocation.out
        let reader = StructReader(target: target, base: address)
        out.line("TEB at \(Hex.digits(address, width: layout.pointerSize * 2))")
        guard reader.pointer(0, layout: layout) != nil else {
            out.line("    The TEB is not in the dump's memory.")
            return
        }
        func pointerField(_ label: String, _ offset: UInt64) {
            let value = reader.pointer(offset, layout: layout).map {
                Hex.digits($0, width: layout.pointerSize * 2)
            }
            out.line("    " + (label + ":").rightPadded(to: 22) + (value ?? "<unreadable>"))
        }
        let p = UInt64(layout.pointerSize)
        pointerField("ExceptionList", 0)
        pointerField("StackBase", p)
        pointerField("StackLimit", 2 * p)
        pointerField("SubSystemTib", 3 * p)
        pointerField("FiberData", 4 * p)
        pointerField("ArbitraryUserPointer", 5 * p)
        pointerField("Self", 6 * p)
        pointerField("EnvironmentPointer", 7 * p)
        let pid = reader.pointer(8 * p, layout: layout)
        let tid = reader.pointer(9 * p, layout: layout)
        out.line(
            "    ClientId:             "
                + "\(pid.map { Hex.digits($0, width: layout.pointerSize * 2) } ?? "?") . "
                + "\(tid.map { Hex.digits($0, width: layout.pointerSize * 2) } ?? "?")")
        pointerField("RpcHandle", 10 * p)
        pointerField("Tls Storage", 11 * p)
        pointerField("PEB Address", 12 * p)
        let lastError = reader.u32(layout.lastErrorOffset)
        let lastStatus = reader.u32(layout.lastStatusOffset)
        out.line("    LastErrorValue:       " + (lastError.map { String($0) } ?? "<unreadable>"))
        out.line(
            "    LastStatusValue:      "
                + (lastStatus.map { String($0, radix: 16) } ?? "<unreadable>"))
        out.line(
            "    Count Owned Locks:    "
                + (reader.u32(layout.ownedLocksOffset).map { String($0) } ?? "<unreadable>"))
    }

    /// `!peb [Address]`.
    static let processEnvironment = Command(
        name: "!peb",
        summary: "show the process environment block",
        usage: "!peb [Address]",
        requirements: [.target, .userTarget],
        argument: .expression
    ) { invocation in
        try ProcessEnvironment.showPEB(invocation)
    }

    /// `!gle [-all]`.
    static let lastError = Command(
        name: "!gle",
        summary: "show the last error of the current thread (or all threads)",
        usage: "!gle [-all]",
        requirements: [.target, .userTarget],
        argument: .text
    ) { invocation in
        let target = try invocation.requireTarget()
        let all = invocation.trimmedArguments.lowercased() == "-all"
        let indexes = all ? Array(target.threads.indices) : [invocation.state.currentThread]
        guard !target.threads.isEmpty else {
            throw CommandError.message("The target has no threads.")
        }
        for index in indexes where target.threads.indices.contains(index) {
            if all { invocation.out.line("Last error for thread \(String(index, radix: 16)):") }
            invocation.out.lines(ProcessEnvironment.lastErrorLines(target: target, thread: index))
            if all { invocation.out.line() }
        }
    }
}

/// Offsets of the TEB/PEB fields we read, for 32- and 64-bit processes.
struct WindowsLayout {
    let pointerSize: Int
    var is64: Bool { pointerSize == 8 }
    var lastErrorOffset: UInt64 { is64 ? 0x68 : 0x34 }
    var ownedLocksOffset: UInt64 { is64 ? 0x6c : 0x38 }
    var lastStatusOffset: UInt64 { is64 ? 0x1250 : 0xbf4 }
    var pebOffset: UInt64 { is64 ? 0x60 : 0x30 }
    // PEB
    var imageBaseOffset: UInt64 { is64 ? 0x10 : 0x08 }
    var ldrOffset: UInt64 { is64 ? 0x18 : 0x0c }
    var processParametersOffset: UInt64 { is64 ? 0x20 : 0x10 }
    var processHeapOffset: UInt64 { is64 ? 0x30 : 0x18 }
    // RTL_USER_PROCESS_PARAMETERS
    var currentDirectoryOffset: UInt64 { is64 ? 0x38 : 0x24 }
    var dllPathOffset: UInt64 { is64 ? 0x50 : 0x30 }
    var imagePathOffset: UInt64 { is64 ? 0x60 : 0x38 }
    var commandLineOffset: UInt64 { is64 ? 0x70 : 0x40 }
    var environmentOffset: UInt64 { is64 ? 0x80 : 0x48 }
    var windowTitleOffset: UInt64 { is64 ? 0xb0 : 0x70 }
    // PEB_LDR_DATA and LDR_DATA_TABLE_ENTRY
    var loadOrderListOffset: UInt64 { is64 ? 0x10 : 0x0c }
    var dllBaseOffset: UInt64 { is64 ? 0x30 : 0x18 }
    var fullDllNameOffset: UInt64 { is64 ? 0x48 : 0x24 }
    var timeDateStampOffset: UInt64 { is64 ? 0x80 : 0x44 }
    /// UNICODE_STRING: Length, MaximumLength, then the buffer pointer (aligned).
    var unicodeBufferOffset: UInt64 { is64 ? 8 : 4 }
}

/// Reads fields of a structure in target memory.
struct StructReader {
    let target: any Target
    let base: UInt64

    func pointer(_ offset: UInt64, layout: WindowsLayout) -> UInt64? {
        target.readInteger(at: base &+ offset, size: layout.pointerSize)
    }

    func u32(_ offset: UInt64) -> UInt32? {
        target.readInteger(at: base &+ offset, size: 4).map { UInt32($0) }
    }

    func u8(_ offset: UInt64) -> UInt8? {
        target.readInteger(at: base &+ offset, size: 1).map { UInt8($0) }
    }

    /// A UNICODE_STRING at `offset`, capped at 32 K characters.
    func unicodeString(_ offset: UInt64, layout: WindowsLayout) -> String? {
        guard let length = target.readInteger(at: base &+ offset, size: 2),
            let buffer = pointer(offset &+ layout.unicodeBufferOffset, layout: layout)
        else { return nil }
        if length == 0 { return "" }
        guard let bytes = target.readBytes(at: buffer, count: Int(length & ~1)) else { return nil }
        let units = stride(from: 0, to: bytes.count, by: 2).map {
            UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
        }
        return String(decoding: units, as: UTF16.self)
    }
}

enum ProcessEnvironment {
    static func tebAddress(_ invocation: CommandInvocation) throws -> UInt64 {
        if !invocation.trimmedArguments.isEmpty {
            return try invocation.evaluate(invocation.arguments)
        }
        let target = try invocation.requireTarget()
        let index = invocation.state.currentThread
        guard target.threads.indices.contains(index), target.threads[index].teb != 0 else {
            throw CommandError.message("The TEB address of this thread is not known.")
        }
        return target.threads[index].teb
    }

    static func pebAddress(_ invocation: CommandInvocation) throws -> UInt64 {
        if !invocation.trimmedArguments.isEmpty {
            return try invocation.evaluate(invocation.arguments)
        }
        let target = try invocation.requireTarget()
        let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
        let teb = try tebAddress(invocation)
        guard let peb = target.readPointer(at: teb &+ layout.pebOffset), peb != 0 else {
            throw CommandError.message(
                "PEB is not available: the thread's TEB (\(Hex.pointer(teb, size: layout.pointerSize))) "
                    + "is not in the dump's memory.")
        }
        return peb
    }

    static func showPEB(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
        let address = try pebAddress(invocation)
        let reader = StructReader(target: target, base: address)
        let out = invocation.out
        let width = layout.pointerSize * 2
        out.line("PEB at \(Hex.digits(address, width: width))")
        guard let inherited = reader.u8(0) else {
            out.line("    The PEB is not in the dump's memory.")
            return
        }
        func yesNo(_ value: UInt8?) -> String {
            value.map { $0 != 0 ? "Yes" : "No" } ?? "<unreadable>"
        }
        func hex(_ value: UInt64?) -> String {
            value.map { Hex.digits($0, width: width) } ?? "<unreadable>"
        }
        out.line("    InheritedAddressSpace:    \(yesNo(inherited))")
        out.line("    ReadImageFileExecOptions: \(yesNo(reader.u8(1)))")
        out.line("    BeingDebugged:            \(yesNo(reader.u8(2)))")
        out.line(
            "    ImageBaseAddress:         \(hex(reader.pointer(layout.imageBaseOffset, layout: layout)))"
        )
        let ldr = reader.pointer(layout.ldrOffset, layout: layout)
        out.line("    Ldr                       \(hex(ldr))")
        if let ldr, ldr != 0 { moduleTable(ldr: ldr, target: target, layout: layout, out: out) }
        out.line(
            "    ProcessHeap:       \(hex(reader.pointer(layout.processHeapOffset, layout: layout)))"
        )
        let parameters = reader.pointer(layout.processParametersOffset, layout: layout)
        out.line("    ProcessParameters: \(hex(parameters))")
        guard let parameters, parameters != 0 else { return }
        let params = StructReader(target: target, base: parameters)
        func string(_ offset: UInt64) -> String {
            params.unicodeString(offset, layout: layout).map { "'\($0)'" }
                ?? "'< Name not readable >'"
        }
        out.line("    CurrentDirectory:  \(string(layout.currentDirectoryOffset))")
        out.line("    WindowTitle:  \(string(layout.windowTitleOffset))")
        out.line("    ImageFile:    \(string(layout.imagePathOffset))")
        out.line("    CommandLine:  \(string(layout.commandLineOffset))")
        out.line("    DllPath:      \(string(layout.dllPathOffset))")
        let environment = params.pointer(layout.environmentOffset, layout: layout)
        out.line("    Environment:  \(hex(environment))")
        if let environment, environment != 0 {
            for variable in environmentStrings(at: environment, target: target) {
                out.line("        \(variable)")
            }
        }
    }

    /// The loader's module list: `Base TimeStamp Module`.
    static func moduleTable(
        ldr: UInt64, target: any Target, layout: WindowsLayout, out: OutputWriter
    ) {
        let head = ldr &+ layout.loadOrderListOffset
        guard var entry = target.readPointer(at: head) else {
            out.line("    Ldr.InLoadOrderModuleList: <unreadable>")
            return
        }
        out.line("                    Base TimeStamp                     Module")
        var seen: Set<UInt64> = []
        while entry != head, entry != 0, seen.count < 4096, seen.insert(entry).inserted {
            let reader = StructReader(target: target, base: entry)
            guard let base = reader.pointer(layout.dllBaseOffset, layout: layout) else { break }
            let stamp = reader.u32(layout.timeDateStampOffset) ?? 0
            let name =
                reader.unicodeString(layout.fullDllNameOffset, layout: layout) ?? "<unreadable>"
            out.line(
                String(base, radix: 16).leftPadded(to: 24) + " "
                    + Hex.digits(UInt64(stamp), width: 8)
                    + " " + ModuleListCommand.timestampText(stamp).prefix(20) + " " + name)
            guard let next = target.readPointer(at: entry) else { break }
            entry = next
        }
    }

    /// `NAME=value` strings of an environment block (UTF-16, double-NUL terminated), bounded.
    static func environmentStrings(at address: UInt64, target: any Target) -> [String] {
        var strings: [String] = []
        var current: [UInt16] = []
        var position = address
        let limit = address &+ 0x10000
        while position < limit {
            guard let unit = target.readInteger(at: position, size: 2) else { break }
            position &+= 2
            if unit == 0 {
                if current.isEmpty { break }
                strings.append(String(decoding: current, as: UTF16.self))
                current.removeAll()
            } else {
                current.append(UInt16(unit))
            }
        }
        return strings
    }

    /// `LastErrorValue: (Win32) 0x5 (5) - Access is denied.` and the NTSTATUS line.
    static func lastErrorLines(target: any Target, thread: Int) -> [String] {
        let teb = target.threads[thread].teb
        let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
        let reader = StructReader(target: target, base: teb)
        guard teb != 0, let error = reader.u32(layout.lastErrorOffset) else {
            return ["LastErrorValue: not available (the thread's TEB is not in the dump)"]
        }
        var lines = [
            "LastErrorValue: (Win32) 0x\(String(error, radix: 16)) (\(error)) - "
                + (ErrorMessages.win32[error] ?? "<Unable to get error code text>")
        ]
        if let status = reader.u32(layout.lastStatusOffset) {
            lines.append(
                "LastStatusValue: (NTSTATUS) 0x\(String(status, radix: 16)) - "
                    + (ErrorMessages.ntstatus[status] ?? "<Unable to get error code text>"))
        }
        return lines
    }
}
