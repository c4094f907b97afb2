import FoundationEssentials
import HostSystem
import Symbols

/// Finds a module's PDB: along the symbol path (symbol-store layout `DIR/name.pdb/GUIDAGE/
/// name.pdb` and flat directories), then the path the image's CodeView record names, then the
/// image's own folder and the image path. A file is used only when its GUID and age match the
/// module's CodeView record; one that does not is reported as a mismatched PDB and skipped.
struct PDBSearch {
    let module: TargetModule
    let pdbName: String
    let recordedPath: String
    let guid: [UInt8]
    let age: UInt32
    let symbolPath: String
    let imagePath: String

    struct Outcome {
        var source: PDBSymbolSource?
        /// Lines for `!sym noisy` (every place looked at and what was there).
        var noisyLines: [String] = []
        /// Lines shown whatever the noise level (a mismatched or damaged PDB).
        var warnings: [String] = []
        var skippedRemoteLocations: [String] = []
    }

    var identifier: String { DebugIdentifier.codeView(guid: guid, age: age) ?? "" }

    /// Every place to look, in order: (path to show, how to find the file, is it a store path).
    func places() -> (
        places: [(display: String, find: () -> String?, isStore: Bool)], skipped: [String]
    ) {
        let locator = SymbolFileLocator(path: SymbolPath(parsing: symbolPath))
        let plan = locator.candidates(
            storeEntry: pdbName, identifier: identifier, fileName: pdbName)
        var places: [(String, () -> String?, Bool)] = plan.candidates.map { candidate in
            (candidate.display, { candidate.existingFile() }, candidate.isStore)
        }
        var directories: [String] = []
        // The path in the CodeView record, when it is a path on this machine.
        if recordedPath.hasPrefix("/") {
            places.append((recordedPath, { Self.regularFile(recordedPath) }, false))
        }
        // The image's own folder (a live target's images are local files) and the image path.
        if module.path.hasPrefix("/") {
            directories.append(PathText.parent(of: module.path))
        }
        directories += imagePath.split(separator: ";").map(String.init).filter { !$0.isEmpty }
        for directory in directories {
            let path = PathText.join(directory, pdbName)
            places.append((path, { Self.regularFile(path) }, false))
        }
        var seen = Set<String>()
        return (places.filter { seen.insert($0.0).inserted }, plan.skippedRemoteLocations)
    }

    static func regularFile(_ path: String) -> String? {
        FileKind(path: path).isPresentAndNotAFolder ? path : nil
    }

    func run() -> Outcome {
        var outcome = Outcome()
        let (places, skipped) = places()
        outcome.skippedRemoteLocations = skipped
        for url in skipped {
            outcome.noisyLines.append(
                "SYMSRV:  \(url) skipped: xcdb does not use the network (only local stores are searched)"
            )
        }
        for place in places {
            guard let found = place.find() else {
                if place.isStore {
                    outcome.noisyLines.append("SYMSRV:  PATH: \(place.display)")
                    outcome.noisyLines.append("SYMSRV:  RESULT: 0x80070002 (not found)")
                } else {
                    outcome.noisyLines.append("DBGHELP: \(place.display) - file not found")
                }
                continue
            }
            if place.isStore {
                outcome.noisyLines.append("SYMSRV:  PATH: \(found)")
                outcome.noisyLines.append("SYMSRV:  RESULT: 0x00000000")
            }
            let file: PDBFile
            do {
                file = try PDBFile(path: found)
            } catch {
                let line = "DBGHELP: \(found) - cannot be read: \(error.message)"
                outcome.noisyLines.append(line)
                outcome.warnings.append(line)
                continue
            }
            let ageMatches = file.info.age == age || file.dbiAge == age
            guard file.info.guid == guid, ageMatches else {
                let line =
                    "DBGHELP: \(found) - mismatched pdb (it has \(GUIDText.braced(file.info.guid)) "
                    + "age \(file.info.age); \(module.imageName) needs \(GUIDText.braced(guid)) age \(age))"
                outcome.noisyLines.append(line)
                outcome.warnings.append(line)
                continue
            }
            let source = PDBSymbolSource(file: file)
            let kind = source.kind == .privateSymbols ? "private symbols & lines" : "public symbols"
            outcome.noisyLines.append("DBGHELP: \(module.moduleName) - \(kind)")
            outcome.noisyLines.append("        \(found)")
            outcome.source = source
            return outcome
        }
        return outcome
    }
}
