import Testing

@testable import Engine

/// `!analyze -v`'s OS_VERSION revision and BUILDLAB_STR from both forms of build-lab string
/// the corpus's dumps carry.
@Suite struct BuildLabTests {
    @Test func modernForm() {
        #expect(
            BuildLab("19041.1.amd64fre.vb_release.191206-1406")
                == BuildLab(revision: "1", branch: "vb_release"))
        #expect(
            BuildLab("22621.1.amd64fre.ni_release.220506-1250")
                == BuildLab(revision: "1", branch: "ni_release"))
    }

    @Test func fileVersionForm() {
        #expect(
            BuildLab("10.0.14393.0 (rs1_release.160715-1616)")
                == BuildLab(revision: "0", branch: "rs1_release"))
        #expect(
            BuildLab("6.1.7601.18015 (win7sp1_gdr.121129-1432)")
                == BuildLab(revision: "18015", branch: "win7sp1_gdr"))
    }

    @Test func partsThatAreNotThereStayEmpty() {
        #expect(BuildLab("") == BuildLab(revision: nil, branch: nil))
        #expect(BuildLab("14393") == BuildLab(revision: nil, branch: nil))
        #expect(BuildLab("x.y.z") == BuildLab(revision: nil, branch: nil))
        #expect(BuildLab("10.0 ()") == BuildLab(revision: nil, branch: nil))
        #expect(BuildLab(")(") == BuildLab(revision: nil, branch: nil))
    }
}
