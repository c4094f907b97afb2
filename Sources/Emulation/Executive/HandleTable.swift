/// A handle as `!handle` lists it.
public struct HandleInfo: Sendable, Equatable {
    public var handle: UInt64
    public var typeName: String
    public var objectName: String?
    /// The object's state (`Auto Reset, Signaled`, `Owned by thread 8, count 1`, ...).
    public var state: String
    public var grantedAccess: UInt32
    public var handleCount: UInt32
}

/// The process's handle table: handles are multiples of 4 from 4, the lowest free one first.
final class HandleTable {
    struct Entry {
        let object: KernelObject
        let access: UInt32
    }

    private(set) var entries: [UInt32: Entry] = [:]
    /// At most this many handles (a program leaking handles fails, not xcdb).
    static let limit = 1 << 20

    func insert(_ object: KernelObject, access: UInt32 = 0x1F_0003) -> UInt64? {
        guard entries.count < Self.limit else { return nil }
        var handle: UInt32 = 4
        while entries[handle] != nil { handle += 4 }
        entries[handle] = Entry(object: object, access: access)
        object.handleCount += 1
        return UInt64(handle)
    }

    func object(_ handle: UInt64) -> KernelObject? {
        guard handle <= UInt64(UInt32.max) else { return nil }
        return entries[UInt32(handle)]?.object
    }

    /// Removes a handle; returns its object.
    func remove(_ handle: UInt64) -> KernelObject? {
        guard handle <= UInt64(UInt32.max), let entry = entries.removeValue(forKey: UInt32(handle))
        else { return nil }
        entry.object.handleCount -= 1
        return entry.object
    }

    var listing: [HandleInfo] {
        entries.keys.sorted().compactMap { handle in
            guard let entry = entries[handle] else { return nil }
            return HandleInfo(
                handle: UInt64(handle), typeName: entry.object.typeName,
                objectName: entry.object.name, state: entry.object.stateDescription,
                grantedAccess: entry.access, handleCount: entry.object.handleCount)
        }
    }
}
