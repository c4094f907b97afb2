import PEFormat

/// The target's memory as the PE reader and the unwinder read it.
///
/// `@unchecked Sendable`: the format libraries require `Sendable` sources, but a target is used
/// only on the session's command queue, and these wrappers never leave a command's execution.
struct TargetByteSource: ByteSource, @unchecked Sendable {
    let target: any Target

    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        target.readBytes(at: offset, count: count)
    }
}
