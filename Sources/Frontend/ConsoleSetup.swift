import FoundationEssentials
import Glibc

/// Decides how to talk to the user: an interactive terminal (line editing, prompts) or plain
/// lines (pipes, files).
struct ConsoleSetup {
    var isInteractive: Bool
    var writer: any ConsoleWriter

    static func detect() -> ConsoleSetup {
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        return ConsoleSetup(isInteractive: interactive, writer: StandardOutputWriter())
    }
}
