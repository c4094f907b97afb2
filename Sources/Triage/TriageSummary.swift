/// Counts results by signature and prints the table: most frequent first, with one example
/// dump each (the first by path, so the table does not depend on the order results came in).
struct TriageSummary {
    private var counts: [String: (count: Int, example: String)] = [:]
    private(set) var total = 0
    private(set) var errors = 0

    mutating func add(_ result: ResultLine) {
        total += 1
        if result.isError { errors += 1 }
        let group = result.group
        if let existing = counts[group] {
            counts[group] = (existing.count + 1, min(existing.example, result.file))
        } else {
            counts[group] = (1, result.file)
        }
    }

    /// Rows as (count, signature, example), by count then signature.
    var rows: [(count: Int, signature: String, example: String)] {
        counts.map { (count: $0.value.count, signature: $0.key, example: $0.value.example) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.signature < $1.signature }
    }

    func table() -> String {
        var text =
            "\(total) dump\(total == 1 ? "" : "s"), \(counts.count) signature"
            + "\(counts.count == 1 ? "" : "s"), \(errors) error\(errors == 1 ? "" : "s")\n"
        guard !counts.isEmpty else { return text }
        let width = max(5, String(rows.first?.count ?? 0).count)
        text += "COUNT".padding(width) + "  SIGNATURE / EXAMPLE\n"
        for row in rows {
            text += String(row.count).leftPad(width) + "  " + row.signature + "\n"
            text += String(repeating: " ", count: width) + "    e.g. " + row.example + "\n"
        }
        return text
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
