/// Module names as the debugger uses them in `lm` and in `module!symbol`: the file name without
/// extension, made unique by appending `_<base>` when two modules share a name.
public enum ModuleNaming {
    /// Names for `modules` in the same order. Of modules sharing a name, the one loaded first
    /// keeps it and later ones get their base appended, as CDB names them in load order: in a
    /// WOW64 process the 64-bit `ntdll` (loaded first) stays `ntdll` and the 32-bit one
    /// becomes `ntdll_77bf0000`.
    public static func names(for modules: [TargetModule]) -> [String] {
        let bare = modules.map(\.moduleName)
        var counts: [String: Int] = [:]
        for name in bare { counts[name.lowercased(), default: 0] += 1 }
        var names = bare
        guard counts.values.contains(where: { $0 > 1 }) else { return names }
        let loadOrder = modules.indices.sorted {
            (modules[$0].loadOrder ?? $0, $0) < (modules[$1].loadOrder ?? $1, $1)
        }
        var seen: Set<String> = []
        for index in loadOrder {
            let key = bare[index].lowercased()
            if counts[key, default: 0] > 1, seen.contains(key) {
                names[index] = bare[index] + "_" + String(modules[index].base, radix: 16)
            }
            seen.insert(key)
        }
        return names
    }
}
