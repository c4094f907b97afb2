import Foundation
import Frontend

exit(
    Launcher.run(
        mode: .user, programName: "xcdb", arguments: Array(CommandLine.arguments.dropFirst())))
