/// One line of a `u`/`ub`/`uf` listing.
public enum ListingLine: Sendable, Hashable {
    /// A symbol label, printed as `name:` (`ntdll!RtlFoo+0x1a:`).
    case label(String)
    /// An instruction, with an optional note printed after it (`uf` marks conditional jumps
    /// with `Branch`).
    case instruction(Instruction, note: String?)
    /// An empty line (`uf` separates blocks with one).
    case blank

    /// The line's text as CDB prints it.
    public var text: String {
        switch self {
        case .label(let name): name + ":"
        case .instruction(let instruction, let note):
            note.map { instruction.cdbLine + "  " + $0 } ?? instruction.cdbLine
        case .blank: ""
        }
    }

    /// The instruction on this line, if it is one.
    public var instruction: Instruction? {
        if case .instruction(let instruction, _) = self { return instruction }
        return nil
    }
}

/// The result of `u`, `ub` or `uf`: lines to print and where a following `u` continues.
public struct Listing: Sendable, Hashable {
    /// Labels, instructions and separators in print order.
    public var lines: [ListingLine]
    /// Where the next `u` without an address starts (the address after the last instruction;
    /// for `ub`, the address it was given).
    public var nextAddress: UInt64

    public init(lines: [ListingLine], nextAddress: UInt64) {
        self.lines = lines
        self.nextAddress = nextAddress
    }

    /// The instructions, in print order.
    public var instructions: [Instruction] { lines.compactMap(\.instruction) }

    /// Every line's text.
    public var text: [String] { lines.map(\.text) }
}

/// The symbol part of a CDB symbol string, without any `+0x…` offset
/// (`ntdll!RtlFoo+0x1a` → `ntdll!RtlFoo`).
func symbolBase(_ name: String) -> Substring {
    if let plus = name.lastIndex(of: "+"),
        name[name.index(after: plus)...].hasPrefix("0x")
    {
        return name[..<plus]
    }
    return Substring(name)
}

/// Adds labels the way `u` does: before the first instruction, and before any instruction
/// whose symbol differs from the previous instruction's.
func labelled(_ instructions: [Instruction], symbolizer: Symbolizer?) -> [ListingLine] {
    var lines: [ListingLine] = []
    lines.reserveCapacity(instructions.count + 1)
    var previous: Substring?
    for instruction in instructions {
        if let symbolizer, instruction.status != .unreadable,
            let name = symbolizer(instruction.address)
        {
            let base = symbolBase(name)
            if lines.isEmpty || base != previous { lines.append(.label(name)) }
            previous = base
        } else {
            previous = nil
        }
        lines.append(.instruction(instruction, note: nil))
    }
    return lines
}
