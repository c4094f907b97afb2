import CLibEdit

/// Lays out completion candidates in columns the way `ls` does: sorted down each column,
/// as many columns as the terminal width allows, two spaces between columns.
enum ColumnLayout {
    /// The rows of text (without line breaks) that show `items` in `width` columns.
    static func rows(of items: [String], width: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        let widths = items.map(displayWidth)
        let columnWidth = (widths.max() ?? 0) + 2
        let columns = max(1, min(items.count, (max(width, 1) + 2) / columnWidth))
        let rowCount = (items.count + columns - 1) / columns
        var rows: [String] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var line = ""
            for column in 0..<columns {
                let index = column * rowCount + row
                guard index < items.count else { break }
                line += items[index]
                let isLastInRow = index + rowCount >= items.count || column == columns - 1
                if !isLastInRow {
                    line += String(repeating: " ", count: columnWidth - widths[index])
                }
            }
            rows.append(line)
        }
        return rows
    }

    /// Terminal columns `text` occupies: wide (East Asian) characters count two, combining
    /// marks none, anything unprintable one.
    static func displayWidth(_ text: String) -> Int {
        UTF8Locale.prepare()
        return text.unicodeScalars.reduce(0) { total, scalar in
            let width = xcdb_wcwidth(wchar_t(bitPattern: scalar.value))
            return total + (width < 0 ? 1 : Int(width))
        }
    }
}
