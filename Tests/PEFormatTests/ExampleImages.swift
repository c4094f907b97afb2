import Foundation
import PEFormat
import TestSupport

/// The PE images built by `Examples/build.sh` (committed under `Examples/bin`).
enum ExampleImages {
    static let directory = Corpus.projectRoot.appendingPathComponent("Examples/bin")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    static func image(_ name: String) throws -> PEImage {
        try PEImage(contentsOfFile: path(name))
    }

    /// The image as the Windows loader would lay it out in memory: headers, then each section's
    /// raw data at its RVA, zero-filled to SizeOfImage.
    static func mappedBytes(_ name: String) throws -> [UInt8] {
        let file = try bytes(name)
        let image = try PEImage(source: ArrayByteSource(file), layout: .file)
        var mapped = [UInt8](repeating: 0, count: Int(image.sizeOfImage))
        let headerSize = min(Int(image.optionalHeader.sizeOfHeaders), file.count, mapped.count)
        mapped.replaceSubrange(0..<headerSize, with: file[0..<headerSize])
        for section in image.sections {
            let count = min(Int(section.sizeOfRawData), Int(section.virtualExtent))
            let start = Int(section.pointerToRawData)
            let destination = Int(section.virtualAddress)
            guard count > 0, start + count <= file.count, destination + count <= mapped.count else {
                continue
            }
            mapped.replaceSubrange(
                destination..<destination + count, with: file[start..<start + count])
        }
        return mapped
    }
}

/// A memory source with holes: reads touching a removed page fail, like a dump missing pages.
struct HoleyByteSource: ByteSource {
    let bytes: [UInt8]
    let missingPages: Set<UInt64>

    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset <= UInt64(bytes.count),
            UInt64(count) <= UInt64(bytes.count) - offset
        else {
            return nil
        }
        if count > 0 {
            for page in (offset >> 12)...((offset + UInt64(count) - 1) >> 12)
            where missingPages.contains(page) {
                return nil
            }
        }
        return Array(bytes[Int(offset)..<Int(offset) + count])
    }
}

/// Runs a tool and returns its standard output, or nil when it is not installed.
func toolOutput(_ tool: String, _ arguments: [String]) -> String? {
    guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

let llvmReadobj = ExternalTools.find("llvm-readobj") ?? "llvm-readobj"
let llvmObjdump = ExternalTools.find("llvm-objdump") ?? "llvm-objdump"

/// All `Key: value` fields named `key` in llvm-readobj text output, in order.
func readobjFields(_ text: String, _ key: String) -> [String] {
    text.split(separator: "\n").compactMap { line in
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(key + ":") else { return nil }
        return trimmed.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
    }
}

func hexValue(_ text: String) -> UInt64? {
    let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
    return UInt64(digits.prefix { $0.isHexDigit }, radix: 16)
}
