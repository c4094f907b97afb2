/// The target's modules with their debugger names and an address index, built once per target
/// (module lists do not change on a dump) so per-frame and per-address lookups stay cheap.
public final class ModuleMap {
    public let modules: [TargetModule]
    /// `ModuleNaming` names, parallel to `modules`.
    public let names: [String]
    /// Indexes into `modules`, sorted by base address.
    private let byBase: [Int]

    public init(_ modules: [TargetModule]) {
        self.modules = modules
        self.names = ModuleNaming.names(for: modules)
        self.byBase = modules.indices.sorted { modules[$0].base < modules[$1].base }
    }

    /// Index of the module containing `address`, by binary search.
    public func index(containing address: UInt64) -> Int? {
        var low = 0
        var high = byBase.count
        while low < high {
            let middle = (low + high) / 2
            if modules[byBase[middle]].base <= address {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0 else { return nil }
        // Modules can overlap in damaged dumps: look back a little for one that contains it.
        for candidate in byBase[max(0, low - 4)..<low].reversed()
        where modules[candidate].contains(address) {
            return candidate
        }
        return nil
    }

    /// The module containing `address`.
    public func module(containing address: UInt64) -> TargetModule? {
        index(containing: address).map { modules[$0] }
    }

    /// The index of the module named `name` (case-insensitive).
    public func index(named name: String) -> Int? {
        let lowered = name.lowercased()
        return names.firstIndex { $0.lowercased() == lowered }
    }
}

extension DebuggerState {
    /// The current target's module map (empty without a target).
    public var moduleMap: ModuleMap {
        if let cached = cachedModuleMap { return cached }
        let map = ModuleMap(target?.modules ?? [])
        cachedModuleMap = map
        return map
    }

    /// Forgets everything derived from the target (a new target was opened).
    public func targetChanged() {
        cachedModuleMap = nil
        symbols.reset()
        images.reset()
        nextDisplayAddress = nil
        nextDisassemblyAddress = nil
        lastDisplayCommand = nil
        contextOverride = nil
        live = LiveState()
    }

    /// A live target stopped: what was derived from its state before is stale. The module map
    /// always goes; symbols and module images only when modules came or went (they are keyed
    /// by base, and reloading symbols at every step would be slow). A chosen context
    /// (`.ecxr`, `.cxr`, `.frame`) no longer applies.
    public func targetStopped(modulesChanged: Bool) {
        cachedModuleMap = nil
        if modulesChanged {
            symbols.reset()
            images.reset()
        }
        contextOverride = nil
        currentFrame = 0
    }
}
