extension Builtins {
    /// `.effmach [MachineType]`: the processor mode commands use. xcdb debugs every target in
    /// its native mode (no WOW64 view yet), so `.`, `#` and the native type are accepted and
    /// other modes are refused with a reason.
    static let effectiveMachine = Command(
        name: ".effmach",
        summary: "show the effective machine (only the target's native mode is available)",
        usage: ".effmach [. | # | x86 | amd64 | arm | arm64]",
        requirements: [.target],
        argument: .text
    ) { invocation in
        let target = try invocation.requireTarget()
        let native = target.machine
        let wanted = invocation.trimmedArguments.lowercased()
        if !wanted.isEmpty && ![".", "#"].contains(wanted) {
            guard let machine = EffectiveMachineText.machine(named: wanted) else {
                throw CommandError.syntax(at: invocation.arguments.startIndex)
            }
            guard machine == native else {
                throw CommandError.message(
                    "\(invocation.state.programName) shows this target only in its native mode "
                        + "(\(EffectiveMachineText.description(native)))")
            }
        }
        invocation.out.line("Effective machine: \(EffectiveMachineText.description(native))")
    }
}

/// The names `.effmach` prints (-effmach--effective-machine-.md lists the types; the
/// descriptions are those CDB prints, inferred).
enum EffectiveMachineText {
    static func description(_ machine: Machine) -> String {
        switch machine {
        case .x86: "x86 compatible (x86)"
        case .amd64: "x64 (AMD64)"
        case .arm: "ARM (ARM)"
        case .arm64: "ARM 64-bit (AArch64) (ARM64)"
        }
    }

    static func machine(named name: String) -> Machine? {
        switch name {
        case "x86": .x86
        case "amd64", "x64": .amd64
        case "arm": .arm
        case "arm64": .arm64
        default: nil
        }
    }
}
