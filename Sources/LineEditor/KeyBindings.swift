import CLibEdit
import Glibc

/// The key map: libedit's Emacs bindings plus what a WinDbg/CDB user expects.
///
/// * ESC alone clears the line, as in CDB. Alt-keys keep working because terminals send them
///   as ESC followed at once by the key (Alt-B is `ESC b`); the key reader tells the two apart
///   by waiting `escapeTimeout` for a following byte.
/// * Tab completes through the caller's completer; Ctrl-C abandons the line; Ctrl-D ends input
///   on an empty line and deletes the character under the cursor otherwise; Enter may mask
///   the line on the screen first (`shownAfterEnter`: passwords).
/// * Ctrl-R is incremental reverse search; Up/Down walk the history; Home/End, Delete and
///   Ctrl/Alt-Left/Right work in the common terminal encodings.
/// * Latin-1 letters (U+00A0-U+00FF) insert themselves: libedit's Emacs map would otherwise
///   read them as Meta keys (é, U+00E9, is Meta-i there).
enum KeyBindings {
    /// Sets up the key map. Returns the strings libedit keeps pointers to (the names and help
    /// texts of the added commands); the caller frees them after `el_end`.
    static func apply(to editLine: OpaquePointer) -> [UnsafeMutablePointer<wchar_t>] {
        var retained: [UnsafeMutablePointer<wchar_t>] = []
        addFunction(editLine, &retained, "xcdb-complete", "Complete the word before the cursor") {
            editLine, _ in EditorSession.from(editLine)?.complete() ?? UInt8(CC_ERROR)
        }
        addFunction(editLine, &retained, "xcdb-interrupt", "Abandon the line (Ctrl-C)") {
            editLine, _ in EditorSession.from(editLine)?.interrupt() ?? UInt8(CC_ERROR)
        }
        addFunction(editLine, &retained, "xcdb-delete-or-eof", "Delete a character, or end input") {
            editLine, _ in EditorSession.from(editLine)?.deleteOrEndOfFile() ?? UInt8(CC_ERROR)
        }
        addFunction(editLine, &retained, "xcdb-print-above", "Print queued output above the line") {
            editLine, _ in EditorSession.from(editLine)?.hideLine() ?? UInt8(CC_ERROR)
        }
        addFunction(editLine, &retained, "xcdb-accept", "End the line (Enter)") {
            editLine, _ in EditorSession.from(editLine)?.accept() ?? UInt8(CC_ERROR)
        }

        // The terminal's interrupt character would raise SIGINT while editing; turn it off in
        // editing mode only, so Ctrl-C arrives as a key. ("-intr" keeps it off if the user
        // changes terminal characters later.)
        WideString.with("-d") { edit in
            WideString.with("-intr") { off in
                WideString.with("intr=") {
                    _ = xcdb_el_setty(LibEditLibrary.api.set, editLine, edit, off, $0)
                }
            }
        }

        var bindings: [(key: String, command: String)] = [
            ("^I", "xcdb-complete"),
            ("^C", "xcdb-interrupt"),
            ("^D", "xcdb-delete-or-eof"),
            ("^R", "em-inc-search-prev"),
            (String(scalar(EditorSession.InternalKey.printAbove.rawValue)), "xcdb-print-above"),
            (String(scalar(EditorSession.InternalKey.loneEscape.rawValue)), "em-kill-line"),
            ("^M", "xcdb-accept"),
            ("^J", "xcdb-accept"),
            (String(scalar(EditorSession.InternalKey.acceptLine.rawValue)), "ed-newline"),
        ]
        for (keys, command) in [
            (["\\e[A", "\\eOA"], "ed-prev-history"),
            (["\\e[B", "\\eOB"], "ed-next-history"),
            (["\\e[C", "\\eOC"], "ed-next-char"),
            (["\\e[D", "\\eOD"], "ed-prev-char"),
            (["\\e[H", "\\eOH", "\\e[1~", "\\e[7~"], "ed-move-to-beg"),
            (["\\e[F", "\\eOF", "\\e[4~", "\\e[8~"], "ed-move-to-end"),
            (["\\e[3~"], "ed-delete-next-char"),
            (["\\e[1;5C", "\\e[1;3C"], "em-next-word"),
            (["\\e[1;5D", "\\e[1;3D"], "ed-prev-word"),
        ] {
            bindings += keys.map { ($0, command) }
        }
        for value in UInt32(0xA0)...0xFF {
            bindings.append((String(scalar(value)), "ed-insert"))
        }
        for (key, command) in bindings {
            WideString.with(key) { key in
                WideString.with(command) {
                    _ = xcdb_el_bind(LibEditLibrary.api.set, editLine, key, $0)
                }
            }
        }
        // Meta-x would read a libedit command line ("ed-command"), which is no use here.
        for key in ["\\ex", "\\eX"] {
            WideString.with("-r") { remove in
                WideString.with(key) {
                    _ = xcdb_el_bind(LibEditLibrary.api.set, editLine, remove, $0)
                }
            }
        }
        return retained
    }

    private static func scalar(_ value: UInt32) -> Character {
        Character(Unicode.Scalar(value) ?? " ")
    }

    /// Adds a command; libedit keeps the name and help pointers, so they are allocated here
    /// and handed back through `retained`.
    private static func addFunction(
        _ editLine: OpaquePointer, _ retained: inout [UnsafeMutablePointer<wchar_t>],
        _ name: String, _ help: String,
        _ function: @escaping @convention(c) (OpaquePointer?, wint_t) -> UInt8
    ) {
        let name = WideString.allocate(name)
        let help = WideString.allocate(help)
        retained += [name, help]
        _ = xcdb_el_add_function(LibEditLibrary.api.set, editLine, name, help, function)
    }
}
