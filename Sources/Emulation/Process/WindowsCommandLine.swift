/// Builds a Windows command line from arguments so that the Microsoft C runtime's parser
/// (`CommandLineToArgvW`, `__getmainargs`) gives the same arguments back.
enum WindowsCommandLine {
    static func quote(_ argument: String) -> String {
        guard
            argument.isEmpty
                || argument.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\n" })
        else { return argument }
        var result = "\""
        var backslashes = 0
        for character in argument {
            if character == "\\" {
                backslashes += 1
            } else if character == "\"" {
                result += String(repeating: "\\", count: backslashes * 2 + 1) + "\""
                backslashes = 0
            } else {
                result += String(repeating: "\\", count: backslashes) + String(character)
                backslashes = 0
            }
        }
        result += String(repeating: "\\", count: backslashes * 2) + "\""
        return result
    }

    static func make(program: String, arguments: [String]) -> String {
        ([quote(program)] + arguments.map(quote)).joined(separator: " ")
    }
}

extension Executive {
    enum CommandLine {
        static func windowsCommandLine(program: String, arguments: [String]) -> String {
            WindowsCommandLine.make(program: program, arguments: arguments)
        }
    }
}
