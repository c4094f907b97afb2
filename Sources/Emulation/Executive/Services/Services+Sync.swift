/// Events, mutants, semaphores, waits and alerts.
extension Executive {
    /// Named objects, so a second create with the same name opens the first.
    private func named<T: KernelObject>(_ name: String?, make: () -> T) throws(StatusError) -> (
        T, existed: Bool
    ) {
        guard let name else { return (make(), false) }
        let key = name.lowercased()
        if let existing = namedObjects[key] {
            guard let object = existing as? T else {
                throw StatusError(NTStatus.objectTypeMismatch)
            }
            return (object, true)
        }
        let object = make()
        namedObjects[key] = object
        return (object, false)
    }

    func forgetName(of object: KernelObject) {
        if let name = object.name?.lowercased(), namedObjects[name] === object {
            namedObjects[name] = nil
        }
    }

    func ntCreateEvent(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let pointer = try call.argument(0)
        let name = try objectName(try call.argument(2))
        let type = try call.argument32(3)
        let initial = try call.argument(4) & 0xFF != 0
        guard type <= 1 else { return .complete(NTStatus.invalidParameter) }
        let (event, existed) = try named(name) {
            EventObject(manualReset: type == 0, signaled: initial, name: name)
        }
        try insertHandle(event, at: pointer)
        return .complete(existed ? 0x4000_0000 : 0)
    }

    private func setEvent(_ call: ServiceCall, _ change: (EventObject) -> Void) throws(StatusError)
        -> ServiceOutcome
    {
        let event = try object(try call.argument(0), as: EventObject.self)
        let previous = try call.argument(1)
        try writeOptionalU32(previous, event.signaled ? 1 : 0)
        change(event)
        return .complete(0)
    }

    func ntSetEvent(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try setEvent(call) { event in
            event.signaled = true
            satisfyWaits()
        }
    }

    func ntResetEvent(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try setEvent(call) { $0.signaled = false }
    }

    func ntPulseEvent(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try setEvent(call) { event in
            event.signaled = true
            satisfyWaits()
            event.signaled = false
        }
    }

    func ntCreateMutant(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let pointer = try call.argument(0)
        let name = try objectName(try call.argument(2))
        let owned = try call.argument(3) & 0xFF != 0
        let (mutant, existed) = try named(name) {
            MutantObject(owner: owned ? call.thread : nil, name: name)
        }
        try insertHandle(mutant, at: pointer)
        return .complete(existed ? 0x4000_0000 : 0)
    }

    func ntReleaseMutant(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let mutant = try object(try call.argument(0), as: MutantObject.self)
        let previous = try call.argument(1)
        guard mutant.owner === call.thread, mutant.recursion > 0 else {
            return .complete(NTStatus.mutantNotOwned)
        }
        try writeOptionalU32(previous, UInt32(bitPattern: 1 - Int32(mutant.recursion)))
        mutant.recursion -= 1
        if mutant.recursion == 0 {
            mutant.owner = nil
            satisfyWaits()
        }
        return .complete(0)
    }

    func ntCreateSemaphore(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let pointer = try call.argument(0)
        let name = try objectName(try call.argument(2))
        let initial = Int32(bitPattern: try call.argument32(3))
        let maximum = Int32(bitPattern: try call.argument32(4))
        guard maximum > 0, initial >= 0, initial <= maximum else {
            return .complete(NTStatus.invalidParameter)
        }
        let (semaphore, existed) = try named(name) {
            SemaphoreObject(count: initial, maximum: maximum, name: name)
        }
        try insertHandle(semaphore, at: pointer)
        return .complete(existed ? 0x4000_0000 : 0)
    }

    func ntReleaseSemaphore(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let semaphore = try object(try call.argument(0), as: SemaphoreObject.self)
        let count = Int32(bitPattern: try call.argument32(1))
        let previous = try call.argument(2)
        guard count > 0 else { return .complete(NTStatus.invalidParameter) }
        guard Int64(semaphore.count) + Int64(count) <= Int64(semaphore.maximum) else {
            return .complete(NTStatus.semaphoreLimitExceeded)
        }
        try writeOptionalU32(previous, UInt32(bitPattern: semaphore.count))
        semaphore.count += count
        satisfyWaits()
        return .complete(0)
    }

    // MARK: Waits

    private func wait(
        _ call: ServiceCall, objects: [KernelObject], handles: [UInt64], all: Bool,
        timeout: UInt64
    ) throws(StatusError) -> ServiceOutcome {
        let thread = call.thread
        if all {
            if objects.allSatisfy({ $0.isSignaled(for: thread) }) {
                var abandoned = false
                for object in objects where object.acquire(by: thread) { abandoned = true }
                return .complete(abandoned ? NTStatus.abandonedWait0 : NTStatus.wait0)
            }
        } else if let index = objects.firstIndex(where: { $0.isSignaled(for: thread) }) {
            let abandoned = objects[index].acquire(by: thread)
            return .complete((abandoned ? NTStatus.abandonedWait0 : NTStatus.wait0) + UInt32(index))
        }
        let deadline = try deadline(timeoutPointer: timeout)
        if let deadline, deadline <= clock { return .complete(NTStatus.timeout) }
        block(thread, .objects(objects, handles: handles, all: all), deadline: deadline)
        return .blocked
    }

    /// Files and the console are always signalled (their I/O is synchronous).
    private func waitable(_ handle: UInt64) throws(StatusError) -> KernelObject {
        let found = try object(handle)
        if found is FileObject { return AlwaysSignaled() }
        return found
    }

    func ntWaitForSingleObject(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let handle = try call.argument(0)
        return try wait(
            call, objects: [try waitable(handle)], handles: [handle], all: false,
            timeout: try call.argument(2))
    }

    func ntWaitForMultipleObjects(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let count = try call.argument32(0)
        let array = try call.argument(1)
        let type = try call.argument32(2)
        guard count >= 1, count <= 64, type <= 1 else {
            return .complete(NTStatus.invalidParameter)
        }
        let bytes = try readGuest(array, count: Int(count) * 8)
        let handles = bytes.withUnsafeBytes { raw in
            (0..<Int(count)).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
        var objects: [KernelObject] = []
        for handle in handles { objects.append(try waitable(handle)) }
        return try wait(
            call, objects: objects, handles: handles, all: type == 0, timeout: try call.argument(4))
    }

    func ntWaitForAlertByThreadId(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let address = try call.argument(0)
        let timeout = try call.argument(1)
        if call.thread.alertPending {
            call.thread.alertPending = false
            return .complete(NTStatus.alerted)
        }
        let deadline = try deadline(timeoutPointer: timeout)
        if let deadline, deadline <= clock { return .complete(NTStatus.timeout) }
        block(call.thread, .alert(address: address), deadline: deadline)
        return .blocked
    }

    func ntAlertThreadByThreadId(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let id = try call.argument(0)
        guard let target = threads.first(where: { UInt64($0.id) == id }), target.isAlive else {
            return .complete(0xC000_000B)
        }
        if target.state == .waiting, case .alert = target.wait?.kind {
            wake(target, result: UInt64(NTStatus.alerted))
        } else {
            target.alertPending = true
        }
        return .complete(0)
    }

    func ntDuplicateObject(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let sourceHandle = try call.argument(1)
        let targetPointer = try call.argument(3)
        let options = try call.argument32(6)
        let source = try object(sourceHandle)
        if targetPointer != 0 { try insertHandle(source, at: targetPointer) }
        if options & 1 != 0, sourceHandle != Self.currentThread, sourceHandle != Self.currentProcess
        {
            _ = handles.remove(sourceHandle)
        }
        return .complete(0)
    }
}

/// Stands in for objects whose waits complete at once (files: their I/O is synchronous).
final class AlwaysSignaled: KernelObject {
    init() { super.init(typeName: "File") }
    override func isSignaled(for thread: GuestThread) -> Bool { true }
}
