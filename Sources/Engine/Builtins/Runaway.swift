extension Builtins {
    /// `!runaway [Flags]`: the time each thread consumed, busiest first.
    static let runaway = Command(
        name: "!runaway",
        summary: "show the user, kernel and elapsed time of each thread",
        usage: "!runaway [Flags]",
        details: [
            "Flags (any sum): 1 user-mode time (the default), 2 kernel-mode time, 4 time since",
            "each thread was created. Dumps need the thread-info stream (.dump /mt or /ma);",
            "xcdb's live process counts 1 ns per instruction.",
        ],
        requirements: [.target, .userTarget],
        argument: .expression
    ) { invocation in
        try Runaway.show(invocation)
    }
}

enum Runaway {
    static func show(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let flags =
            invocation.trimmedArguments.isEmpty ? 1 : try invocation.evaluate(invocation.arguments)
        // Ended threads of a live process are left out, as `~` leaves them out, unless every
        // thread has ended (the process exited): then their final times are all there is.
        let all = Array(target.threads.enumerated())
        let running = all.filter { !$0.element.hasExited }
        let threads = running.isEmpty ? all : running
        let timed = threads.compactMap { entry in
            entry.element.times.map { (index: entry.offset, thread: entry.element, times: $0) }
        }
        guard !timed.isEmpty else {
            throw CommandError.message(
                "Thread times are not available: the dump has no thread-info stream "
                    + "(.dump /mt or /ma writes one).")
        }
        let sections: [(flag: UInt64, title: String, time: (ThreadTimes) -> UInt64?)] = [
            (1, "User Mode Time", { $0.user }),
            (2, "Kernel Mode Time", { $0.kernel }),
            (4, "Elapsed Time", { $0.elapsed }),
        ]
        for section in sections where flags & section.flag != 0 {
            invocation.out.line(" \(section.title)")
            invocation.out.line("  Thread       Time")
            let rows = timed.compactMap { entry in
                section.time(entry.times).map { (entry.index, entry.thread.systemID, $0) }
            }
            // Busiest first; equal times in thread order.
            let sorted = rows.enumerated().sorted {
                $0.element.2 != $1.element.2 ? $0.element.2 > $1.element.2 : $0.offset < $1.offset
            }
            for (_, row) in sorted {
                let thread =
                    String(row.0).leftPadded(to: 4) + ":"
                    + String(row.1, radix: 16).rightPadded(to: 4)
                invocation.out.line(thread + "      " + duration(row.2))
            }
        }
    }

    /// `0 days 0:00:01.234` from 100-ns units.
    static func duration(_ units: UInt64) -> String {
        let milliseconds = units / 10_000
        let seconds = milliseconds / 1000
        let days = seconds / 86_400
        let hours = seconds / 3600 % 24
        let minutes = seconds / 60 % 60
        func two(_ value: UInt64) -> String { String(value).leftPadded(to: 2, with: "0") }
        return "\(days) days \(hours):\(two(minutes)):\(two(seconds % 60))."
            + String(milliseconds % 1000).leftPadded(to: 3, with: "0")
    }
}
