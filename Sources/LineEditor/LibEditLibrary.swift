import CLibEdit
import HostSystem

/// libedit's entry points, found with `dlopen`/`dlsym` when the first line editor is made
/// instead of being linked. Loading libedit and what it needs (libtinfo, libbsd, libmd) takes
/// about 0.4 ms, a twentieth of a dump session's start-up, which sessions that never edit a
/// line (`-c ...; q`, `-json`, piped input, `xcdb-triage`'s workers) no longer pay. The
/// variadic functions are called through the shim's wrappers, which take the pointer.
final class LibEditLibrary: @unchecked Sendable {
    let initFD: xcdb_el_init_fd_t
    let end: xcdb_el_end_t
    let wgets: xcdb_el_wgets_t
    let wline: xcdb_el_wline_t
    let cursor: xcdb_el_cursor_t
    let deleteString: xcdb_el_deletestr_t
    let insertString: xcdb_el_winsertstr_t
    let push: xcdb_el_wpush_t
    let resize: xcdb_el_resize_t
    let historyInit: xcdb_history_winit_t
    let historyEnd: xcdb_history_wend_t
    /// `el_wset`, `el_wget` and `history_w`, for the shim's wrappers.
    let set: UnsafeMutableRawPointer
    let get: UnsafeMutableRawPointer
    let history: UnsafeMutableRawPointer

    /// The shared-library names tried, in order.
    static let libraryNames = ["libedit.so.2", "libedit.so", "libedit.3.dylib", "libedit.dylib"]

    /// The library or why it could not be loaded (not a `Result`: see `CapstoneLibrary`).
    private static let loaded: (library: LibEditLibrary?, error: LineEditorError?) = {
        do throws(LineEditorError) {
            return (try LibEditLibrary(), nil)
        } catch {
            return (nil, error)
        }
    }()

    /// The library, loaded on first use.
    static func load() throws(LineEditorError) -> LibEditLibrary {
        if let library = loaded.library { return library }
        throw loaded.error ?? LineEditorError("libedit could not be loaded")
    }

    /// The loaded library, for code that holds an `EditLine` or a history list: those exist
    /// only once `load()` has succeeded.
    static var api: LibEditLibrary {
        guard let library = loaded.library else {
            preconditionFailure("libedit used before LibEditLibrary.load() succeeded")
        }
        return library
    }

    private init() throws(LineEditorError) {
        guard let library = SharedLibrary(firstOf: Self.libraryNames) else {
            throw LineEditorError(
                "cannot load libedit (libedit.so.2): install it (Debian: apt install libedit2)")
        }
        func symbol(_ name: String) throws(LineEditorError) -> UnsafeMutableRawPointer {
            guard let address = library.symbol(name) else {
                throw LineEditorError("the libedit library has no \(name)")
            }
            return address
        }
        initFD = unsafeBitCast(try symbol("el_init_fd"), to: xcdb_el_init_fd_t.self)
        end = unsafeBitCast(try symbol("el_end"), to: xcdb_el_end_t.self)
        wgets = unsafeBitCast(try symbol("el_wgets"), to: xcdb_el_wgets_t.self)
        wline = unsafeBitCast(try symbol("el_wline"), to: xcdb_el_wline_t.self)
        cursor = unsafeBitCast(try symbol("el_cursor"), to: xcdb_el_cursor_t.self)
        deleteString = unsafeBitCast(try symbol("el_deletestr"), to: xcdb_el_deletestr_t.self)
        insertString = unsafeBitCast(try symbol("el_winsertstr"), to: xcdb_el_winsertstr_t.self)
        push = unsafeBitCast(try symbol("el_wpush"), to: xcdb_el_wpush_t.self)
        resize = unsafeBitCast(try symbol("el_resize"), to: xcdb_el_resize_t.self)
        historyInit = unsafeBitCast(try symbol("history_winit"), to: xcdb_history_winit_t.self)
        historyEnd = unsafeBitCast(try symbol("history_wend"), to: xcdb_history_wend_t.self)
        set = try symbol("el_wset")
        get = try symbol("el_wget")
        history = try symbol("history_w")
    }
}
