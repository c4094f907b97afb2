import Testing

@testable import Engine

/// `!analyze -v`'s OS_VERSION revision and BUILDLAB_STR from both forms of build-lab string
/// the corpus's dumps carry, and from strings that hold neither.
@Suite struct BuildLabTests {
    static let cases: [(text: String, revision: String?, branch: String?)] = [
        ("19041.1.amd64fre.vb_release.191206-1406", "1", "vb_release"),
        ("22621.1.amd64fre.ni_release.220506-1250", "1", "ni_release"),
        ("10.0.14393.0 (rs1_release.160715-1616)", "0", "rs1_release"),
        ("6.1.7601.18015 (win7sp1_gdr.121129-1432)", "18015", "win7sp1_gdr"),
        ("", nil, nil), ("14393", nil, nil), ("x.y.z", nil, nil), ("10.0 ()", nil, nil),
        (")(", nil, nil),
    ]

    @Test(arguments: cases.indices)
    func revisionAndBranch(index: Int) {
        let (text, revision, branch) = Self.cases[index]
        #expect(BuildLab(text) == BuildLab(revision: revision, branch: branch), "\(text)")
    }
}
