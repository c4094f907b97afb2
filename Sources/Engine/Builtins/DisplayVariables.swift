import Symbols

extension Builtins {
    /// `dv [/i] [/t] [/v] [Pattern]`.
    static let displayVariables = Command(
        name: "dv",
        summary: "display the parameters and locals of the current frame (.frame selects it)",
        usage: "dv [/i] [/t] [/v] [Pattern]",
        details: [
            "/t types, /v where each lives (address or @register), /i prv param / prv local.",
            "Values the optimizer did not keep at this address show as <value unavailable>.",
        ],
        requirements: .target,
        argument: .text
    ) { invocation in
        try DisplayVariablesCommand.run(invocation)
    }
}

enum DisplayVariablesCommand {
    static func run(_ invocation: CommandInvocation) throws {
        _ = try invocation.requireTarget()
        var showTypes = false
        var showLocations = false
        var classify = false
        var pattern: SymbolPattern?
        var words = ArgumentWords(invocation.arguments)
        while let word = words.next() {
            if word.hasPrefix("/") || word.hasPrefix("-") {
                for letter in word.dropFirst() {
                    switch letter {
                    case "t": showTypes = true
                    case "v": showLocations = true
                    case "i": classify = true
                    case "V", "a", "n", "z", "r", "m": break
                    default: throw CommandError.syntax(at: word.startIndex)
                    }
                }
                continue
            }
            do {
                pattern = try SymbolPattern(unquoted(word), leadingUnderscoreMatchesAny: false)
            } catch {
                throw CommandError.message(error.description)
            }
        }
        let scope = try FrameScope.current(invocation.state)
        let variables = scope.variables.filter { pattern?.matches($0.name) ?? true }
        let width = max(14, variables.map(\.name.count).max() ?? 0)
        for variable in variables {
            var line = ""
            if classify { line += variable.isParameter ? "prv param  " : "prv local  " }
            if showLocations { line += scope.locationText(variable).leftPadded(to: 17) + " " }
            let value = scope.text.short(scope.value(of: variable))
            if showTypes {
                line +=
                    scope.pdb.types.name(of: variable.type) + " " + variable.name + " = " + value
            } else {
                line += variable.name.leftPadded(to: width) + " = " + value
            }
            invocation.out.line(line)
        }
    }
}
