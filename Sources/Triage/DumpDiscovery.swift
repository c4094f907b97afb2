import Foundation

/// Turns the command line's paths into the list of dumps: files as given, directories
/// searched recursively for dump files, in a stable (sorted) order.
enum DumpDiscovery {
    static let dumpExtensions: Set<String> = ["dmp", "mdmp", "minidump"]

    static func files(for inputs: [String]) -> [String] {
        var files: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                // A missing file is still a dump to report: the worker says why it failed.
                files.append(input)
                continue
            }
            let base = URL(fileURLWithPath: input)
            var found: [String] = []
            let enumerator = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles])
            while let url = enumerator?.nextObject() as? URL {
                guard dumpExtensions.contains(url.pathExtension.lowercased()),
                    (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
                else { continue }
                // Keep the path as the user spelled the directory.
                let relative = String(url.path.dropFirst(base.path.count))
                found.append((input.hasSuffix("/") ? String(input.dropLast()) : input) + relative)
            }
            files += found.sorted()
        }
        return files
    }
}
