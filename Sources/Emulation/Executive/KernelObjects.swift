import FoundationEssentials
import Glibc

/// An object of the executive that handles refer to. Waitable objects say whether they are
/// signalled and what a satisfied wait does to them.
class KernelObject {
    /// The type name `!handle` shows (`Event`, `Mutant`, `Semaphore`, `Thread`, `Process`,
    /// `File`).
    let typeName: String
    var name: String?
    var handleCount: UInt32 = 0

    init(typeName: String, name: String? = nil) {
        self.typeName = typeName
        self.name = name
    }

    /// Whether a wait on it would be satisfied now (for `thread`, which matters for mutants).
    func isSignaled(for thread: GuestThread) -> Bool { false }

    /// What a satisfied wait does (an auto-reset event resets, a semaphore counts down, a
    /// mutant gets an owner). Returns true when the mutant was abandoned.
    func acquire(by thread: GuestThread) -> Bool { false }

    /// A one-line state for `!handle`.
    var stateDescription: String { "" }
}

final class EventObject: KernelObject {
    let manualReset: Bool
    var signaled: Bool

    init(manualReset: Bool, signaled: Bool, name: String?) {
        self.manualReset = manualReset
        self.signaled = signaled
        super.init(typeName: "Event", name: name)
    }

    override func isSignaled(for thread: GuestThread) -> Bool { signaled }

    override func acquire(by thread: GuestThread) -> Bool {
        if !manualReset { signaled = false }
        return false
    }

    override var stateDescription: String {
        (manualReset ? "Manual Reset, " : "Auto Reset, ") + (signaled ? "Signaled" : "Waiting")
    }
}

final class MutantObject: KernelObject {
    var owner: GuestThread?
    var recursion: UInt32 = 0
    var abandoned = false

    init(owner: GuestThread?, name: String?) {
        self.owner = owner
        recursion = owner == nil ? 0 : 1
        super.init(typeName: "Mutant", name: name)
    }

    override func isSignaled(for thread: GuestThread) -> Bool { owner == nil || owner === thread }

    override func acquire(by thread: GuestThread) -> Bool {
        owner = thread
        recursion += 1
        defer { abandoned = false }
        return abandoned
    }

    override var stateDescription: String {
        if let owner { return "Owned by thread \(String(owner.id, radix: 16)), count \(recursion)" }
        return abandoned ? "Abandoned" : "Free"
    }
}

final class SemaphoreObject: KernelObject {
    var count: Int32
    let maximum: Int32

    init(count: Int32, maximum: Int32, name: String?) {
        self.count = count
        self.maximum = maximum
        super.init(typeName: "Semaphore", name: name)
    }

    override func isSignaled(for thread: GuestThread) -> Bool { count > 0 }

    override func acquire(by thread: GuestThread) -> Bool {
        count -= 1
        return false
    }

    override var stateDescription: String { "Count \(count) of \(maximum)" }
}

/// The process as an object (its handle `-1`, and what waits on the process see).
final class ProcessObject: KernelObject {
    var exitCode: UInt32?

    init() { super.init(typeName: "Process") }

    override func isSignaled(for thread: GuestThread) -> Bool { exitCode != nil }
}

/// A file in the sandbox folder, or one of the console streams.
final class FileObject: KernelObject {
    enum Kind: Equatable {
        case consoleInput, consoleOutput, consoleError
        case file(descriptor: Int32, hostPath: String)
    }

    let kind: Kind
    var position: UInt64 = 0
    var deleteOnClose = false
    /// Opened with append access only: every write goes to the end.
    var appendOnly = false
    let guestPath: String

    init(kind: Kind, guestPath: String) {
        self.kind = kind
        self.guestPath = guestPath
        super.init(typeName: "File", name: guestPath)
    }

    var isConsole: Bool {
        switch kind {
        case .file: false
        default: true
        }
    }

    /// Closes the host file when the last handle goes.
    func closeHost() {
        if case .file(let descriptor, let path) = kind {
            close(descriptor)
            if deleteOnClose { unlink(path) }
        }
    }

    override var stateDescription: String { isConsole ? "Console" : "Position \(position)" }
}
