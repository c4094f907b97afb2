import Foundation
import HostSystem
import Testing

/// `PathText` does what `NSString`'s path methods are documented to do. (The Foundation on
/// Linux is no oracle here: its `deletingLastPathComponent` traps on `a`, `~` and `.`, and its
/// `appendingPathComponent` keeps doubled separators, `a` + `/b` giving `a//b`.)
@Suite struct PathTextTests {
    @Test func parentAndLastComponent() {
        let table: [(path: String, parent: String, last: String)] = [
            ("", "", ""), ("/", "/", "/"), ("//", "/", "/"), ("a", "", "a"), ("a/", "", "a"),
            ("/a", "/", "a"), ("/a/", "/", "a"), ("/a/b", "/a", "b"), ("/a/b/", "/a", "b"),
            ("a/b", "a", "b"), ("a//b", "a", "b"), ("/a//b//", "/a", "b"), ("./a", ".", "a"),
            ("a/./b", "a/.", "b"), ("/a/../b", "/a/..", "b"), ("~", "", "~"), (".", "", "."),
            ("/a/b.pdb", "/a", "b.pdb"),
        ]
        for row in table {
            #expect(PathText.parent(of: row.path) == row.parent, "\(row.path)")
            #expect(PathText.lastComponent(of: row.path) == row.last, "\(row.path)")
        }
    }

    @Test func joinPutsOneSeparatorBetween() {
        let table: [(path: String, component: String, joined: String)] = [
            ("", "b", "b"), ("", "", ""), ("/", "b", "/b"), ("/", "/b", "/b"), ("a", "b", "a/b"),
            ("a/", "b", "a/b"), ("a", "/b", "a/b"), ("a", "b/", "a/b"), ("/a/", "", "/a"),
            ("a", "b/c", "a/b/c"), ("/home/u", ".cache/xcdb/sym", "/home/u/.cache/xcdb/sym"),
            ("C:/sym", "ntdll.pdb", "C:/sym/ntdll.pdb"), ("a//b", "c", "a/b/c"),
        ]
        for row in table {
            #expect(PathText.join(row.path, row.component) == row.joined, "\(row)")
        }
    }

    @Test func tildeExpandsAsFoundationDoes() {
        for path in ["~/x", "~/x/y", "x/~", "~root/etc", "~no-such-user-xcdb/x", "/abs"] {
            #expect(
                PathText.expandingTilde(path) == (path as NSString).expandingTildeInPath, "\(path)")
        }
        #expect(PathText.expandingTilde("~") == PathText.homeDirectory())
    }

    @Test func standardizedDropsDotsLexically() {
        #expect(PathText.standardized("/a/./b//c/") == "/a/b/c")
        #expect(PathText.standardized("/a/b/../c") == "/a/c")
        #expect(PathText.standardized("/../..") == "/")
        #expect(PathText.standardized("a/../b") == "a/../b")
    }
}
