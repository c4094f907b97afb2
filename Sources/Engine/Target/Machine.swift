/// The processor architecture of a target.
public enum Machine: Sendable, Equatable, CaseIterable {
    case x86
    case amd64
    case arm
    case arm64

    /// Size of a pointer in bytes.
    public var pointerSize: Int {
        switch self {
        case .x86, .arm: 4
        case .amd64, .arm64: 8
        }
    }

    /// The name CDB prints (`vertarget`'s `Free x64`, `version`).
    public var cdbName: String {
        switch self {
        case .x86: "x86"
        case .amd64: "x64"
        case .arm: "ARM"
        case .arm64: "ARM64"
        }
    }
}
