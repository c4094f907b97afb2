/// The parts of a Windows build-lab string that `!analyze -v` shows. Dumps carry two forms:
/// the modern `19041.1.amd64fre.vb_release.191206-1406` (build, revision, flavour, branch,
/// date) and the older file-version form `10.0.14393.0 (rs1_release.160715-1616)` or
/// `6.1.7601.18015 (win7sp1_gdr.121129-1432)`.
struct BuildLab: Equatable {
    /// The revision after the build number (`1`, `0`, `18015`), when the string says.
    var revision: String?
    /// The branch (`vb_release`, `rs1_release`, `win7sp1_gdr`), when the string says.
    var branch: String?

    init(revision: String?, branch: String?) {
        self.revision = revision
        self.branch = branch
    }

    init(_ text: String) {
        let trimmed = text.trimmingSpaces()
        if let open = trimmed.firstIndex(of: "("), let close = trimmed.lastIndex(of: ")"),
            open < close
        {
            // `10.0.14393.0 (rs1_release.160715-1616)`: version, then branch.date in brackets.
            let version = trimmed[..<open].trimmingSpaces().split(separator: ".")
            revision = version.count == 4 && UInt32(version[3]) != nil ? String(version[3]) : nil
            let inside = trimmed[trimmed.index(after: open)..<close]
            let branch = inside.split(separator: ".").first.map(String.init)
            self.branch = branch?.isEmpty == false ? branch : nil
            return
        }
        let fields = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        revision = fields.count > 1 && UInt32(fields[1]) != nil ? String(fields[1]) : nil
        branch = fields.count > 3 && !fields[3].isEmpty ? String(fields[3]) : nil
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
