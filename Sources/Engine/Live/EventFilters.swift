/// CDB's event filters (`sx`, `sxe`, `sxd`, `sxn`, `sxi`): for each kind of event, whether the
/// debugger breaks, only prints it, or ignores it, and for exceptions whether `g` hands them to
/// the program (`not handled`) or not (`handled`). Defaults as CDB documents them.
public struct EventFilters {
    /// What an event does when it happens.
    public enum Action: Sendable, Equatable {
        /// `sxe`: break at first chance.
        case breakFirstChance
        /// `sxd`: break at second chance only (first chance is printed).
        case breakSecondChance
        /// `sxn`: print, don't break.
        case output
        /// `sxi`: say nothing.
        case ignore

        var text: String {
            switch self {
            case .breakFirstChance: "break"
            case .breakSecondChance: "second-chance break"
            case .output: "output"
            case .ignore: "ignore"
            }
        }
    }

    public struct Filter: Sendable, Equatable {
        public var code: String
        public var name: String
        /// The exception code, for exception filters.
        public var exceptionCode: UInt32?
        public var action: Action
        /// For exceptions: whether `g` tells the program the exception was handled.
        public var handled: Bool?
        /// `sxe -c "cmds" av`: run at the first-chance stop; `-c2` at the second.
        public var command: String?
        public var secondCommand: String?
    }

    public private(set) var filters: [Filter]
    /// `*`: every exception without a filter of its own.
    public var other = Filter(
        code: "*", name: "Other exception", exceptionCode: nil, action: .breakSecondChance,
        handled: false)

    public init() {
        func event(_ code: String, _ name: String, _ action: Action) -> Filter {
            Filter(code: code, name: name, exceptionCode: nil, action: action, handled: nil)
        }
        func exception(
            _ code: String, _ name: String, _ value: UInt32, _ action: Action, handled: Bool
        ) -> Filter {
            Filter(code: code, name: name, exceptionCode: value, action: action, handled: handled)
        }
        filters = [
            event("ct", "Create thread", .ignore),
            event("et", "Exit thread", .ignore),
            event("cpr", "Create process", .ignore),
            event("epr", "Exit process", .breakFirstChance),
            event("ld", "Load module", .output),
            event("ud", "Unload module", .output),
            event("ser", "System error", .ignore),
            event("ibp", "Initial breakpoint", .breakFirstChance),
            event("iml", "Initial module load", .ignore),
            event("out", "Debuggee output", .output),
            exception("av", "Access violation", 0xC000_0005, .breakFirstChance, handled: false),
            exception("asrt", "Assertion failure", 0xC000_0420, .breakFirstChance, handled: false),
            exception("aph", "Application hang", 0xCFFF_FFFF, .breakFirstChance, handled: false),
            exception(
                "bpe", "Break instruction exception", 0x8000_0003, .breakFirstChance, handled: true),
            exception("eh", "C++ EH exception", 0xE06D_7363, .breakSecondChance, handled: false),
            exception("clr", "CLR exception", 0xE043_4352, .breakSecondChance, handled: false),
            exception("cce", "Control-C exception", 0x4001_0005, .breakFirstChance, handled: true),
            exception("dm", "Data misaligned", 0x8000_0002, .breakFirstChance, handled: false),
            exception("gp", "Guard page violation", 0x8000_0001, .breakFirstChance, handled: false),
            exception("ii", "Illegal instruction", 0xC000_001D, .breakSecondChance, handled: false),
            exception("ip", "In-page I/O error", 0xC000_0006, .breakFirstChance, handled: false),
            exception(
                "dz", "Integer divide-by-zero", 0xC000_0094, .breakFirstChance, handled: false),
            exception("iov", "Integer overflow", 0xC000_0095, .breakFirstChance, handled: false),
            exception("ch", "Invalid handle", 0xC000_0008, .breakFirstChance, handled: false),
            exception(
                "lsq", "Invalid lock sequence", 0xC000_001E, .breakFirstChance, handled: false),
            exception("isc", "Invalid system call", 0xC000_001C, .breakFirstChance, handled: false),
            exception("3c", "Port disconnected", 0xC000_0037, .breakSecondChance, handled: false),
            exception(
                "sse", "Single step exception", 0x8000_0004, .breakFirstChance, handled: true),
            exception(
                "sbo", "Security check failure or stack buffer overrun", 0xC000_0409,
                .breakFirstChance, handled: false),
            exception("sov", "Stack overflow", 0xC000_00FD, .breakFirstChance, handled: false),
            exception("vs", "Verifier stop", 0xC000_0421, .breakFirstChance, handled: false),
            exception("vcpp", "Visual C++ exception", 0x406D_1388, .ignore, handled: true),
            exception("wkd", "Wake debugger", 0x8000_0007, .breakFirstChance, handled: false),
        ]
    }

    /// The filter for an event code (`av`, `ld`, `*`), or for an exception code given as a
    /// number.
    public func filter(named code: String) -> Filter? {
        let lowered = code.lowercased()
        if lowered == "*" { return other }
        return filters.first { $0.code == lowered }
    }

    /// The filter that applies to an exception.
    public func filter(forException code: UInt32) -> Filter {
        filters.first { $0.exceptionCode == code } ?? extra[code] ?? other
    }

    /// Filters made by `sxe 0xE0000001` for codes without a name.
    public private(set) var extra: [UInt32: Filter] = [:]

    /// Changes a filter; false when `code` names none and is not a number.
    public mutating func update(_ code: String, _ change: (inout Filter) -> Void) -> Bool {
        let lowered = code.lowercased()
        if lowered == "*" {
            change(&other)
            return true
        }
        if let index = filters.firstIndex(where: { $0.code == lowered }) {
            change(&filters[index])
            return true
        }
        if let value = ExceptionCodeText.parse(lowered) {
            if let index = filters.firstIndex(where: { $0.exceptionCode == value }) {
                change(&filters[index])
                return true
            }
            var filter =
                extra[value]
                ?? Filter(
                    code: Hex.digits(UInt64(value), width: 8), name: "Exception",
                    exceptionCode: value, action: other.action, handled: other.handled)
            change(&filter)
            extra[value] = filter
            return true
        }
        return false
    }

    /// `sx`'s listing.
    public var listing: [String] {
        var lines: [String] = []
        for filter in filters where filter.exceptionCode == nil {
            lines += Self.lines(filter)
        }
        lines.append("")
        for filter in filters where filter.exceptionCode != nil {
            lines += Self.lines(filter)
        }
        for (_, filter) in extra.sorted(by: { $0.key < $1.key }) {
            lines += Self.lines(filter)
        }
        lines.append("")
        lines += Self.lines(other)
        return lines
    }

    private static func lines(_ filter: Filter) -> [String] {
        var text = "\(filter.code.leftPadded(to: 4)) - \(filter.name) - \(filter.action.text)"
        if let handled = filter.handled { text += handled ? " - handled" : " - not handled" }
        var lines = [text]
        if let command = filter.command { lines.append("       Command: \"\(command)\"") }
        if let command = filter.secondCommand {
            lines.append("       Second command: \"\(command)\"")
        }
        return lines
    }
}

/// Exception codes as typed to `sx*`: hex with or without `0x`.
enum ExceptionCodeText {
    static func parse(_ text: String) -> UInt32? {
        var digits = Substring(text)
        if digits.hasPrefix("0x") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        return UInt32(digits, radix: 16)
    }
}
