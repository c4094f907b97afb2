/// Finds and caches symbols for the target's modules, and answers "what is at this address"
/// and "where is this name" for every command.
public final class SymbolManager {
    public init() {}

    /// The symbol state `lm` shows: `(deferred)` until a command needed the module's symbols.
    public func statusText(for module: TargetModule, in state: DebuggerState) -> String {
        "(deferred)"
    }

    /// The symbol file in use for a module, if one was loaded.
    public func symbolFilePath(for module: TargetModule) -> String? {
        nil
    }

    /// The identifier symbol stores file the module's symbols under: GUID + age for PDBs
    /// (`5A9832E5287241C1838ED98914E9B7FF1`).
    public func debugIdentifier(for module: TargetModule) -> String? {
        switch module.debugRecord {
        case .pdb70(_, let guid, let age)?:
            guard guid.count == 16 else { return nil }
            let text = GUIDText.braced(guid).filter { $0 != "{" && $0 != "}" && $0 != "-" }
            return text + String(age, radix: 16, uppercase: true)
        case .pdb20(_, let signature, let age)?:
            return Hex.upper(UInt64(signature), width: 8) + String(age, radix: 16, uppercase: true)
        default:
            return nil
        }
    }
}

extension SymbolManager {
    /// The symbol at or below `address` (`ntdll!RtlFoo`, offset), if any.
    public func nearestSymbol(to address: UInt64, in state: DebuggerState) -> (
        name: String, offset: UInt64
    )? {
        nil
    }
}

extension SymbolManager {
    /// The address of `module!name` (or a bare name searched in every module).
    public func address(of reference: SymbolReference, in state: DebuggerState) -> UInt64? {
        nil
    }
}
