extension Builtins {
    /// `!handle [Handle [Flags [TypeName]]]`.
    static let handle = Command(
        name: "!handle",
        summary: "show handles recorded in the dump (dumps written with /mh)",
        usage: "!handle [Handle [Flags [TypeName]]]",
        details: [
            "Handle 0 or none: all handles. Flags: 1 type (default), 2 basic information, 4 name,",
            "f everything. A type name limits the list to that type.",
        ],
        requirements: [.target, .userTarget],
        argument: .expression
    ) { invocation in
        try HandleCommand.run(invocation)
    }
}

enum HandleCommand {
    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        guard let handles = target.handles else {
            throw CommandError.message(
                "Handle information is not available: the dump has no handle data "
                    + "(write it with .dump /mh).")
        }
        var words = ArgumentWords(invocation.arguments)
        var selected: UInt64 = 0
        var flags: UInt64 = 1
        var typeFilter: String?
        if let word = words.next() { selected = try invocation.evaluate(word) }
        if let word = words.next() { flags = try invocation.evaluate(word) }
        if let word = words.next() { typeFilter = unquoted(word) }
        let out = invocation.out
        var shown: [TargetHandle] = []
        for handle in handles {
            guard selected == 0 || handle.handle == selected else { continue }
            if let typeFilter, handle.typeName?.lowercased() != typeFilter.lowercased() { continue }
            shown.append(handle)
            try invocation.checkInterrupt()
            out.line("Handle \(String(handle.handle, radix: 16))")
            if flags & 1 != 0 { out.line("  Type         \t\(handle.typeName ?? "<unknown>")") }
            if flags & 2 != 0 {
                out.line("  Attributes   \t0x\(String(handle.attributes, radix: 16))")
                out.line("  GrantedAccess\t0x\(String(handle.grantedAccess, radix: 16))")
                out.line("  HandleCount  \t\(handle.handleCount)")
                out.line("  PointerCount \t\(handle.pointerCount)")
            }
            if flags & 4 != 0 {
                if let name = handle.objectName, !name.isEmpty {
                    out.line("  Name         \t\(name)")
                } else {
                    out.line("  Name         \t<none>")
                }
            }
            if flags & 8 != 0 { out.line("  No object specific information available") }
        }
        if selected != 0 && shown.isEmpty {
            throw CommandError.message("Handle \(String(selected, radix: 16)) not found")
        }
        guard selected == 0 else { return }
        out.line("\(shown.count) Handles")
        out.line("Type           \tCount")
        var counts: [String: Int] = [:]
        for handle in shown { counts[handle.typeName ?? "<unknown>", default: 0] += 1 }
        for (type, count) in counts.sorted(by: { $0.key < $1.key }) {
            out.line(type.rightPadded(to: 15) + "\t\(count)")
        }
    }
}
