import DumpFormat
import Engine

extension MinidumpTarget: PlatformProcessInfo {
    public var platformArguments: [String]? {
        guard let arguments = try? dump.linuxCommandLine(), !arguments.isEmpty else { return nil }
        return arguments
    }

    public var platformSections: [(name: String, lines: [String])] {
        var sections: [(name: String, lines: [String])] = []
        func text(_ name: String, _ type: MINIDUMP_STREAM_TYPE) {
            if let text = try? dump.linuxText(type), !text.isEmpty {
                sections.append(
                    (
                        name,
                        text.split(separator: "\n", omittingEmptySubsequences: false)
                            .map(String.init).reversed().drop { $0.isEmpty }.reversed()
                    ))
            }
        }
        text("cpuinfo", .linuxCpuInfo)
        text("status", .linuxProcStatus)
        text("lsb-release", .linuxLsbRelease)
        if let arguments = platformArguments {
            sections.append(("cmdline", [arguments.joined(separator: " ")]))
        }
        if let environment = try? dump.linuxEnvironment(), !environment.isEmpty {
            sections.append(("environ", environment))
        }
        if let auxv = try? dump.linuxAuxv(), !auxv.isEmpty {
            let width = machine.pointerSize * 2
            sections.append(
                (
                    "auxv",
                    auxv.map {
                        "AT_\(Self.auxvName($0.type)) ".rightPadded(to: 20)
                            + Hex.digits($0.value, width: width)
                    }
                ))
        }
        if let maps = try? dump.linuxMaps(), !maps.isEmpty {
            sections.append(
                (
                    "maps",
                    maps.map {
                        "\(Hex.digits($0.start, width: 12))-\(Hex.digits($0.end, width: 12)) \($0.permissions) "
                            + "\(Hex.digits($0.offset, width: 8)) \($0.device) \($0.inode) \($0.pathname)"
                    }
                ))
        }
        if let debug = try? dump.linuxDsoDebug() {
            sections.append(
                (
                    "dso",
                    [
                        "r_debug version \(debug.version), \(debug.dsoCount) link maps, ld base "
                            + Hex.pointer(debug.ldbase, size: machine.pointerSize)
                    ]
                        + debug.linkMaps.map {
                            "  " + Hex.pointer($0.addr, size: machine.pointerSize) + " \($0.name)"
                        }
                ))
        }
        if let crashpad = try? dump.crashpadInfo() {
            var lines = crashpad.simpleAnnotations.map { "\($0.key) = \($0.value)" }
            for module in crashpad.moduleList {
                let name =
                    modules.indices.contains(Int(module.moduleIndex))
                    ? modules[Int(module.moduleIndex)].imageName : "module \(module.moduleIndex)"
                for (key, value) in module.simpleAnnotations {
                    lines.append("\(name): \(key) = \(value)")
                }
                for entry in module.listAnnotations { lines.append("\(name): \(entry)") }
            }
            if !lines.isEmpty { sections.append(("annotations", lines)) }
        }
        return sections
    }

    static func auxvName(_ type: UInt64) -> String {
        let names: [UInt64: String] = [
            0: "NULL", 3: "PHDR", 4: "PHENT", 5: "PHNUM", 6: "PAGESZ", 7: "BASE", 8: "FLAGS",
            9: "ENTRY", 11: "UID", 12: "EUID", 13: "GID", 14: "EGID", 15: "PLATFORM", 16: "HWCAP",
            17: "CLKTCK", 23: "SECURE", 25: "RANDOM", 26: "HWCAP2", 31: "EXECFN",
            33: "SYSINFO_EHDR",
        ]
        return names[type] ?? String(type)
    }
}
