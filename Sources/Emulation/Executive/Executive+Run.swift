/// The run loop: pick a thread, run a slice of it, turn what stopped it into a service, an
/// internal fix-up (a stack growing, `rdtsc`) or a debug event.
extension Executive {
    /// Runs until the next debug event. `status` answers the exception (or import stop) the
    /// machine is stopped in, if any.
    func run(continuing status: ContinueStatus) -> DebugEvent {
        if let event = takeEvent() { return event }
        if let stopped {
            self.stopped = nil
            resolve(stopped, status)
            if let event = takeEvent() { return event }
        }
        return loop(stepping: nil)
    }

    /// Runs one instruction of `threadID` (other threads run only if it blocks in a system
    /// call); the event is a single step unless something else happens first.
    func step(threadID: UInt32, continuing status: ContinueStatus) -> DebugEvent {
        if let event = takeEvent() { return event }
        if let stopped {
            self.stopped = nil
            resolve(stopped, status)
            if let event = takeEvent() { return event }
        }
        guard let thread = thread(id: threadID), thread.isAlive else {
            return loop(stepping: nil)
        }
        guard thread.isRunnable else {
            stepWaiter = thread.id
            return loop(stepping: nil)
        }
        return loop(stepping: thread.id)
    }

    private func takeEvent() -> DebugEvent? {
        if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
        if let code = exitCode {
            return DebugEvent(
                kind: .processExited(exitCode: code), threadID: threads.first?.id ?? 0, clock: clock
            )
        }
        return nil
    }

    private func loop(stepping: UInt32?) -> DebugEvent {
        var stepping = stepping
        while true {
            if let event = takeEvent() { return event }
            if cpu.breakSwitch.take() {
                return DebugEvent(
                    kind: .breakRequested, threadID: (current ?? threads.first)?.id ?? 0,
                    clock: clock)
            }
            expireWaits()
            if let waiter = stepWaiter, let thread = thread(id: waiter), thread.isRunnable {
                stepWaiter = nil
                load(thread)
                return DebugEvent(
                    kind: .singleStep(address: cpu.unicorn[.rip]), threadID: thread.id, clock: clock
                )
            }
            guard let thread = pickThread(preferring: stepping) else {
                if let deadline = earliestDeadline {
                    // Every thread sleeps: the clock jumps to the first timeout.
                    clock = max(clock, deadline)
                    continue
                }
                if threads.allSatisfy({ !$0.isAlive }) {
                    endProcess(code: 0)
                    continue
                }
                return deadlockEvent()
            }
            load(thread)
            if let skip = thread.skipBreakpoint {
                thread.skipBreakpoint = nil
                if cpu.unicorn[.rip] == skip { cpu.skipBreakpoint = skip }
            }
            updateTime()
            let isStep = stepping == thread.id
            let result = isStep ? cpu.step() : cpu.runSlice(budget: max(quantumLeft, 1))
            cpu.skipBreakpoint = nil
            clock &+= result.executed
            thread.instructions &+= result.executed
            quantumLeft -= min(quantumLeft, result.executed)
            if isStep { stepping = nil }
            if let event = handle(result.stop, on: thread, stepped: isStep) { return event }
        }
    }

    /// The thread to run next: the current one while its quantum lasts, else the next runnable
    /// one after it in creation order (with a fresh quantum).
    private func pickThread(preferring preferred: UInt32?) -> GuestThread? {
        if let preferred, let thread = thread(id: preferred), thread.isRunnable { return thread }
        if let current, current.isRunnable, quantumLeft > 0 { return current }
        let start = current.map { $0.order + 1 } ?? 0
        let count = threads.count
        for offset in 0..<count {
            let candidate = threads[(start + offset) % count]
            if candidate.isRunnable {
                quantumLeft = nextQuantum()
                return candidate
            }
        }
        return nil
    }

    private func deadlockEvent() -> DebugEvent {
        let waits = threads.filter(\.isAlive).compactMap { waitInfo($0) }
        return DebugEvent(
            kind: .deadlock(waits), threadID: (current ?? threads.first)?.id ?? 0, clock: clock)
    }

    /// What a slice's stop means. Nil: keep running.
    private func handle(_ stop: SliceStop, on thread: GuestThread, stepped: Bool) -> DebugEvent? {
        switch stop {
        case .budget:
            quantumLeft = 0
            return nil
        case .breakRequest:
            return DebugEvent(kind: .breakRequested, threadID: thread.id, clock: clock)
        case .stepDone:
            return DebugEvent(
                kind: .singleStep(address: cpu.unicorn[.rip]), threadID: thread.id, clock: clock)
        case .syscall:
            if let event = serviceCall(on: thread) { return event }
            guard stepped else { return nil }
            if thread.isAlive, thread.state == .ready, current === thread {
                return DebugEvent(
                    kind: .singleStep(address: cpu.unicorn[.rip]), threadID: thread.id, clock: clock
                )
            }
            if thread.isAlive { stepWaiter = thread.id }
            return nil
        case .codeBreakpoint(let address):
            thread.skipBreakpoint = address
            return breakpointEvent(at: address, thread: thread)
        case .dataBreakpoint(let id, let address, let access):
            if access == .execute { thread.skipBreakpoint = cpu.unicorn[.rip] }
            return DebugEvent(
                kind: .dataBreakpoint(id: id, address: address, access: access),
                threadID: thread.id, clock: clock)
        default:
            switch fault(stop, on: thread) {
            case .event(let event):
                return event
            case .retry:
                if stepped { stepWaiter = nil }
                return stepped ? step(threadID: thread.id, continuing: .handled) : nil
            case .completed:
                guard stepped, thread.isAlive, current === thread else { return nil }
                return DebugEvent(
                    kind: .singleStep(address: cpu.unicorn[.rip]), threadID: thread.id, clock: clock
                )
            }
        }
    }
}
