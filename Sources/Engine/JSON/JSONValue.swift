/// A JSON value whose objects keep their keys in the order they were built, so documents the
/// debugger writes have a stable key order that scripts and diffs can rely on.
///
/// Written without Foundation on purpose: the dump engine's start-up path should not load it
/// (see the README's start-up figures), and the encoder needs nothing it offers.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// Integers are kept exact; 64-bit addresses are written as hex strings instead (JSON
    /// readers lose precision above 2^53).
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member `key` of an object, nil for anything else or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectMembers: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A string, or null when `text` is nil.
    public static func optional(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }

    /// An unsigned number that fits an `Int64`, else its hex string.
    public static func unsigned(_ value: UInt64) -> JSONValue {
        value <= UInt64(Int64.max) ? .integer(Int64(value)) : .string(hexAddress(value))
    }

    /// `0x` and lower-case hex digits, no padding: how addresses appear in documents.
    public static func hexAddress(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }
}

extension JSONValue {
    /// The document on one line (for JSON Lines).
    public var compactText: String {
        var text = ""
        write(to: &text, indent: nil, depth: 0)
        return text
    }

    /// The document indented by two spaces per level, for people.
    public var prettyText: String {
        var text = ""
        write(to: &text, indent: "  ", depth: 0)
        return text
    }

    private func write(to text: inout String, indent: String?, depth: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .integer(let value): text += String(value)
        case .number(let value):
            // JSON has no NaN or infinity.
            text += value.isFinite ? String(value) : "null"
        case .string(let value): JSONValue.writeString(value, to: &text)
        case .array(let items):
            writeContainer(
                items.map { (nil, $0) }, open: "[", close: "]", to: &text, indent: indent,
                depth: depth)
        case .object(let members):
            writeContainer(
                members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &text, indent: indent,
                depth: depth)
        }
    }

    private func writeContainer(
        _ entries: [(String?, JSONValue)], open: String, close: String, to text: inout String,
        indent: String?, depth: Int
    ) {
        text += open
        guard !entries.isEmpty else {
            text += close
            return
        }
        for (position, (key, value)) in entries.enumerated() {
            if position > 0 { text += "," }
            if let indent {
                text += "\n" + String(repeating: indent, count: depth + 1)
            }
            if let key {
                JSONValue.writeString(key, to: &text)
                text += indent == nil ? ":" : ": "
            }
            value.write(to: &text, indent: indent, depth: depth + 1)
        }
        if let indent { text += "\n" + String(repeating: indent, count: depth) }
        text += close
    }

    private static func writeString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
