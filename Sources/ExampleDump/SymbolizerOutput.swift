import Foundation

extension BreakpadSymbols {
    /// Reads `llvm-symbolizer --output-style=JSON` output, one JSON object per input address:
    /// `{"Address":"0x…","Symbol":[{"FunctionName":…,"FileName":…,"Line":…}, …]}` (inlined
    /// frames first). Returns the locations by address.
    public static func parseSymbolizerJSON(_ text: String) throws(ExampleError) -> [UInt64:
        [Location]]
    {
        struct Entry: Decodable {
            struct Frame: Decodable {
                var FunctionName: String?
                var FileName: String?
                var Line: Int?
            }
            var Address: String
            var Symbol: [Frame]?
        }
        var result: [UInt64: [Location]] = [:]
        let decoder = JSONDecoder()
        for (number, line) in text.split(separator: "\n").enumerated() {
            let entry: Entry
            do {
                entry = try decoder.decode(Entry.self, from: Data(line.utf8))
            } catch {
                throw .symbols("symbolizer output line \(number + 1) is not the expected JSON")
            }
            guard entry.Address.hasPrefix("0x"),
                let address = UInt64(entry.Address.dropFirst(2), radix: 16)
            else {
                throw .symbols("symbolizer output line \(number + 1) has no address")
            }
            result[address] = (entry.Symbol ?? []).map {
                Location(
                    function: $0.FunctionName ?? "", file: $0.FileName ?? "", line: $0.Line ?? 0)
            }
        }
        return result
    }
}
