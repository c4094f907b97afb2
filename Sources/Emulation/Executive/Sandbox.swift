import FoundationEssentials
import Glibc
import HostSystem

/// The one host folder the guest's files live in, seen as `C:\sandbox`. Paths are resolved
/// without touching the host (`.` and `..` stay inside), and no host symbolic link is followed:
/// a guest path names a file inside the folder or nothing.
final class Sandbox {
    let folder: String
    private let ownsFolder: Bool

    static let guestRoot = "c:\\sandbox"

    init(folder: String?) throws(EmulationError) {
        if let folder {
            guard FileKind(path: folder) == .directory else {
                throw .invalidArgument("the sandbox folder '\(folder)' does not exist")
            }
            self.folder = PathText.standardized(folder)
            ownsFolder = false
        } else {
            switch TemporaryFolders.make(prefix: "xcdb-sandbox") {
            case .success(let path): self.folder = path
            case .failure(let error):
                throw .host("cannot create a sandbox folder: \(error)")
            }
            ownsFolder = true
        }
    }

    deinit {
        if ownsFolder { TemporaryFolders.remove(folder) }
    }

    /// The host path of an NT path (`\??\C:\sandbox\name.txt`), or the NTSTATUS that refuses it:
    /// `STATUS_ACCESS_DENIED` outside the sandbox (or through a link),
    /// `STATUS_OBJECT_PATH_NOT_FOUND` for a path that does not parse.
    func hostPath(for ntPath: String) throws(StatusError) -> (host: String, guest: String) {
        var path = ntPath
        for prefix in ["\\??\\", "\\DosDevices\\", "\\GLOBAL??\\"] where path.hasPrefix(prefix) {
            path.removeFirst(prefix.count)
        }
        path = path.replacing("/", with: "\\")
        guard path.count >= 2, path.dropFirst().first == ":" else {
            throw StatusError(NTStatus.objectPathNotFound)
        }
        guard path.lowercased().hasPrefix("c:") else { throw StatusError(NTStatus.accessDenied) }
        var components: [String] = []
        for part in path.dropFirst(2).split(separator: "\\", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default:
                guard !part.contains("\0"), !part.contains(where: { "<>|*?\"".contains($0) }) else {
                    throw StatusError(NTStatus.objectNameInvalid)
                }
                components.append(String(part))
            }
        }
        guard let first = components.first, first.lowercased() == "sandbox" else {
            throw StatusError(NTStatus.accessDenied)
        }
        var host = folder
        var guest = "C:\\sandbox"
        for component in components.dropFirst() {
            let name = matching(component, in: host)
            host += "/" + name
            guest += "\\" + name
            var info = stat()
            if lstat(host, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw StatusError(NTStatus.accessDenied)
            }
        }
        return (host, guest)
    }

    /// The existing entry of `folder` whose name matches `name` without regard to case, or
    /// `name` itself.
    private func matching(_ name: String, in folder: String) -> String {
        if FileManager.default.fileExists(atPath: folder + "/" + name) { return name }
        let lower = name.lowercased()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return entries.sorted().first { $0.lowercased() == lower } ?? name
    }
}
