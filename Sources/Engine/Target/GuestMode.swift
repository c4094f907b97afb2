/// WOW64: a 64-bit Windows process that also runs 32-bit x86 code. The debugger can present it
/// in either mode (`.effmach`, `!wow64exts.sw`); commands see whichever one
/// `DebuggerState.target` returns and never ask which.
public struct GuestMode {
    /// The process as its 32-bit code sees it: x86 registers (the context WOW64 saved for each
    /// thread), 32-bit TEBs and PEB, 4-byte pointers. Same memory and modules as the native view.
    public let view: any Target
    /// Whether the last event happened in 32-bit code. CDB then presents the process as an x86
    /// process ("Debugging WOW64"; `.effmach #` returns to this mode).
    public let lastEventInGuest: Bool

    public init(view: any Target, lastEventInGuest: Bool) {
        self.view = view
        self.lastEventInGuest = lastEventInGuest
    }

    /// The guest's processor (x86).
    public var machine: Machine { view.machine }
}

/// Where WOW64 keeps the 32-bit system images.
public enum Wow64Paths {
    /// True for an image in `%windir%\SysWOW64` (the x86 system folder of 64-bit Windows).
    public static func isGuestSystemImage(_ path: String) -> Bool {
        path.lowercased().contains("\\syswow64\\")
    }
}
