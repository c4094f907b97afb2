import Foundation
import HostSystem
import Synchronization
import Testing

@Suite struct HostSystemTests {
    @Test func numberFormatsAreCs() {
        for value in [0, 1, -2.5, 1.0 / 3, 1e-7, 123_456_789.125, 1e300, .infinity, -.nan] {
            for format in ["%g", "%.7g", "%.15g", "%.2f%%", "%.3f"] {
                #expect(CNumberFormat.string(format, value) == String(format: format, value))
            }
        }
    }

    @Test func aFileIsWrittenAppendedAndReadBack() throws {
        let path = NSTemporaryDirectory() + "xcdb-hostfile-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try #require(HostFile(writingAtPath: path, append: false))
        #expect(first.write("one\n".utf8))
        first.close()
        #expect(!first.write("lost".utf8))
        let second = try #require(HostFile(writingAtPath: path, append: true))
        #expect(second.write("two\n".utf8))
        second.close()
        let reader = try #require(HostFile(readingAtPath: path))
        #expect(reader.read(upTo: 5) == Array("one\nt".utf8))
        #expect(reader.read(upTo: 100) == Array("wo\n".utf8))
        #expect(reader.read(upTo: 100) == [])
        let truncating = try #require(HostFile(writingAtPath: path, append: false))
        truncating.close()
        #expect(HostFile(readingAtPath: path)?.read(upTo: 10) == [])
        #expect(HostFile(readingAtPath: path + "-missing") == nil)
    }

    @Test func aDetachedThreadRuns() {
        let done = DispatchSemaphore(value: 0)
        let ran = Atomic<Int>(0)
        DetachedThread.start(name: "a name longer than fifteen bytes") {
            ran.store(1, ordering: .relaxed)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(ran.load(ordering: .relaxed) == 1)
    }

    @Test func aTemporaryFolderIsRemovedWithWhatItHoldsButNotWhatItLinksTo() throws {
        let outside = NSTemporaryDirectory() + "xcdb-outside-\(UUID().uuidString)"
        try "keep".write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let folder = try TemporaryFolders.make(prefix: "xcdb-hostsystem-test").get()
        #expect(FileKind(path: folder) == .directory)
        #expect(PathText.lastComponent(of: folder).hasPrefix("xcdb-hostsystem-test-"))
        try FileManager.default.createDirectory(
            atPath: folder + "/inner/deeper", withIntermediateDirectories: true)
        try "x".write(toFile: folder + "/inner/deeper/file", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/inner/link", withDestinationPath: outside)
        TemporaryFolders.remove(folder)
        #expect(FileKind(path: folder) == .missing)
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "keep")
    }
}
