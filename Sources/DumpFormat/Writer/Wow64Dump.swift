/// Writes the dump 64-bit Windows would record of a 32-bit process (the process as a 64-bit
/// writer sees it under WOW64), from a dump of that process a 32-bit writer made: the same
/// memory, modules, threads and exception, plus what a 64-bit view adds, laid out as
/// `Wow64Layout` describes (and as Windows keeps them):
///
/// - SystemInfo says AMD64; the module list gains the 64-bit `ntdll.dll`, `wow64.dll`,
///   `wow64win.dll` and `wow64cpu.dll` after the executable (64-bit images load first), and the
///   32-bit system images move from `System32` to `SysWOW64`;
/// - each thread gets a 64-bit TEB 0x2000 below its 32-bit one (`NtTib.ExceptionList` and
///   `WowTebOffset` lead to it), a 64-bit stack with the `WOW64_CPURESERVED` area and the
///   thread's x86 context at its top (`TlsSlots[1]` points there), and a 64-bit context
///   stopped in `wow64cpu`;
/// - a 32-bit TEB and PEB and the 64-bit PEB where the source has none;
/// - the exception keeps its x86 context: it happened in 32-bit code.
///
/// The images of the added 64-bit modules are not in the dump (a minidump rarely has them).
public enum Wow64Dump {
    /// - Throws: `Wow64DumpError` when the source is not a 32-bit Windows dump, or the
    ///   structures cannot be placed.
    /// - Parameter comment: the new dump's comment stream (who wrote it, from what).
    public static func rewrap(_ source: Minidump, comment: String) throws(Wow64DumpError)
        -> MinidumpBuilder
    {
        var plan = try Wow64Plan(source: source)
        var builder = MinidumpBuilder()
        builder.timeDateStamp = source.header.timeDateStamp
        builder.flags = source.header.flags
        var system = plan.system.raw
        system.processorArchitecture = .amd64
        builder.systemInfo = system
        builder.csdVersion = plan.system.csdVersion ?? ""
        builder.miscInfo = try? source.miscInfo()
        builder.rawStreams = [MinidumpBuilder.comment(comment)]
        if let info = try? source.rawStream(.threadInfoList) {
            builder.rawStreams.append((.threadInfoList, info))
        }
        builder.modules = try plan.modules()
        builder.unloadedModules = ((try? source.unloadedModules()) ?? []).map {
            MinidumpBuilder.UnloadedModule(name: $0.name, raw: $0.raw)
        }
        builder.handles = ((try? source.handleData()) ?? []).map {
            MinidumpBuilder.Handle(raw: $0.raw, typeName: $0.typeName, objectName: $0.objectName)
        }
        builder.threads = try plan.threads()
        for exception in source.exceptions() {
            guard let context = try? source.bytes(at: exception.threadContext, what: "context")
            else { continue }
            builder.exceptions.append(
                MinidumpBuilder.Exception(
                    threadId: exception.threadId, record: exception.exceptionRecord,
                    context: context))
        }
        builder.memory = plan.sourceMemory() + plan.addedMemory
        return builder
    }
}

/// Why a dump could not be rewritten as a WOW64 process's.
public struct Wow64DumpError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "wow64 dump: \(message)" }
}
