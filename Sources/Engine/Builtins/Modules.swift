import FoundationEssentials

extension Builtins {
    /// `lm`: list modules.
    static let modules = Command(
        name: "lm",
        summary: "list loaded modules",
        usage: "lm[Options] [a Address] [m Pattern | M Pattern]",
        details: [
            "Options: v verbose, o loaded only (no unloaded list), 1m names only, sm sort by",
            "name, f full image path, t timestamps, m Pattern module-name wildcard, M Pattern",
            "image-path wildcard, a Address the module containing Address.",
        ],
        requirements: .target,
        argument: .text,
        suffixLetters: "vmMaolectsnpfDku1i"
    ) { invocation in
        try ModuleListCommand.run(invocation)
    }
}

enum ModuleListCommand {
    struct Options {
        var verbose = false
        var loadedOnly = false
        /// `l`: modules whose symbols are loaded; `e`: modules with a symbol problem.
        var symbolsLoaded = false
        var symbolProblems = false
        var namesOnly = false
        var sortByName = false
        var fullPath = false
        var timestamps = false
        var namePattern: String?
        var pathPattern: String?
        var address: UInt64?
    }

    static func parse(_ invocation: CommandInvocation) throws -> Options {
        var options = Options()
        var pending: [Character] = []
        func apply(_ letters: Substring) {
            var iterator = letters.makeIterator()
            while let letter = iterator.next() {
                switch letter {
                case "v": options.verbose = true
                case "o": options.loadedOnly = true
                case "l": options.symbolsLoaded = true
                case "e": options.symbolProblems = true
                case "1":
                    if iterator.next() == "m" { options.namesOnly = true }
                case "s":
                    if iterator.next() == "m" { options.sortByName = true }
                case "f": options.fullPath = true
                case "t": options.timestamps = true
                case "m", "M", "a": pending.append(letter)
                default: break
                }
            }
        }
        apply(invocation.suffix)
        var words = ArgumentWords(invocation.arguments)
        while let word = words.next() {
            if let needed = pending.first {
                pending.removeFirst()
                switch needed {
                case "m": options.namePattern = unquoted(word)
                case "M": options.pathPattern = unquoted(word)
                default: options.address = try invocation.evaluate(word)
                }
                continue
            }
            guard word.allSatisfy({ "vmMaolectsnpfDku1i".contains($0) }) else {
                throw CommandError.syntax(at: word.startIndex)
            }
            apply(word)
        }
        guard pending.isEmpty else { throw CommandError.syntax() }
        return options
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let options = try parse(invocation)
        let state = invocation.state
        let out = invocation.out
        let pointerSize = target.machine.pointerSize
        let modules = target.modules
        let names = ModuleNaming.names(for: modules)
        var rows = Array(zip(modules, names))
        if let pattern = options.namePattern {
            let matcher = WildcardPattern(pattern)
            rows = rows.filter { matcher.matches($0.1) }
        }
        if let pattern = options.pathPattern {
            let matcher = WildcardPattern(pattern)
            rows = rows.filter { matcher.matches($0.0.path) || matcher.matches($0.0.imageName) }
        }
        if let address = options.address {
            rows = rows.filter { $0.0.contains(address) }
        }
        if options.symbolsLoaded {
            rows = rows.filter { state.symbols.hasLoadedSymbols(for: $0.0) }
        }
        if options.symbolProblems {
            rows = rows.filter { state.symbols.hasSymbolProblem(for: $0.0) }
        }
        if options.sortByName {
            rows.sort { $0.1.lowercased() < $1.1.lowercased() }
        }
        if options.namesOnly {
            for (_, name) in rows { out.line(name) }
            return
        }
        out.line(
            pointerSize == 8
                ? "start             end                 module name"
                : "start    end        module name")
        for (module, name) in rows {
            try invocation.checkInterrupt()
            // A 64-bit module of a WOW64 process shown in x86 mode keeps its full address.
            let width = module.end > UInt64(UInt32.max) ? 8 : pointerSize
            let range =
                Hex.pointer(module.base, size: width) + " "
                + Hex.pointer(module.end, size: width) + "   "
            var line = range + name.rightPadded(to: 10) + " "
            if options.fullPath {
                line += module.path
            } else if options.timestamps {
                line += timestampText(module.timestamp)
            } else {
                line += state.symbols.statusText(for: module, in: state).rightPadded(to: 23)
                line += state.symbols.symbolFilePath(for: module) ?? ""
            }
            out.line(String(line.reversed().drop(while: \.isWhitespace).reversed()))
            if options.verbose { out.lines(verboseLines(module, state: state)) }
        }
        let unloaded = target.unloadedModules
        guard !options.loadedOnly, !options.symbolsLoaded, !options.symbolProblems,
            options.namePattern == nil, options.address == nil,
            options.pathPattern == nil, !unloaded.isEmpty
        else { return }
        out.line()
        out.line("Unloaded modules:")
        for module in unloaded {
            out.line(
                Hex.pointer(module.base, size: pointerSize) + " "
                    + Hex.pointer(module.base &+ module.size, size: pointerSize) + "   "
                    + module.name)
            if options.verbose {
                out.line("    Timestamp: \(timestampText(module.timestamp))")
                out.line("    Checksum:  \(Hex.upper(UInt64(module.checksum ?? 0), width: 8))")
                out.line("    ImageSize: \(Hex.upper(module.size, width: 8))")
            }
        }
    }

    /// `Wed Jul  8 15:43:44 2015 (559DA7A0)`.
    static func timestampText(_ timestamp: UInt32?) -> String {
        guard let timestamp, timestamp != 0, timestamp != 0xffff_ffff, timestamp != 0xffff_fffe
        else {
            return "unavailable (\(Hex.upper(UInt64(timestamp ?? 0), width: 8)))"
        }
        let date = Date(timeIntervalSince1970: TimeInterval(timestamp))
        return TimeFormat.ctime(date, timeZone: .current)
            + " (\(Hex.upper(UInt64(timestamp), width: 8)))"
    }

    static func verboseLines(_ module: TargetModule, state: DebuggerState) -> [String] {
        func field(_ label: String, _ value: String) -> String {
            "    " + (label + ":").rightPadded(to: 18) + value
        }
        var lines = [
            "    Image path: \(module.path)",
            "    Image name: \(module.imageName)",
        ]
        if module.timestamp != nil {
            lines.append(field("Timestamp", timestampText(module.timestamp)))
        }
        if let checksum = module.checksum {
            lines.append(field("CheckSum", Hex.upper(UInt64(checksum), width: 8)))
        }
        lines.append(field("ImageSize", Hex.upper(module.size, width: 8)))
        if let version = module.version {
            lines += versionLines(version, field: field)
        }
        switch module.debugRecord {
        case .pdb70(let name, let guid, let age)?:
            lines.append(field("PDB file name", name))
            lines.append(field("PDB GUID/age", "\(GUIDText.braced(guid)) \(age)"))
        case .pdb20(let name, let signature, let age)?:
            lines.append(field("PDB file name", name))
            lines.append(
                field("PDB signature", "\(Hex.upper(UInt64(signature), width: 8)) age \(age)"))
        case .elfBuildID(let bytes)?:
            lines.append(field("Build id", bytes.map { Hex.digits(UInt64($0), width: 2) }.joined()))
        case nil:
            break
        }
        if let identifier = state.symbols.debugIdentifier(for: module) {
            lines.append(field("Symbol id", identifier))
        }
        lines += resourceLines(module, state: state)
        return lines
    }

    /// `Translations:` and `Information from resource tables:` from the image's version
    /// resource, when the image is in the dump (or on the image path).
    static func resourceLines(_ module: TargetModule, state: DebuggerState) -> [String] {
        guard let image = state.images.image(for: module, in: state),
            let info = try? image.versionInfo(), !info.stringTables.isEmpty
        else { return [] }
        var lines: [String] = []
        if !info.translations.isEmpty {
            let translations = info.translations.map {
                Hex.digits(UInt64($0 & 0xffff), width: 4) + "."
                    + Hex.digits(UInt64($0 >> 16), width: 4)
            }
            lines.append(
                "    " + "Translations:".rightPadded(to: 18) + translations.joined(separator: " "))
        }
        lines.append("    Information from resource tables:")
        for (key, value) in info.stringTables[0].strings {
            lines.append("        " + (key + ":").rightPadded(to: 18) + value)
        }
        return lines
    }

    static func versionLines(_ version: ModuleVersion, field: (String, String) -> String)
        -> [String]
    {
        func dotted(_ parts: (UInt16, UInt16, UInt16, UInt16)) -> String {
            "\(parts.0).\(parts.1).\(parts.2).\(parts.3)"
        }
        var flagNames: [String] = []
        let flagTable: [(UInt32, String)] = [
            (0x1, "Debug"), (0x2, "PreRelease"), (0x4, "Patched"), (0x8, "Private"),
            (0x10, "InfoInferred"), (0x20, "Special"),
        ]
        for (bit, name) in flagTable where version.fileFlags & bit != 0 { flagNames.append(name) }
        let flags =
            "\(String(version.fileFlags, radix: 16, uppercase: true)) (Mask "
            + "\(String(version.fileFlagsMask, radix: 16, uppercase: true)))"
            + (flagNames.isEmpty ? "" : " " + flagNames.joined(separator: " "))
        let osNames: [UInt32: String] = [
            0x40004: "NT Win32", 0x4: "Win32", 0x40000: "NT", 0x10001: "DOS Win16",
            0x10004: "DOS Win32", 0: "Unknown Base",
        ]
        let typeNames: [UInt32: String] = [
            1: "App", 2: "Dll", 3: "Driver", 4: "Font", 5: "VXD", 7: "Static library",
        ]
        let os = String(version.fileOS, radix: 16, uppercase: true)
        let osName = osNames[version.fileOS].map { " \($0)" } ?? ""
        let type = "\(version.fileType).\(version.fileSubtype)"
        let typeName = typeNames[version.fileType].map { " \($0)" } ?? ""
        return [
            field("File version", dotted(version.fileVersion)),
            field("Product version", dotted(version.productVersion)),
            field("File flags", flags),
            field("File OS", os + osName),
            field("File type", type + typeName),
            field(
                "File date",
                Hex.digits(version.fileDate >> 32, width: 8) + "."
                    + Hex.digits(version.fileDate & 0xffff_ffff, width: 8)),
        ]
    }
}

/// GUIDs as Windows prints them.
public enum GUIDText {
    /// `{B4D0F8A8-F0E6-4F3C-A4D2-FA53C7E4B5E5}` from the 16 stored bytes (first three fields
    /// little-endian).
    public static func braced(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return "{invalid}" }
        func le(_ range: Range<Int>) -> String {
            bytes[range].reversed().map { Hex.upper(UInt64($0), width: 2) }.joined()
        }
        func be(_ range: Range<Int>) -> String {
            bytes[range].map { Hex.upper(UInt64($0), width: 2) }.joined()
        }
        return "{\(le(0..<4))-\(le(4..<6))-\(le(6..<8))-\(be(8..<10))-\(be(10..<16))}"
    }
}
