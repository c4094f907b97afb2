import Glibc
import Testing

@testable import LineEditor

/// Decoding terminal bytes into characters, without a terminal.
@Suite("Key reader")
struct KeyReaderTests {
    @Test("UTF-8: one to four bytes, and what is rejected")
    func decoding() {
        #expect(UTF8Decoder.decode(ArraySlice([0x41])) == .scalar(0x41, length: 1))
        #expect(UTF8Decoder.decode(ArraySlice([0xC3, 0xA9])) == .scalar(0xE9, length: 2))
        #expect(UTF8Decoder.decode(ArraySlice([0xE2, 0x82, 0xAC])) == .scalar(0x20AC, length: 3))
        #expect(
            UTF8Decoder.decode(ArraySlice([0xF0, 0x9F, 0x98, 0x80])) == .scalar(0x1F600, length: 4))
        #expect(UTF8Decoder.decode(ArraySlice([0xE2, 0x82])) == .incomplete)
        #expect(UTF8Decoder.decode(ArraySlice([])) == .incomplete)
        #expect(UTF8Decoder.decode(ArraySlice([0xC0, 0x80])) == .invalid)  // overlong NUL
        #expect(UTF8Decoder.decode(ArraySlice([0xE0, 0x80, 0x80])) == .invalid)  // overlong
        #expect(UTF8Decoder.decode(ArraySlice([0xED, 0xA0, 0x80])) == .invalid)  // surrogate
        #expect(UTF8Decoder.decode(ArraySlice([0xF4, 0x90, 0x80, 0x80])) == .invalid)  // > 10FFFF
        #expect(UTF8Decoder.decode(ArraySlice([0x80])) == .invalid)  // lone continuation
        #expect(UTF8Decoder.decode(ArraySlice([0xC3, 0x41])) == .invalid)
    }

    @Test("characters split across reads, invalid bytes skipped, wake-ups reported")
    func reading() throws {
        let input = try FileDescriptorIO.makePipe()
        let wake = try FileDescriptorIO.makePipe()
        defer { [input.read, wake.read, wake.write].forEach { close($0) } }
        let reader = KeyReader(inputFD: input.read, wakeFD: wake.read)

        #expect(reader.wait(wake: true, milliseconds: 0) == .timeout)
        FileDescriptorIO.writeAll(input.write, [0x61, 0xFF, 0xE2, 0x82])
        #expect(reader.wait(wake: true, milliseconds: 1000) == .input)
        #expect(reader.nextBufferedScalar() == 0x61)
        #expect(reader.nextBufferedScalar() == nil)  // 0xFF skipped, € incomplete
        #expect(reader.hasBufferedInput)
        FileDescriptorIO.writeAll(input.write, [0xAC])
        #expect(reader.wait(wake: true, milliseconds: 1000) == .input)
        #expect(reader.nextBufferedScalar() == 0x20AC)
        #expect(!reader.hasBufferedInput)

        FileDescriptorIO.poke(wake.write)
        #expect(reader.wait(wake: true, milliseconds: 1000) == .wake)
        #expect(reader.wait(wake: true, milliseconds: 0) == .timeout)  // the wake-up was drained

        close(input.write)  // the only close of this end
        #expect(reader.wait(wake: false, milliseconds: 1000) == .endOfInput)
    }
}
