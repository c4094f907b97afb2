/// Unwind information a symbol source can supply besides names (Breakpad `STACK` records;
/// later PDB FPO / frame data).
public protocol CallFrameInfoProvider: AnyObject, Sendable {
    /// The CFI rules in effect at `rva`, if a `STACK CFI INIT` range covers it.
    func cfiRules(at rva: UInt64) -> CFIRuleSet?

    /// The `STACK WIN` record for `rva`: the innermost frame-data record covering it,
    /// else the innermost FPO record.
    func windowsFrameInfo(at rva: UInt64) -> WindowsFrameInfo?

    /// Stack parameter size of the code at `rva`, for the next frame's
    /// `calleeParameterSize`: the `STACK WIN` record's value, else the covering `FUNC`'s.
    func parameterSize(at rva: UInt64) -> UInt32?
}
