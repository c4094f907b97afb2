import Foundation
import Frontend

exit(
    Launcher.run(
        mode: .kernel, programName: "xkd", arguments: Array(CommandLine.arguments.dropFirst())))
