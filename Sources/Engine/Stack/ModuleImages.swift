import FoundationEssentials
import PEFormat

/// PE images of the target's modules: from the target's memory when the dump holds the headers,
/// else from a file of the same name on the image path (`-i`). Parsed once per module.
public final class ModuleImages {
    /// By module base, as an `Int` (the same 64 bits): a dictionary keyed by a type the
    /// runtime has not yet seen as Hashable costs a scan of every conformance at start-up.
    private var cache: [Int: PEImage?] = [:]

    public init() {}

    public func reset() { cache.removeAll() }

    /// The image of `module`, if one can be read.
    public func image(for module: TargetModule, in state: DebuggerState) -> PEImage? {
        let key = Int(truncatingIfNeeded: module.base)
        if let cached = cache[key] { return cached }
        let image = load(module, state: state)
        cache[key] = image
        return image
    }

    private func load(_ module: TargetModule, state: DebuggerState) -> PEImage? {
        if let target = state.target {
            let source = OffsetByteSource(
                base: module.base, underlying: TargetByteSource(target: target))
            if let image = try? PEImage(source: source, layout: .mapped),
                UInt64(image.sizeOfImage) == module.size || module.size == 0
            {
                return image
            }
        }
        for directory in state.imagePath.split(separator: ";") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(
                module.imageName)
            if let image = try? PEImage(contentsOfFile: candidate.path),
                module.timestamp == nil || image.timeDateStamp == module.timestamp
            {
                return image
            }
        }
        return nil
    }
}
