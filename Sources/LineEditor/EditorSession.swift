import CLibEdit
import Glibc

/// The libedit editor and everything its callbacks need. Only the thread inside
/// `LineEditor.readLine` (or `addHistory`) uses it: it lives behind the editor's lock. libedit's
/// C callbacks find it again through EL_CLIENTDATA.
///
/// How output from other threads gets above the line being edited: the key reader returns a
/// private key (`InternalKey.printAbove`) whose command empties the line and hides the prompt,
/// and answers CC_REDISPLAY; libedit then erases every screen row the line used and leaves the
/// cursor where the prompt began. At the next key read the text is written there, the line is
/// put back and redrawn below it (EL_REFRESH). libedit itself does the erasing, so long lines
/// that wrap over several rows are handled exactly as libedit laid them out.
final class EditorSession {
    /// Keys the key reader hands libedit for its own commands; C1 control codes, which no
    /// keyboard sends (any arriving from the terminal are dropped).
    enum InternalKey: UInt32 {
        case printAbove = 0x91
        case loneEscape = 0x92
        /// Pushed by Enter's own command to end the line (libedit's ed-newline).
        case acceptLine = 0x93
    }

    /// How a line ended when it did not end with Enter.
    enum Ending {
        case interrupted
        case endOfFile
    }

    let editLine: OpaquePointer
    let history: HistoryStore
    private let mailbox: EditorMailbox
    private let keys: KeyReader
    let completer: Completer?
    let completionListLimit: Int
    let shownAfterEnter: (@Sendable (String) -> String?)?
    private let escapeMilliseconds: Int32
    private let inputFD: Int32
    private let outputFD: Int32
    private let files: [UnsafeMutablePointer<FILE>]

    private var prompt: UnsafeMutablePointer<wchar_t>
    private(set) var promptText = ""
    private let emptyPrompt: UnsafeMutablePointer<wchar_t>
    /// Strings libedit points to (names of added commands), freed after `el_end`.
    private var retainedStrings: [UnsafeMutablePointer<wchar_t>] = []

    // State of the line being read (some of it used by the commands in EditorCommands.swift).
    var ending: Ending?
    /// The line as typed, when Enter replaced it on the screen (`shownAfterEnter`).
    var lineBeforeMasking: String?
    private var hiddenLine: (text: [wchar_t], cursor: Int)?
    private var textBelowHiddenLine: String?
    private var lastTypedKey: UInt32?
    private(set) var previousTypedKey: UInt32?
    private var lastReturnedKey: UInt32?
    private(set) var terminalSize: (rows: Int, columns: Int)?
    /// The terminal's modes while this line is edited, noted at the first key read.
    private var editingModes: termios?
    /// Input was ended from another thread (`LineEditor.endInput()`) and the line is being
    /// erased before `readLine` returns.
    private var endingInput = false

    /// Output waits while Ctrl-R search is active (printing would end the search), unless this
    /// much has piled up.
    private static let searchBacklogLimit = 256 << 10

    init(
        configuration: LineEditor.Configuration, mailbox: EditorMailbox, history: HistoryStore
    ) throws(LineEditorError) {
        UTF8Locale.prepare()
        self.mailbox = mailbox
        self.history = history
        completer = configuration.completer
        shownAfterEnter = configuration.shownAfterEnter
        completionListLimit = max(configuration.completionListLimit, 1)
        let escape = configuration.escapeTimeout.components
        escapeMilliseconds = Int32(
            clamping: escape.seconds * 1000 + escape.attoseconds / 1_000_000_000_000_000)
        inputFD = configuration.input
        outputFD = configuration.output
        keys = KeyReader(inputFD: configuration.input, wakeFD: mailbox.wakeReadFD)

        let library = try LibEditLibrary.load()
        var files: [UnsafeMutablePointer<FILE>] = []
        for (fd, mode) in [
            (configuration.input, "r"), (configuration.output, "w"), (configuration.error, "w"),
        ] {
            let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
            guard copy >= 0, let file = fdopen(copy, mode) else {
                let code = errno
                if copy >= 0 { close(copy) }
                files.forEach { fclose($0) }
                throw .system("cannot open terminal descriptor \(fd)", code: code)
            }
            files.append(file)
        }
        self.files = files
        let created = LibEditLock.withLock {
            library.initFD(
                "xcdb", files[0], files[1], files[2], configuration.input, configuration.output,
                configuration.error)
        }
        guard let editLine = created else {
            files.forEach { fclose($0) }
            throw LineEditorError("cannot start the line editor (libedit el_init failed)")
        }
        self.editLine = editLine
        prompt = WideString.allocate("")
        emptyPrompt = WideString.allocate("")

        LibEditLock.withLock { configure(configuration) }
    }

    /// Settings, callbacks and key bindings; called with the libedit lock held.
    private func configure(_ configuration: LineEditor.Configuration) {
        xcdb_el_set_client_data(
            LibEditLibrary.api.set, editLine, Unmanaged.passUnretained(self).toOpaque())
        // libedit's own signal handling is for one editor per process and re-raises signals
        // to the whole process group; SignalWatcher does the job instead.
        xcdb_el_set_signal_handling(LibEditLibrary.api.set, editLine, 0)
        if let terminalType = configuration.terminalType {
            xcdb_el_set_terminal(LibEditLibrary.api.set, editLine, terminalType)
        }
        WideString.with("emacs") { _ = xcdb_el_set_editor(LibEditLibrary.api.set, editLine, $0) }
        xcdb_el_set_prompt(LibEditLibrary.api.set, editLine, promptCallback)
        xcdb_el_set_history(
            LibEditLibrary.api.set, editLine, LibEditLibrary.api.history, history.handle)
        xcdb_el_set_getc_function(LibEditLibrary.api.set, editLine, readCharacterCallback)
        retainedStrings = KeyBindings.apply(to: editLine)
    }

    deinit {
        LibEditLock.withLock { LibEditLibrary.api.end(editLine) }
        files.forEach { fclose($0) }
        prompt.deallocate()
        emptyPrompt.deallocate()
        retainedStrings.forEach { $0.deallocate() }
    }

    /// The session behind a libedit handle, for the C callbacks.
    static func from(_ editLine: OpaquePointer?) -> EditorSession? {
        guard let editLine, let data = xcdb_el_client_data(LibEditLibrary.api.get, editLine) else {
            return nil
        }
        return Unmanaged<EditorSession>.fromOpaque(data).takeUnretainedValue()
    }

    // MARK: Reading a line

    func readLine(prompt newPrompt: String) -> LineEditor.ReadResult {
        if mailbox.isInputEnded { return .endOfFile }
        if newPrompt != promptText {
            prompt.deallocate()
            prompt = WideString.allocate(newPrompt)
            promptText = newPrompt
        }
        ending = nil
        lineBeforeMasking = nil
        hiddenLine = nil
        textBelowHiddenLine = nil
        lastTypedKey = nil
        previousTypedKey = nil
        lastReturnedKey = nil
        terminalSize = FileDescriptorIO.terminalSize(inputFD)
        editingModes = nil
        endingInput = false

        mailbox.beginReading()
        defer { mailbox.endReading() }
        var count: Int32 = 0
        let line = LibEditLock.withLock { LibEditLibrary.api.wgets(editLine, &count) }
        switch ending {
        case .interrupted: return .interrupted
        case .endOfFile: return .endOfFile
        case nil: break
        }
        guard let line, count > 0 else { return .endOfFile }
        if let typed = lineBeforeMasking { return .line(typed) }
        var text = WideString.string(from: line, to: line + Int(count))
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// The prompt libedit draws: empty while the line is hidden for output.
    func currentPrompt() -> UnsafeMutablePointer<wchar_t> {
        hiddenLine == nil ? prompt : emptyPrompt
    }

    /// libedit's read-a-character function (EL_GETCFN): 1 with a character, 0 at end of
    /// input, -1 on error.
    func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        if editingModes == nil {
            // libedit has set editing mode before it asks for the first key.
            editingModes = FileDescriptorIO.terminalModes(inputFD)
        }
        while true {
            if hiddenLine != nil {
                if endingInput {
                    showOutputAndEnd()
                    return 0
                }
                showOutputAndRestoreLine()
                continue
            }
            if endingInput {
                // The line could not be hidden (libedit was reading a key sequence): end with
                // the line left as it is, and the output below it.
                showOutputAndEnd(startingRow: true)
                return 0
            }
            handleSignalRequests()
            if mailbox.isInputEnded {
                endingInput = true
                guard mayInterruptForOutput(ignoringSearch: true) else { continue }
                lastReturnedKey = InternalKey.printAbove.rawValue
                character.pointee = wchar_t(bitPattern: InternalKey.printAbove.rawValue)
                return 1
            }
            if let key = keys.nextBufferedScalar() {
                guard let key = translate(key) else { continue }
                character.pointee = wchar_t(bitPattern: key)
                return 1
            }
            if !keys.hasBufferedInput, mailbox.pendingByteCount > 0, mayInterruptForOutput() {
                lastReturnedKey = InternalKey.printAbove.rawValue
                character.pointee = wchar_t(bitPattern: InternalKey.printAbove.rawValue)
                return 1
            }
            switch LibEditLock.whileReleased({ keys.wait(wake: true, milliseconds: -1) }) {
            case .input, .wake, .timeout: continue
            case .endOfInput: return 0
            case .failure(let code):
                errno = code
                return -1
            }
        }
    }

    /// What libedit gets for a key from the terminal (nil: drop it); notes the key.
    private func translate(_ key: UInt32) -> UInt32? {
        // C1 controls would reach the internal commands; no keyboard sends them.
        if (0x80...0x9F).contains(key) { return nil }
        if key == 0x1B, !keys.hasBufferedInput,
            LibEditLock.whileReleased({ keys.wait(wake: false, milliseconds: escapeMilliseconds) })
                != .input
        {
            // Nothing followed the ESC: the ESC key itself. It clears the line as in CDB; in
            // Ctrl-R search libedit's own ESC ends the search and keeps the line found.
            lastReturnedKey = InternalKey.loneEscape.rawValue
            return isSearching() ? 0x1B : InternalKey.loneEscape.rawValue
        }
        previousTypedKey = lastTypedKey
        lastTypedKey = key
        lastReturnedKey = key
        return key
    }

    /// Whether a private key may be handed to libedit now without breaking what the user is
    /// in the middle of.
    private func mayInterruptForOutput(ignoringSearch: Bool = false) -> Bool {
        // After ESC, ^X or ^V libedit reads the next key itself (a key sequence or a quoted
        // character); a private key there would be lost or inserted.
        if let key = lastReturnedKey, [0x1B, 0x18, 0x16].contains(key) { return false }
        if !ignoringSearch, isSearching(),
            mailbox.pendingByteCount < EditorSession.searchBacklogLimit
        {
            return false
        }
        return true
    }

    /// Ctrl-R search shows its pattern after a newline in the line buffer.
    private func isSearching() -> Bool {
        guard let info = LibEditLibrary.api.wline(editLine)?.pointee, var scan = info.buffer,
            let end = info.lastchar
        else { return false }
        while scan < end {
            if scan.pointee == 0x0A { return true }
            scan += 1
        }
        return false
    }

    private func handleSignalRequests() {
        let requests = mailbox.takeRequests()
        if requests.resetTerminal, let modes = editingModes,
            let current = FileDescriptorIO.terminalModes(inputFD),
            !FileDescriptorIO.sameModes(modes, current)
        {
            // After a stop (Ctrl-Z) and `fg` the shell has put the terminal back in its own
            // mode: set editing mode again and redraw.
            xcdb_el_prepare_terminal(LibEditLibrary.api.set, editLine, 0)
            xcdb_el_prepare_terminal(LibEditLibrary.api.set, editLine, 1)
            editingModes = FileDescriptorIO.terminalModes(inputFD)
            redrawFromLineStart()
        }
        if requests.resize {
            let size = FileDescriptorIO.terminalSize(inputFD)
            if size?.rows != terminalSize?.rows || size?.columns != terminalSize?.columns {
                terminalSize = size
                LibEditLibrary.api.resize(editLine)
                redrawFromLineStart()
            }
        }
    }

    /// Erases from the cursor's row down and draws prompt and line again there.
    private func redrawFromLineStart() {
        fflush(files[1])
        FileDescriptorIO.writeAll(outputFD, "\r\u{1B}[J")
        xcdb_el_refresh(LibEditLibrary.api.set, editLine)
    }

    // MARK: Output above the line

    /// First half of printing above the line: empty the line and hide the prompt, so that
    /// libedit's CC_REDISPLAY erases what the line used on screen. `textBelow` (a completion
    /// list) is printed after any queued output.
    func hideLine(showing textBelow: String? = nil) -> UInt8 {
        guard hiddenLine == nil, let info = LibEditLibrary.api.wline(editLine)?.pointee,
            let buffer = info.buffer, let cursor = info.cursor, let end = info.lastchar
        else { return UInt8(CC_NORM) }
        let count = end - buffer
        hiddenLine = (Array(UnsafeBufferPointer(start: buffer, count: count)), cursor - buffer)
        textBelowHiddenLine = textBelow
        _ = LibEditLibrary.api.cursor(editLine, Int32(clamping: end - cursor))
        LibEditLibrary.api.deleteString(editLine, Int32(clamping: count))
        return UInt8(CC_REDISPLAY)
    }

    /// Second half: the screen is clear from the prompt's position down; write the text there
    /// and draw the line again below it, cursor where it was.
    private func showOutputAndRestoreLine() {
        guard let (line, cursor) = hiddenLine else { return }
        var text = mailbox.takePendingText()
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        if let below = textBelowHiddenLine { text += below }
        fflush(files[1])
        FileDescriptorIO.writeAll(outputFD, text)
        hiddenLine = nil
        textBelowHiddenLine = nil
        if !line.isEmpty {
            _ = LibEditLibrary.api.insertString(editLine, line + [0])
            _ = LibEditLibrary.api.cursor(editLine, Int32(clamping: cursor - line.count))
        }
        xcdb_el_refresh(LibEditLibrary.api.set, editLine)
    }

    /// The end of input (`LineEditor.endInput()`): writes the text still waiting where the
    /// hidden line was and leaves the cursor at the start of the row after it. With
    /// `startingRow` the line could not be hidden and stays; the text starts on the next row.
    private func showOutputAndEnd(startingRow: Bool = false) {
        var text = mailbox.takePendingText()
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        if startingRow { text = "\r\n" + text }
        fflush(files[1])
        FileDescriptorIO.writeAll(outputFD, text)
        hiddenLine = nil
        textBelowHiddenLine = nil
    }
}

// MARK: C callbacks

private let promptCallback: xcdb_prompt_function = { editLine in
    EditorSession.from(editLine)?.currentPrompt()
}

private let readCharacterCallback: el_rfunc_t = { editLine, character in
    guard let session = EditorSession.from(editLine), let character else { return -1 }
    return session.readCharacter(into: character)
}
