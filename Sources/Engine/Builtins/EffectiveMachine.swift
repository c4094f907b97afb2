extension Builtins {
    /// `.effmach [MachineType]`: the processor mode commands use. A target runs in its native
    /// mode; a WOW64 process can also be shown as the x86 process its 32-bit code sees.
    static let effectiveMachine = Command(
        name: ".effmach",
        summary: "show or change the effective machine (x86 on WOW64 processes)",
        usage: ".effmach [. | # | x86 | amd64 | arm | arm64]",
        requirements: [.target],
        effect: .displaysUnlessArguments(
            display: ".effmach", change: ".effmach MachineType", kind: .changesSession),
        argument: .text
    ) { invocation in
        let state = invocation.state
        guard let native = state.nativeTarget else { _ = try invocation.requireTarget(); return }
        let guest = state.guestMode
        switch invocation.trimmedArguments.lowercased() {
        case "":
            break
        case ".":
            state.setGuestMode(false)
        case "#":
            // The mode of the code that ran the last event.
            state.setGuestMode(guest?.lastEventInGuest ?? false)
        case let name:
            let machine = EffectiveMachineText.machine(named: name)
            guard machine != nil || EffectiveMachineText.unsupported.contains(name) else {
                throw CommandError.syntax(at: invocation.arguments.startIndex)
            }
            if machine == native.machine {
                state.setGuestMode(false)
            } else if let guest, guest.machine == machine {
                state.setGuestMode(true)
            } else {
                throw CommandError.message(
                    "\(name) is not a mode of this target: \(state.programName) shows "
                        + EffectiveMachineText.modes(of: native, guest: guest))
            }
        }
        let current = state.target?.machine ?? native.machine
        invocation.out.line("Effective machine: \(EffectiveMachineText.description(current))")
    }

    /// `!wow64exts.sw` (also `!sw`): switches a WOW64 process between x86 and native mode.
    static let wow64Switch = Command(
        name: "!sw",
        summary: "switch a WOW64 process between x86 and native mode (!wow64exts.sw)",
        usage: "!wow64exts.sw",
        requirements: [.target],
        effect: .changesSession
    ) { invocation in
        let state = invocation.state
        guard state.guestMode != nil else {
            throw CommandError.message(
                "The target is not a WOW64 process: it has no x86 mode to switch to")
        }
        state.setGuestMode(!state.inGuestMode)
        // The extension's own words [recollection: wow64exts on Windows 10].
        invocation.out.line(
            state.inGuestMode ? "Switched to Guest (WoW) mode" : "Switched to Host mode")
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

    /// The type name `.effmach` takes and the prompt shows (`0:000:x86>`).
    static func name(_ machine: Machine) -> String {
        switch machine {
        case .x86: "x86"
        case .amd64: "amd64"
        case .arm: "arm"
        case .arm64: "arm64"
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

    /// Types the page lists that no target here runs.
    static let unsupported: Set<String> = ["ebc", "chpe"]

    /// "its native mode (x64 (AMD64)) and x86" for messages.
    static func modes(of target: any Target, guest: GuestMode?) -> String {
        var text = "its native mode (\(description(target.machine)))"
        if let guest { text += " and \(name(guest.machine)) (WOW64)" }
        return text
    }
}
