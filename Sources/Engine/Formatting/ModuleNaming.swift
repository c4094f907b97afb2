/// Module names as the debugger uses them in `lm` and in `module!symbol`: the file name without
/// extension, made unique by appending `_<base>` when two modules share a name.
public enum ModuleNaming {
    /// Names for `modules` in the same order.
    public static func names(for modules: [TargetModule]) -> [String] {
        let bare = modules.map(\.moduleName)
        var counts: [String: Int] = [:]
        for name in bare { counts[name.lowercased(), default: 0] += 1 }
        var seen: Set<String> = []
        return zip(modules, bare).map { module, name in
            let key = name.lowercased()
            // The first module keeps the plain name, later ones get their base appended.
            if counts[key, default: 0] > 1, seen.contains(key) {
                return name + "_" + String(module.base, radix: 16)
            }
            seen.insert(key)
            return name
        }
    }
}
