import NIOCore
import NIOEmbedded
import Testing

@testable import Remote

@Suite struct LineFrameDecoderTests {
    private func decode(_ chunks: [[UInt8]], maximum: Int = 16) throws -> [InboundLine] {
        let channel = EmbeddedChannel(
            handler: ByteToMessageHandler(LineFrameDecoder(maximumLength: maximum)))
        for chunk in chunks {
            var buffer = channel.allocator.buffer(capacity: chunk.count)
            buffer.writeBytes(chunk)
            try channel.writeInbound(buffer)
        }
        _ = try channel.finish()
        var result: [InboundLine] = []
        while let line = try channel.readInbound(as: InboundLine.self) { result.append(line) }
        return result
    }

    @Test func splitsLinesAcrossChunks() throws {
        let lines = try decode([Array("k\r\nd".utf8), Array("d rsp\n\n".utf8)])
        #expect(lines == [.line("k"), .line("dd rsp"), .line("")])
    }

    @Test func overlongLinesAreDiscardedAndReported() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 40)
        let lines = try decode([Array(long[0..<20]), Array(long[20...]) + Array("\nok\n".utf8)])
        #expect(lines == [.tooLong(bytes: 40), .line("ok")])
    }

    @Test func memoryStaysBoundedWhileDiscarding() throws {
        let channel = EmbeddedChannel(
            handler: ByteToMessageHandler(LineFrameDecoder(maximumLength: 1024)))
        var buffer = channel.allocator.buffer(capacity: 64 * 1024)
        buffer.writeRepeatingByte(UInt8(ascii: "x"), count: 64 * 1024)
        // 8 MiB without a newline: nothing is kept beyond one chunk.
        for _ in 0..<128 { try channel.writeInbound(buffer) }
        var end = channel.allocator.buffer(capacity: 4)
        end.writeString("\nk\n")
        try channel.writeInbound(end)
        #expect(try channel.readInbound(as: InboundLine.self) == .tooLong(bytes: 8 << 20))
        #expect(try channel.readInbound(as: InboundLine.self) == .line("k"))
        _ = try channel.finish()
    }

    @Test func controlCharactersAndBadUTF8AreMadeHarmless() throws {
        let lines = try decode([[0x1B, 0x5B, 0x32, 0x4A, 0xFF, 0x09, 0x41, 0x0A, 0x03, 0x0A]])
        #expect(lines == [.line("^[[2J\u{FFFD}\tA"), .interrupt])
        #expect(LineFrameDecoder.clean(Array("\u{9B}x".utf8)) == "?x")
    }

    @Test func aLastLineWithoutNewlineCounts() throws {
        #expect(try decode([Array("k".utf8)]) == [.line("k")])
    }
}
