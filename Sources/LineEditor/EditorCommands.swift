import CLibEdit
import Glibc

/// The editor commands bound to Tab, Ctrl-C and Ctrl-D (see `KeyBindings`). Each runs inside
/// `el_wgets` on the editor thread and answers one of libedit's CC_* codes.
extension EditorSession {
    /// Tab: one candidate is inserted; several complete their common prefix, and a second
    /// Tab in a row lists them below the line.
    func complete() -> UInt8 {
        guard let completer, let (line, cursor, length) = currentLine() else {
            return UInt8(CC_ERROR)
        }
        let completion = completer(line, cursor)
        let lower = min(max(completion.replacing.lowerBound, 0), length)
        let upper = min(max(completion.replacing.upperBound, lower), length)
        let candidates = completion.candidates
        guard !candidates.isEmpty else { return UInt8(CC_ERROR) }
        if candidates.count == 1 {
            replace(lower..<upper, cursor: cursor, with: candidates[0].text)
            return UInt8(CC_REFRESH)
        }
        let prefix = Completion.commonPrefix(of: candidates)
        if prefix.unicodeScalars.count > upper - lower {
            replace(lower..<upper, cursor: cursor, with: prefix)
            return UInt8(CC_REFRESH)
        }
        guard previousTypedKey == 0x09 else { return UInt8(CC_ERROR) }
        return hideLine(showing: listing(of: candidates, line: line))
    }

    /// The prompt and line as they were, then the candidates in columns.
    private func listing(of candidates: [Completion.Candidate], line: String) -> String {
        let width = terminalSize?.columns ?? 80
        let shown = candidates.prefix(completionListLimit).map { Self.printable($0.display) }
        var text = promptText + line + "\n"
        for row in ColumnLayout.rows(of: shown, width: width) {
            text += row + "\n"
        }
        if candidates.count > shown.count {
            text += "... and \(candidates.count - shown.count) more\n"
        }
        return text
    }

    /// Enter: ends the line (through the private key bound to libedit's own ed-newline). When
    /// the line must not stay on the screen as typed, it is first replaced by what
    /// `shownAfterEnter` gives and redrawn; `readLine` returns it as typed.
    func accept() -> UInt8 {
        let acceptKey = [wchar_t(bitPattern: InternalKey.acceptLine.rawValue), 0]
        defer { LibEditLibrary.api.push(editLine, acceptKey) }
        guard ending == nil, lineBeforeMasking == nil, let shownAfterEnter,
            let (line, cursor, length) = currentLine(), let shown = shownAfterEnter(line),
            shown != line
        else { return UInt8(CC_NORM) }
        lineBeforeMasking = line
        replace(0..<length, cursor: cursor, with: shown)
        return UInt8(CC_REFRESH)
    }

    /// Ctrl-C: abandon the line, show "^C" after it and start a fresh line.
    func interrupt() -> UInt8 {
        ending = .interrupted
        moveCursorToEnd()
        WideString.with("^C") { _ = LibEditLibrary.api.insertString(editLine, $0) }
        WideString.with("\n") { LibEditLibrary.api.push(editLine, $0) }
        return UInt8(CC_REFRESH)
    }

    /// Ctrl-D: end of input on an empty line, otherwise delete the character under the cursor.
    func deleteOrEndOfFile() -> UInt8 {
        guard let info = LibEditLibrary.api.wline(editLine)?.pointee else { return UInt8(CC_ERROR) }
        if info.buffer == info.lastchar {
            ending = .endOfFile
            WideString.with("\n") { LibEditLibrary.api.push(editLine, $0) }
            return UInt8(CC_NORM)
        }
        guard let cursor = info.cursor, let end = info.lastchar, cursor < end else {
            return UInt8(CC_ERROR)
        }
        _ = LibEditLibrary.api.cursor(editLine, 1)
        LibEditLibrary.api.deleteString(editLine, 1)
        return UInt8(CC_REFRESH)
    }

    /// The line, the cursor and the line's length, in Unicode scalars.
    private func currentLine() -> (line: String, cursor: Int, length: Int)? {
        guard let info = LibEditLibrary.api.wline(editLine)?.pointee, let buffer = info.buffer,
            let cursor = info.cursor, let end = info.lastchar
        else { return nil }
        return (WideString.string(from: buffer, to: end), cursor - buffer, end - buffer)
    }

    private func moveCursorToEnd() {
        guard let info = LibEditLibrary.api.wline(editLine)?.pointee, let cursor = info.cursor,
            let end = info.lastchar
        else { return }
        _ = LibEditLibrary.api.cursor(editLine, Int32(clamping: end - cursor))
    }

    /// Replaces `range` of the line with `text`, leaving the cursor after it.
    private func replace(_ range: Range<Int>, cursor: Int, with text: String) {
        _ = LibEditLibrary.api.cursor(editLine, Int32(clamping: range.upperBound - cursor))
        if !range.isEmpty {
            LibEditLibrary.api.deleteString(editLine, Int32(clamping: range.count))
        }
        let insertion = Self.printable(text)
        if !insertion.isEmpty {
            WideString.with(insertion) { _ = LibEditLibrary.api.insertString(editLine, $0) }
        }
    }

    /// `text` without control characters, which have no place in a command line or a list.
    private static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars
        where scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) {
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
