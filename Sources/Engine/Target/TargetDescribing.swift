/// A target that can describe itself: the OS block of `vertarget`, `version` and the banner.
public protocol TargetDescribing: Target {
    /// `Windows 10 Version 16299 MP (4 procs) Free x86 compatible`, `Product: ...`, build lab,
    /// `Machine Name:`, `Debug session time: ...`, uptimes.
    func versionLines() -> [String]
}
