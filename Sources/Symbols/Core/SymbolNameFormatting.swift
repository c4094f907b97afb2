/// The way CDB writes a code address as a name: `module!function+0x1a`.
public enum SymbolNameFormatting {
    /// `module!name+0xdisplacement`; the `+0x…` part is omitted when the displacement is 0.
    /// Hex is lower case, as CDB prints it.
    public static func qualifiedName(module: String, symbol: String, displacement: UInt64)
        -> String
    {
        "\(module)!\(symbol)" + offsetSuffix(displacement)
    }

    /// `module!name+0x…` for a lookup result.
    public static func qualifiedName(module: String, match: SymbolMatch) -> String {
        qualifiedName(module: module, symbol: match.symbol.name, displacement: match.displacement)
    }

    /// `module+0x1234`: what CDB shows for an address inside a module with no usable symbol.
    public static func moduleOffset(module: String, rva: UInt64) -> String {
        module + offsetSuffix(rva)
    }

    /// `+0x1a`, or the empty string for 0.
    public static func offsetSuffix(_ displacement: UInt64) -> String {
        displacement == 0 ? "" : "+0x" + String(displacement, radix: 16)
    }
}
