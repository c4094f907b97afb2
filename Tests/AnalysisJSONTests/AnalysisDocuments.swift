import Engine
import Foundation
import TestSupport

/// Runs `xcdb -z DUMP -json` and reads the schema, for the suites here.
enum AnalysisDocuments {
    static let xcdb = Products.path("xcdb")

    static let schemaURL = Corpus.projectRoot.appendingPathComponent(
        "Schemas/analysis.schema.json")

    static func validator() throws -> SchemaValidator {
        let text = try String(contentsOf: schemaURL, encoding: .utf8)
        return SchemaValidator(root: try JSONParser.parse(text))
    }

    struct Analysed {
        var status: Int32
        var document: JSONValue
        var stdout: String
    }

    /// The document xcdb prints for `path` (with extra options), parsed.
    static func analyse(_ path: String, _ extra: [String] = []) throws -> Analysed {
        let result = try runProcess(xcdb, ["-z", path, "-json"] + extra, timeout: 120)
        return Analysed(
            status: result.status, document: try JSONParser.parse(result.stdout),
            stdout: result.stdout)
    }
}
