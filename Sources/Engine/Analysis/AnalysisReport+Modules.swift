import Symbols

/// The `modules` member: each module's identity, CodeView record and symbol status.
extension AnalysisReport {
    static func moduleValue(_ module: TargetModule, name: String, state: DebuggerState)
        -> JSONValue
    {
        var debug: JSONValue = .null
        switch module.debugRecord {
        case .pdb70(let pdbName, let guid, let age)?:
            let identifier = DebugIdentifier.codeView(guid: guid, age: age)
            debug = .object([
                ("kind", .string("pdb70")), ("file", .string(pdbName)),
                ("guid", .optional(identifier.map { guidText(String($0.prefix(32))) })),
                ("age", .integer(Int64(age))),
            ])
        case .pdb20(let pdbName, let signature, let age)?:
            debug = .object([
                ("kind", .string("pdb20")), ("file", .string(pdbName)),
                ("signature", .integer(Int64(signature))), ("age", .integer(Int64(age))),
            ])
        case .elfBuildID(let bytes)?:
            debug = .object([
                ("kind", .string("elf_build_id")),
                ("build_id", .string(DebugIdentifier.elfCodeIdentifier(buildID: bytes))),
            ])
        case nil: break
        }
        var version: JSONValue = .null
        if let fixed = module.version {
            let (a, b, c, d) = fixed.fileVersion
            version = .string("\(a).\(b).\(c).\(d)")
        }
        return .object([
            ("name", .string(name)),
            ("image", .string(module.imageName)),
            ("path", .string(module.path)),
            ("base", hex(module.base)),
            ("size", .unsigned(module.size)),
            ("timestamp", module.timestamp.map { .integer(Int64($0)) } ?? .null),
            ("version", version),
            ("debug", debug),
            ("debug_id", .optional(state.symbols.debugIdentifier(for: module))),
            ("symbols", .string(symbolStatus(module, state: state))),
            ("symbol_file", .optional(state.symbols.symbolFilePath(for: module))),
        ])
    }

    /// `deferred` (not needed by the analysis), `none`, `exports`, `public` or `private`.
    static func symbolStatus(_ module: TargetModule, state: DebuggerState) -> String {
        guard state.symbols.isLoaded(module) else { return "deferred" }
        switch state.symbols.kind(of: module) {
        case .deferred?: return "deferred"
        case .exports?: return "exports"
        case .publicSymbols?: return "public"
        case .privateSymbols?: return "private"
        case .none?, nil: return "none"
        }
    }

    /// `8-4-4-4-12` from 32 hex digits.
    static func guidText(_ digits: String) -> String {
        let characters = Array(digits)
        guard characters.count == 32 else { return digits }
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
        return groups.map { String(characters[$0]) }.joined(separator: "-")
    }
}
