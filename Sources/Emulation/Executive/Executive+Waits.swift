/// Blocking waits, wake-ups and timeouts on the instruction clock.
extension Executive {
    /// Blocks `thread` until `kind` is satisfied or the clock reaches `deadline`.
    func block(_ thread: GuestThread, _ kind: Wait.Kind, deadline: UInt64?) {
        waitSequence += 1
        thread.wait = Wait(kind: kind, deadline: deadline, sequence: waitSequence)
        thread.state = .waiting
    }

    /// Makes `thread` ready with `result` in `rax`.
    func wake(_ thread: GuestThread, result: UInt64) {
        thread.state = .ready
        thread.wait = nil
        thread.pendingResult = result
        if thread === current, thread.suspendCount == 0 {
            cpu.unicorn[.rax] = result
            thread.pendingResult = nil
        }
    }

    /// Converts a `PLARGE_INTEGER` timeout (negative: relative 100 ns units; positive: absolute
    /// system time) to a clock deadline; nil pointer = forever.
    func deadline(timeoutPointer: UInt64) throws(StatusError) -> UInt64? {
        guard timeoutPointer != 0 else { return nil }
        let value = Int64(bitPattern: try readU64(timeoutPointer))
        if value < 0 {
            let (ticks, overflow) = value.magnitude.multipliedReportingOverflow(by: 100)
            return overflow ? UInt64.max : clock &+ ticks
        }
        let absolute = UInt64(value)
        guard absolute > systemTime else { return clock }
        let (ticks, overflow) = (absolute - systemTime).multipliedReportingOverflow(by: 100)
        return overflow ? UInt64.max : clock &+ ticks
    }

    /// Wakes every waiter whose wait is now satisfied, oldest wait first.
    func satisfyWaits() {
        let waiting = threads.filter { $0.state == .waiting && $0.wait != nil }
            .sorted { ($0.wait?.sequence ?? 0) < ($1.wait?.sequence ?? 0) }
        for thread in waiting {
            guard let wait = thread.wait else { continue }
            switch wait.kind {
            case .objects(let objects, _, let all):
                if all {
                    guard objects.allSatisfy({ $0.isSignaled(for: thread) }) else { continue }
                    var abandoned = false
                    for object in objects where object.acquire(by: thread) { abandoned = true }
                    wake(
                        thread, result: UInt64(abandoned ? NTStatus.abandonedWait0 : NTStatus.wait0)
                    )
                } else if let index = objects.firstIndex(where: { $0.isSignaled(for: thread) }) {
                    let abandoned = objects[index].acquire(by: thread)
                    let base = abandoned ? NTStatus.abandonedWait0 : NTStatus.wait0
                    wake(thread, result: UInt64(base) + UInt64(index))
                }
            case .alert:
                if thread.alertPending {
                    thread.alertPending = false
                    wake(thread, result: UInt64(NTStatus.alerted))
                }
            case .delay, .suspended:
                continue
            }
        }
    }

    /// Wakes waiters whose deadline has passed.
    func expireWaits() {
        for thread in threads where thread.state == .waiting {
            guard let wait = thread.wait, let deadline = wait.deadline, deadline <= clock else {
                continue
            }
            switch wait.kind {
            case .delay: wake(thread, result: UInt64(NTStatus.success))
            default: wake(thread, result: UInt64(NTStatus.timeout))
            }
        }
    }

    /// The earliest deadline of a waiting thread.
    var earliestDeadline: UInt64? {
        threads.compactMap { $0.state == .waiting ? $0.wait?.deadline : nil }.min()
    }

    /// What a waiting thread waits for, for the deadlock report and `~`.
    func waitInfo(_ thread: GuestThread) -> ThreadWaitInfo? {
        if thread.frozen && thread.isAlive {
            return ThreadWaitInfo(threadID: thread.id, waitAll: false, targets: [.frozen])
        }
        if thread.suspendCount > 0 && thread.state == .ready {
            return ThreadWaitInfo(threadID: thread.id, waitAll: false, targets: [.suspended])
        }
        guard thread.state == .waiting, let wait = thread.wait else { return nil }
        switch wait.kind {
        case .objects(let objects, let handles, let all):
            let targets = zip(objects, handles).map { object, handle in
                WaitTarget.object(handle: handle, type: object.typeName, name: object.name)
            }
            return ThreadWaitInfo(threadID: thread.id, waitAll: all, targets: targets)
        case .alert(let address):
            // A critical section: RTL_CRITICAL_SECTION's OwningThread is at +0x10.
            if address != 0, space.protection(at: address) != nil {
                let owner = readSystemU64(address + 0x10)
                return ThreadWaitInfo(
                    threadID: thread.id, waitAll: false,
                    targets: [
                        .criticalSection(
                            address: address, ownerThreadID: UInt32(truncatingIfNeeded: owner))
                    ])
            }
            return ThreadWaitInfo(
                threadID: thread.id, waitAll: false, targets: [.alert(address: address)])
        case .delay:
            return ThreadWaitInfo(threadID: thread.id, waitAll: false, targets: [])
        case .suspended:
            return ThreadWaitInfo(threadID: thread.id, waitAll: false, targets: [.suspended])
        }
    }
}
