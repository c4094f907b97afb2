import FoundationEssentials

extension Builtins {
    /// `.exr Address` / `.exr -1`.
    static let exceptionRecord = Command(
        name: ".exr",
        summary: "display an exception record (-1: the most recent exception)",
        usage: ".exr Address | .exr -1",
        requirements: .target,
        argument: .expression
    ) { invocation in
        let target = try invocation.requireTarget()
        let state = invocation.state
        let argument = invocation.trimmedArguments
        guard !argument.isEmpty else { throw CommandError.syntax() }
        let record: ExceptionRecord
        if argument == "-1" {
            guard let event = target.lastEvent else {
                throw CommandError.message("Last event was not an exception")
            }
            record = event.exception
        } else {
            let address = try invocation.evaluate(invocation.arguments)
            guard let read = ExceptionRecordReader.read(at: address, target: target) else {
                throw CommandError.message(
                    "Unable to read exception record at \(Hex.pointer(address, size: state.pointerSize))"
                )
            }
            record = read
        }
        invocation.out.lines(
            ExceptionDisplay.recordLines(
                record, pointerSize: state.pointerSize, platform: target.system?.platform,
                symbolize: { state.symbols.nearestSymbol(to: $0, in: state) }))
    }

    /// `.ecxr`: switch to the stored exception context.
    static let exceptionContext = Command(
        name: ".ecxr",
        aliases: [".excr"],
        summary: "use and show the exception context stored in the dump",
        usage: ".ecxr",
        requirements: [.target, .userTarget],
        effect: .changesSession
    ) { invocation in
        var target = try invocation.requireTarget()
        let state = invocation.state
        // A WOW64 exception in 32-bit code has an x86 context: show it in x86 mode, as
        // `.thread /w` switches the machine mode to the context's.
        if let event = target.lastEvent, let context = event.context,
            context.machine != target.machine, let guest = state.guestMode,
            guest.machine == context.machine
        {
            state.setGuestMode(true)
            target = guest.view
        }
        guard let event = target.lastEvent, let context = event.context else {
            throw CommandError.message("Minidump doesn't have an exception context")
        }
        if let index = event.threadIndex, index != state.currentThread {
            state.currentThread = index
        }
        state.contextOverride = context
        StopDisplay.show(in: invocation)
    }

    /// `.cxr [Address]`.
    static let contextRecord = Command(
        name: ".cxr",
        summary: "use and show a context record in memory; alone, reset the context",
        usage: ".cxr [Address]",
        requirements: .target,
        effect: .changesSession,
        argument: .expression
    ) { invocation in
        let target = try invocation.requireTarget()
        let state = invocation.state
        var words = ArgumentWords(invocation.arguments)
        var addressText: Substring?
        while let word = words.next() {
            if word.hasPrefix("/") {
                if word.lowercased() == "/f" { _ = words.next() }
                continue
            }
            addressText = invocation.arguments[word.startIndex...]
            break
        }
        guard let addressText else {
            state.contextOverride = nil
            return
        }
        let address = try invocation.evaluate(addressText)
        guard let context = target.contextRecord(at: address) else {
            throw CommandError.message(
                "Unable to read context at \(Hex.pointer(address, size: state.pointerSize))")
        }
        state.contextOverride = context
        StopDisplay.show(in: invocation)
    }

    /// `.lastevent`.
    static let lastEvent = Command(
        name: ".lastevent",
        summary: "show what stopped the target",
        usage: ".lastevent",
        requirements: .target
    ) { invocation in
        let target = try invocation.requireTarget()
        let now = Date()
        let zone = TimeZone.current
        let offset = zone.secondsFromGMT(for: now) / 60
        if let description = invocation.state.live.lastEventDescription {
            let pid = String(target.processID ?? 0, radix: 16)
            let tid = String(invocation.state.live.lastEventThreadID ?? 0, radix: 16)
            invocation.out.line("Last event: \(pid).\(tid): \(description)")
        } else if let event = target.lastEvent {
            let description = ExceptionDisplay.eventDescription(
                event, platform: target.system?.platform)
            invocation.out.line(
                "Last event: \(String(event.processID, radix: 16)).\(String(event.threadID, radix: 16)): "
                    + description)
        } else {
            invocation.out.line("Last event: <no event>")
        }
        invocation.out.line(
            "  debugger time: \(TimeFormat.ctime(now, timeZone: zone, milliseconds: true)) "
                + TimeFormat.utcOffset(minutes: offset))
    }
}

/// Reads EXCEPTION_RECORD / EXCEPTION_RECORD64 structures from target memory.
enum ExceptionRecordReader {
    static func read(at address: UInt64, target: any Target) -> ExceptionRecord? {
        let size = target.machine.pointerSize
        guard let code = target.readInteger(at: address, size: 4),
            let flags = target.readInteger(at: address &+ 4, size: 4),
            let nested = target.readInteger(at: address &+ 8, size: size),
            let faultAddress = target.readInteger(at: address &+ 8 &+ UInt64(size), size: size),
            let count = target.readInteger(at: address &+ 8 &+ UInt64(2 * size), size: 4)
        else { return nil }
        let parametersStart = address &+ 8 &+ UInt64(2 * size) &+ UInt64(size == 8 ? 8 : 4)
        var parameters: [UInt64] = []
        for index in 0..<Int(min(count, 15)) {
            guard
                let value = target.readInteger(
                    at: parametersStart &+ UInt64(index * size), size: size)
            else { return nil }
            parameters.append(value)
        }
        return ExceptionRecord(
            code: UInt32(code), flags: UInt32(flags), nestedRecord: nested, address: faultAddress,
            parameters: parameters)
    }
}
