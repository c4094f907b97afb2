import NIOCore

/// One line from a client, or the news that a line was too long and was thrown away.
enum InboundLine: Equatable {
    case line(String)
    case tooLong(bytes: Int)
    /// A line holding nothing but Ctrl-C (0x03): a person on a raw terminal interrupting.
    case interrupt
}

/// Splits the byte stream into lines (`\n`, with an optional `\r` before it). Memory stays
/// bounded whatever the client sends: a line longer than `maximumLength` is discarded as it
/// arrives, up to its newline, and reported once as `.tooLong`. Bytes that are not UTF-8 are
/// replaced, and control characters other than tab become `^X`, so nothing a client sends can
/// drive another participant's terminal.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = InboundLine

    let maximumLength: Int
    /// Bytes thrown away from the current over-long line, or nil when not discarding.
    private var discarded: Int?

    init(maximumLength: Int = WireProtocol.maximumLineLength) {
        self.maximumLength = maximumLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws
        -> DecodingState
    {
        let view = buffer.readableBytesView
        let newline = view.firstIndex(of: UInt8(ascii: "\n"))
        if var count = discarded {
            guard let newline else {
                count =
                    count.addingReportingOverflow(buffer.readableBytes).overflow
                    ? Int.max : count + buffer.readableBytes
                discarded = count
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                return .needMoreData
            }
            let length = newline - view.startIndex
            buffer.moveReaderIndex(forwardBy: length + 1)
            discarded = nil
            let total = count.addingReportingOverflow(length).overflow ? Int.max : count + length
            context.fireChannelRead(Self.wrapInboundOut(.tooLong(bytes: total)))
            return .continue
        }
        guard let newline else {
            if buffer.readableBytes > maximumLength {
                discarded = buffer.readableBytes
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            }
            return .needMoreData
        }
        let length = newline - view.startIndex
        guard length <= maximumLength else {
            buffer.moveReaderIndex(forwardBy: length + 1)
            context.fireChannelRead(Self.wrapInboundOut(.tooLong(bytes: length)))
            return .continue
        }
        var bytes = buffer.readBytes(length: length) ?? []
        buffer.moveReaderIndex(forwardBy: 1)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if !bytes.isEmpty, bytes.allSatisfy({ $0 == 0x03 }) {
            context.fireChannelRead(Self.wrapInboundOut(.interrupt))
            return .continue
        }
        context.fireChannelRead(Self.wrapInboundOut(.line(Self.clean(bytes))))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A last line without a newline still counts (a client that sends `k` and closes).
        while try decode(context: context, buffer: &buffer) == .continue {}
        if discarded == nil, buffer.readableBytes > 0 {
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            context.fireChannelRead(Self.wrapInboundOut(.line(Self.clean(bytes))))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }

    /// Decodes UTF-8 (replacing bad bytes) and makes control characters visible.
    static func clean(_ bytes: [UInt8]) -> String {
        // Fast path: printable ASCII and tabs, the usual case.
        if !bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 >= 0x7F }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: result.unicodeScalars.append(scalar)
            case 0..<0x20: result += "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
            case 0x7F: result += "^?"
            case 0x80...0x9F: result += "?"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 controls but tab, DEL, and C1 controls (some terminals obey U+009B as CSI).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar.value != 0x09) || (0x7F...0x9F).contains(scalar.value)
    }
}
