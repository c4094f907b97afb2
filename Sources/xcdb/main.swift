import FoundationEssentials
import Frontend
import Glibc

exit(
    Launcher.run(
        mode: .user, programName: "xcdb", arguments: Array(CommandLine.arguments.dropFirst())))
