import CLibEdit
import Glibc

/// The few raw file-descriptor operations the editor needs, with EINTR and short writes
/// handled in one place.
enum FileDescriptorIO {
    /// Writes all of `bytes`, retrying on EINTR and short writes. Returns false when the
    /// descriptor fails (the terminal went away); output is then dropped, never retried forever.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
        let data = Array(bytes)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, data.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && errno == EAGAIN {
                // Non-blocking terminal that is full: wait until it drains.
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 100)
            } else {
                return false
            }
        }
        return true
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ text: String) -> Bool {
        writeAll(fd, text.utf8)
    }

    /// A pipe whose ends are close-on-exec and non-blocking.
    static func makePipe() throws(LineEditorError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard xcdb_pipe2(&fds, O_CLOEXEC | O_NONBLOCK) == 0 else {
            throw .system("cannot create a pipe")
        }
        return (fds[0], fds[1])
    }

    /// Reads and discards everything currently in a non-blocking pipe.
    static func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Writes one byte to a non-blocking pipe; a full pipe already holds a wake-up.
    static func poke(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// The terminal's size as (rows, columns), or nil when `fd` is not a terminal.
    static func terminalSize(_ fd: Int32) -> (rows: Int, columns: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }

    /// The terminal's current modes, or nil when `fd` is not a terminal.
    static func terminalModes(_ fd: Int32) -> termios? {
        var modes = termios()
        return tcgetattr(fd, &modes) == 0 ? modes : nil
    }

    /// Whether two sets of terminal modes are the same (flags and control characters).
    static func sameModes(_ first: termios, _ second: termios) -> Bool {
        guard first.c_iflag == second.c_iflag, first.c_oflag == second.c_oflag,
            first.c_cflag == second.c_cflag, first.c_lflag == second.c_lflag
        else { return false }
        return withUnsafeBytes(of: first.c_cc) { a in
            withUnsafeBytes(of: second.c_cc) { b in a.elementsEqual(b) }
        }
    }
}
