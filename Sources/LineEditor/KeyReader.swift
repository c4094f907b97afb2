import Glibc

/// Reads keys from the terminal for libedit: decodes UTF-8 into Unicode scalars, waits on the
/// terminal and on the editor's wake-up pipe together, and can wait briefly for the bytes that
/// follow an ESC (to tell a lone ESC from Alt-key and cursor-key sequences).
///
/// Bytes are read in chunks, so a paste is decoded from memory, and bytes read past the end of
/// one line stay here for the next `readLine`.
final class KeyReader {
    enum Wait: Equatable {
        /// Terminal bytes were read into the buffer.
        case input
        /// The wake-up pipe fired (and was drained).
        case wake
        case timeout
        /// The terminal reached end of file or hung up.
        case endOfInput
        /// Reading the terminal failed with this errno.
        case failure(Int32)
    }

    private let inputFD: Int32
    private let wakeFD: Int32
    private var buffer: [UInt8] = []
    private var position = 0

    init(inputFD: Int32, wakeFD: Int32) {
        self.inputFD = inputFD
        self.wakeFD = wakeFD
    }

    /// Whether read bytes are waiting to be decoded.
    var hasBufferedInput: Bool { position < buffer.count }

    /// The next complete character from the buffer, or nil when the buffer is empty or ends in
    /// the middle of a UTF-8 sequence. Invalid bytes are skipped.
    func nextBufferedScalar() -> UInt32? {
        while position < buffer.count {
            switch UTF8Decoder.decode(buffer[position...]) {
            case .scalar(let value, let length):
                position += length
                compact()
                return value
            case .invalid:
                position += 1
            case .incomplete:
                return nil
            }
        }
        compact()
        return nil
    }

    /// Waits for terminal input (and, with `wake`, for the wake-up pipe) for at most
    /// `milliseconds` (-1: no limit).
    func wait(wake: Bool, milliseconds: Int32) -> Wait {
        var descriptors = [
            pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&descriptors, wake ? 2 : 1, milliseconds)
        if ready < 0 { return errno == EINTR ? .wake : .failure(errno) }
        if ready == 0 { return .timeout }
        if wake, descriptors[1].revents != 0 {
            FileDescriptorIO.drain(wakeFD)
            return .wake
        }
        let events = Int32(descriptors[0].revents)
        if events & Int32(POLLIN) != 0 { return fill() }
        if events & Int32(POLLHUP | POLLERR | POLLNVAL) != 0 { return .endOfInput }
        return .wake
    }

    private func fill() -> Wait {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return .input
            }
            if count == 0 { return .endOfInput }
            if errno == EINTR { continue }
            if errno == EAGAIN { return .wake }
            // A terminal whose other side went away reads EIO: the same as a hang-up.
            return errno == EIO ? .endOfInput : .failure(errno)
        }
    }

    private func compact() {
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
    }
}

/// Decodes one UTF-8 sequence, rejecting overlong forms, surrogates and values past U+10FFFF.
enum UTF8Decoder {
    enum Result: Equatable {
        case scalar(UInt32, length: Int)
        case incomplete
        case invalid
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> Result {
        guard let lead = bytes.first else { return .incomplete }
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return .scalar(UInt32(lead), length: 1)
        case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
        default: return .invalid
        }
        var index = bytes.index(after: bytes.startIndex)
        for _ in 1..<length {
            guard index < bytes.endIndex else { return .incomplete }
            let byte = bytes[index]
            guard byte & 0xC0 == 0x80 else { return .invalid }
            value = value << 6 | UInt32(byte & 0x3F)
            index = bytes.index(after: index)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            return .invalid
        }
        return .scalar(value, length: length)
    }
}
