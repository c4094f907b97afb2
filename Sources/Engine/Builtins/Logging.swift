import FoundationEssentials

extension Builtins {
    /// `.logopen [/t] [/u] [File]` / `.logopen /d`.
    static let logOpen = Command(
        name: ".logopen",
        summary: "open a log file (overwrite)",
        usage: ".logopen [/t] [/u] [File] | .logopen /d",
        details: [
            "Closes any open log first. The default name is Dbgeng.log. /t adds",
            "_PID_yyyy-mm-dd_hh-mm-ss-mmm to the name; /d names the log after the target;",
            "/u is accepted (logs are always UTF-8).",
        ],
        effect: .changesSession,
        argument: .filePath
    ) { invocation in
        try LogCommands.open(invocation, append: false)
    }

    /// `.logappend [/u] [File]`.
    static let logAppend = Command(
        name: ".logappend",
        summary: "open a log file (append)",
        usage: ".logappend [/u] [File]",
        effect: .changesSession,
        argument: .filePath
    ) { invocation in
        try LogCommands.open(invocation, append: true)
    }

    /// `.logclose`.
    static let logClose = Command(
        name: ".logclose",
        summary: "close the log file",
        usage: ".logclose",
        effect: .changesSession
    ) { invocation in
        LogCommands.close(invocation)
    }

    /// `.logfile`.
    static let logFile = Command(
        name: ".logfile",
        summary: "show the log file status",
        usage: ".logfile"
    ) { invocation in
        if let log = invocation.state.log {
            invocation.out.line("Log '\(log.file.path)' open")
        } else {
            invocation.out.line("No log file open")
        }
    }
}

/// The shared parts of the log commands.
enum LogCommands {
    static func open(_ invocation: CommandInvocation, append: Bool) throws {
        var words = ArgumentWords(invocation.arguments)
        var timestamped = false
        var fromTarget = false
        var path: String?
        while let word = words.next() {
            switch word.lowercased() {
            case "/t" where !append: timestamped = true
            case "/u": break
            case "/d" where !append: fromTarget = true
            default:
                path = words.restOfLine(from: word)
                words.finish()
            }
        }
        var name = path ?? "Dbgeng.log"
        if fromTarget {
            let base = invocation.state.target.map {
                URL(fileURLWithPath: $0.displayName).deletingPathExtension().lastPathComponent
            }
            name = (base ?? "Dbgeng") + ".log"
        }
        if timestamped { name = LogNaming.timestamped(name) }
        close(invocation)
        let file = try LogFile(path: name, append: append)
        let sink = invocation.hub.add(file)
        invocation.state.log = (file, sink)
        invocation.out.line("Opened log file '\(name)'")
    }

    static func close(_ invocation: CommandInvocation) {
        guard let log = invocation.state.log else { return }
        invocation.out.line("Closing open log file \(log.file.path)")
        invocation.out.flush()
        invocation.hub.remove(log.sink)
        log.file.close()
        invocation.state.log = nil
    }
}

/// Names for `.logopen /t`.
public enum LogNaming {
    /// `dir/name.ext` → `dir/name_PID_yyyy-mm-dd_hh-mm-ss-mmm.ext` (PID in hex, local time).
    public static func timestamped(
        _ name: String, date: Date = Date(), timeZone: TimeZone = .current,
        pid: Int32 = ProcessInfo.processInfo.processIdentifier
    ) -> String {
        let pidText = String(pid, radix: 16, uppercase: true).leftPadded(to: 4, with: "0")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(value ?? 0).leftPadded(to: 2, with: "0") }
        let fraction = date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)
        let millis = String(min(999, Int((fraction * 1000).rounded()))).leftPadded(to: 3, with: "0")
        let stamp =
            "_\(pidText)_\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))_"
            + "\(two(parts.hour))-\(two(parts.minute))-\(two(parts.second))-\(millis)"
        let ext = URL(fileURLWithPath: name).pathExtension
        guard !ext.isEmpty else { return name + stamp }
        return String(name.dropLast(ext.count + 1)) + stamp + "." + ext
    }
}
