/// C++ names as Breakpad stores them, with their parameter list (`crash()`,
/// `CreateGUID(MDGUID*)`), shown the way `x` shows functions with type information:
/// `crash (void)`, `CreateGUID (MDGUID*)` (the PDB form, `main (int, char **)`).
enum DecoratedName {
    /// `module!name(params) qualifiers` → `module!name (params) qualifiers`; `()` becomes
    /// `(void)`. Names without a parameter list are returned as they are.
    static func examineText(_ name: String) -> String {
        guard let open = parameterListStart(name) else { return name }
        let base = name[..<open]
        let afterOpen = name.index(after: open)
        guard let close = matchingParenthesis(in: name, from: open) else { return name }
        let inside = name[afterOpen..<close]
        let rest = name[name.index(after: close)...]
        return base + " (" + (inside.isEmpty ? "void" : inside) + ")" + rest
    }

    /// The `(` that opens the parameter list: the first one outside template arguments,
    /// not part of an `operator()` name.
    static func parameterListStart(_ name: String) -> String.Index? {
        var depth = 0
        var index = name.startIndex
        while index < name.endIndex {
            switch name[index] {
            case "<": depth += 1
            case ">": depth = max(0, depth - 1)
            case "(" where depth == 0:
                if name[..<index].hasSuffix("operator") {
                    // `operator()`: skip its own pair.
                    index =
                        name.index(index, offsetBy: 2, limitedBy: name.endIndex) ?? name.endIndex
                    continue
                }
                return index
            default: break
            }
            index = name.index(after: index)
        }
        return nil
    }

    private static func matchingParenthesis(in name: String, from open: String.Index)
        -> String.Index?
    {
        var depth = 0
        var index = open
        while index < name.endIndex {
            if name[index] == "(" { depth += 1 }
            if name[index] == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = name.index(after: index)
        }
        return nil
    }
}
