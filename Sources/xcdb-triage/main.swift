import Triage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(TriageRun.main(Array(CommandLine.arguments.dropFirst())))
