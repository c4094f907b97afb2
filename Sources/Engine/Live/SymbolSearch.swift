import Symbols

/// Symbols of loaded modules that match a `module!pattern` wildcard (`bm`).
enum SymbolSearch {
    struct Match {
        var name: String
        var address: UInt64
    }

    static func matching(_ pattern: String, state: DebuggerState) -> [Match] {
        guard let target = state.target,
            let qualified = try? QualifiedSymbolPattern(pattern),
            let modulePattern = qualified.module
        else { return [] }
        let names = state.moduleMap.names
        var matches: [Match] = []
        var seen = Set<UInt64>()
        for (index, module) in target.modules.enumerated() where modulePattern.matches(names[index])
        {
            guard let source = state.symbols.source(for: module, in: state) else { continue }
            for symbol in source.symbols(matching: qualified.symbol) {
                let address = module.base &+ symbol.rva
                guard seen.insert(address).inserted else { continue }
                matches.append(Match(name: names[index] + "!" + symbol.name, address: address))
            }
        }
        return matches.sorted { $0.address < $1.address }
    }
}
