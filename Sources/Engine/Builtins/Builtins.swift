/// The commands built into the engine. Each lives in its own file as a static property of this
/// namespace; `all` collects them into the table.
public enum Builtins {
    /// Every built-in command, in the order `.help` lists them within each family.
    public static var all: [Command] {
        [
            help, questionHelp, bangHelp,
            echo, clearScreen,
            quit, quitQuietly, quitAndDetach,
            version, openDump, formats, cppEvaluate, radix, expressionEvaluator, sleep, printf,
            threads, processes, registers, modules,
            exceptionRecord, exceptionContext, contextRecord, lastEvent, versionTarget, time,
            unassemble, unassembleBackward, unassembleFunction,
            analyze, lines, symbolPath, symbolPathAppend, reload, examineSymbols, listNearest,
            symbolNoise, loadSymbols, sourcePath, sourcePathAppend, listSourceAt, listSource,
            displayType, displayVariables,
            stackTrace,
            frame,
            searchMemory, addressInfo, linuxInfo, handle, threadEnvironment, processEnvironment,
            lastError, runaway,
        ] + displayMemory + execution + breakpoints + editMemory + eventFilters + [
            restart, kill, detach,
            logOpen, logAppend, logClose, logFile,
            commentLine, commentToSemicolon,
            runScript, runScriptCondensed, runScriptAllowingCommands,
            runScriptCondensedAllowingCommands, runScriptWithArguments,
            remote, remoteExit, server, servers, endServer, clients,
            setAlias, listAliases, deleteAlias,
            ifBlock, elsifBlock, elseBlock, block, catchBlock, leave,
            forLoop, whileLoop, doLoop, foreach, breakLoop, continueLoop, conditionalJump,
            errorCode, stackLength, symbolStoreFix, executablePath, extensionChain, systemStatus,
            effectiveMachine, wow64Switch,
        ]
    }

    /// A table holding every built-in command.
    public static var table: CommandTable { CommandTable(all) }
}
