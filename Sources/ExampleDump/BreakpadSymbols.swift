import Foundation
import PEFormat

/// Writes a Breakpad `.sym` file for an x64 PE image from two sources: the image itself
/// (identity, code sections, `.pdata`) and what a symbolizer reads from its PDB for every byte
/// of code (function name, source file and line). This is how `Examples/build.sh` makes the
/// example's symbols; dump_syms would read the PDB directly.
///
/// The file has `MODULE`, `INFO CODE_ID`, `FILE`, `FUNC` and line records. A function spans
/// from its first byte to the last byte that has a source line (the `int 3` padding after it
/// has none); every `.pdata` entry must start a function and end inside it, or the symbols
/// are refused as inconsistent with the image.
public struct BreakpadSymbols: Sendable {
    /// One source position of an address: inlined frames come first, the function that
    /// contains them last.
    public struct Location: Sendable, Equatable {
        public var function: String
        public var file: String
        /// 0 when the address has no line (padding, compiler-generated code).
        public var line: Int

        public init(function: String, file: String, line: Int) {
            self.function = function
            self.file = file
            self.line = line
        }
    }

    /// The text of the `.sym` file.
    public let text: String
    /// Where it goes in a symbol store: `crashdemo.pdb/<ID>/crashdemo.sym`.
    public let storePath: String

    /// - Parameters:
    ///   - image: the executable.
    ///   - codeFileName: its file name (`crashdemo.exe`).
    ///   - locations: for each code address (image base + RVA), its source positions.
    ///   - stripPrefix: removed from the front of source paths (the build directory).
    public init(
        image: PEImage, codeFileName: String, locations: [UInt64: [Location]],
        stripPrefix: String
    ) throws(ExampleError) {
        guard case .pdb70(let guid, let age, let pdbPath)? = try? image.codeView() else {
            throw .symbols("the image has no RSDS CodeView record to identify its PDB")
        }
        let debugFile = String(
            pdbPath.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? "")
        guard debugFile.lowercased().hasSuffix(".pdb"), debugFile.count > 4 else {
            throw .symbols("the CodeView record names no .pdb file ('\(pdbPath)')")
        }
        let identifier = guid.compactString.uppercased() + String(age, radix: 16, uppercase: true)
        storePath = "\(debugFile)/\(identifier)/\(debugFile.dropLast(4)).sym"

        let functions = Self.functions(image: image, locations: locations)
        try Self.check(functions, against: image)

        var files: [String] = []
        var fileIndex: [String: Int] = [:]
        for function in functions {
            for line in function.lines where fileIndex[line.file] == nil {
                fileIndex[line.file] = files.count
                files.append(line.file)
            }
        }
        var lines = [
            "MODULE windows x86_64 \(identifier) \(debugFile)",
            "INFO CODE_ID \(Self.hex(image.timeDateStamp, width: 8).uppercased())"
                + "\(String(image.sizeOfImage, radix: 16)) \(codeFileName)",
        ]
        for (index, file) in files.enumerated() {
            lines.append("FILE \(index) \(Self.strip(file, prefix: stripPrefix))")
        }
        for function in functions {
            lines.append(
                "FUNC \(Self.hex(function.start)) \(Self.hex(function.end - function.start)) 0 "
                    + function.name)
            for line in function.lines {
                lines.append(
                    "\(Self.hex(line.start)) \(Self.hex(line.end - line.start)) \(line.line) "
                        + "\(fileIndex[line.file] ?? 0)")
            }
        }
        text = lines.joined(separator: "\n") + "\n"
    }

    struct LineRun {
        var start: UInt32
        var end: UInt32
        var file: String
        var line: Int
    }

    struct Function {
        var name: String
        var start: UInt32
        var end: UInt32
        var lines: [LineRun]
    }

    /// Functions (by RVA) from the locations of every byte of the executable sections.
    static func functions(image: PEImage, locations: [UInt64: [Location]]) -> [Function] {
        var functions: [Function] = []
        var current: Function?
        func finish() {
            if let function = current, function.end > function.start {
                functions.append(function)
            }
            current = nil
        }
        for section in image.sections where section.isExecutable {
            let start = section.virtualAddress
            let (end, overflow) = start.addingReportingOverflow(section.virtualExtent)
            guard !overflow else { continue }
            for rva in start..<end {
                guard let frames = locations[image.imageBase &+ UInt64(rva)],
                    let outer = frames.last, !outer.function.isEmpty, outer.function != "??"
                else {
                    finish()
                    continue
                }
                if current?.name != outer.function {
                    finish()
                    current = Function(name: outer.function, start: rva, end: rva, lines: [])
                }
                guard var function = current, let inner = frames.first(where: { $0.line != 0 })
                else { continue }
                // A byte with a line extends the function (padding without lines does not).
                function.end = rva + 1
                if let last = function.lines.last, last.end == rva, last.file == inner.file,
                    last.line == inner.line
                {
                    function.lines[function.lines.count - 1].end = rva + 1
                } else {
                    function.lines.append(
                        LineRun(start: rva, end: rva + 1, file: inner.file, line: inner.line))
                }
                current = function
            }
            finish()
        }
        return functions
    }

    /// Every `.pdata` entry must start a function and end within it.
    static func check(_ functions: [Function], against image: PEImage) throws(ExampleError) {
        guard let table = try? image.x64FunctionTable() else { return }
        for entry in table.allEntries() {
            guard
                let function = functions.first(where: { $0.start == entry.beginAddress }),
                entry.endAddress <= function.end + 16, entry.endAddress >= function.end
            else {
                throw .symbols(
                    "the .pdata entry \(hex(entry.beginAddress))-\(hex(entry.endAddress)) "
                        + "does not match a function the symbolizer found")
            }
        }
    }

    static func strip(_ path: String, prefix: String) -> String {
        guard !prefix.isEmpty, path.hasPrefix(prefix) else { return path }
        return String(path.dropFirst(prefix.count))
    }

    static func hex(_ value: UInt32, width: Int = 0) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
