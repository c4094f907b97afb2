import Engine

/// Validates a document against the JSON Schema keywords Schemas/analysis.schema.json uses:
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `minimum`,
/// `pattern`, `oneOf` and local `$ref`s. A keyword it does not know is itself an error, so the
/// schema cannot grow a rule the tests silently ignore.
struct SchemaValidator {
    let root: JSONValue

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "minimum",
        "pattern", "oneOf", "$ref",
    ]

    /// Every problem found, as `path: message`; empty when the document is valid.
    func errors(in value: JSONValue) -> [String] {
        errors(value, against: root, at: "$")
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = node[String(part)] else { return nil }
            node = next
        }
        return node
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private func errors(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String]
    {
        guard let members = schema.objectMembers else {
            return ["\(path): schema is not an object"]
        }
        var found: [String] = []
        for (keyword, rule) in members {
            if Self.annotations.contains(keyword) { continue }
            guard Self.keywords.contains(keyword) else {
                found.append("\(path): validator does not know keyword \(keyword)")
                continue
            }
            switch keyword {
            case "$ref":
                guard let reference = rule.stringValue, let target = resolve(reference) else {
                    found.append("\(path): unresolvable $ref")
                    continue
                }
                found += errors(value, against: target, at: path)
            case "type":
                let allowed = rule.arrayValue?.compactMap(\.stringValue) ?? [rule.stringValue ?? ""]
                let actual = Self.typeName(value)
                if !allowed.contains(actual), !(actual == "integer" && allowed.contains("number")) {
                    found.append("\(path): \(actual) is not \(allowed)")
                }
            case "enum":
                if !(rule.arrayValue ?? []).contains(value) {
                    found.append("\(path): \(value.compactText) is not one of \(rule.compactText)")
                }
            case "minimum":
                if case .integer(let number) = value, let minimum = rule.integerValue,
                    number < minimum
                {
                    found.append("\(path): \(number) < \(minimum)")
                }
            case "pattern":
                if let text = value.stringValue, let pattern = rule.stringValue {
                    guard let regex = try? Regex(pattern) else {
                        found.append("\(path): bad pattern \(pattern)")
                        continue
                    }
                    if (try? regex.firstMatch(in: text)) == nil {
                        found.append("\(path): '\(text)' does not match \(pattern)")
                    }
                }
            case "required":
                if let object = value.objectMembers {
                    for name in rule.arrayValue?.compactMap(\.stringValue) ?? []
                    where !object.contains(where: { $0.0 == name }) {
                        found.append("\(path): missing \(name)")
                    }
                }
            case "properties":
                if let object = value.objectMembers, let properties = rule.objectMembers {
                    for (name, member) in object {
                        if let subschema = properties.first(where: { $0.0 == name })?.1 {
                            found += errors(member, against: subschema, at: "\(path).\(name)")
                        }
                    }
                }
            case "additionalProperties":
                if let object = value.objectMembers {
                    let declared = Set(schema["properties"]?.objectMembers?.map(\.0) ?? [])
                    for (name, member) in object where !declared.contains(name) {
                        if rule == .bool(false) {
                            found.append("\(path): unexpected member \(name)")
                        } else if rule.objectMembers != nil {
                            found += errors(member, against: rule, at: "\(path).\(name)")
                        }
                    }
                }
            case "items":
                if let items = value.arrayValue {
                    for (index, item) in items.enumerated() {
                        found += errors(item, against: rule, at: "\(path)[\(index)]")
                    }
                }
            case "oneOf":
                let options = rule.arrayValue ?? []
                let matching = options.filter { errors(value, against: $0, at: path).isEmpty }
                if matching.count != 1 {
                    found.append("\(path): matches \(matching.count) of oneOf's \(options.count)")
                }
            default: break
            }
        }
        return found
    }
}
