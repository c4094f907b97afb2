extension Builtins {
    /// `vertarget`.
    static let versionTarget = Command(
        name: "vertarget",
        summary: "show the target computer's version",
        usage: "vertarget",
        requirements: .target
    ) { invocation in
        let target = try invocation.requireTarget()
        guard let system = target.system else {
            throw CommandError.message("The target does not record its system version.")
        }
        invocation.out.lines(
            SystemDescription.vertargetLines(
                system, kernel: target.capabilities.contains(.isKernel)))
    }

    /// `.time`.
    static let time = Command(
        name: ".time",
        summary: "show the session time and uptimes",
        usage: ".time",
        requirements: .target
    ) { invocation in
        let target = try invocation.requireTarget()
        guard let system = target.system else {
            throw CommandError.message("The target does not record its time.")
        }
        let kernel = target.capabilities.contains(.isKernel)
        invocation.out.line(SystemDescription.sessionTimeLine(system))
        invocation.out.lines(SystemDescription.uptimeLines(system, includeProcess: !kernel))
        if !kernel { invocation.out.lines(SystemDescription.processTimeLines(system)) }
    }
}
