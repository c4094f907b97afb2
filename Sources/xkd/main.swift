import FoundationEssentials
import Frontend
import Glibc

exit(
    Launcher.run(
        mode: .kernel, programName: "xkd", arguments: Array(CommandLine.arguments.dropFirst())))
