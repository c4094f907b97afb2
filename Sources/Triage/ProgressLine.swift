import Engine

/// The progress line on a terminal: `[=====>     ] 120/400  31.5 dumps/s  0:09 left`,
/// redrawn in place on standard error.
struct ProgressLine {
    let total: Int
    let start: Double
    private(set) var drawn = false

    init(total: Int, start: Double) {
        self.total = total
        self.start = start
    }

    func text(done: Int, errors: Int, now: Double) -> String {
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar =
            String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        let elapsed = max(now - start, 0.001)
        let rate = Double(done) / elapsed
        var text = "[\(bar)] \(done)/\(total)"
        text += "  " + Self.oneDecimal(rate) + " dumps/s"
        if errors > 0 { text += "  \(errors) error\(errors == 1 ? "" : "s")" }
        if done > 0, done < total {
            text += "  " + Self.clock(Double(total - done) / rate) + " left"
        }
        return text
    }

    mutating func draw(done: Int, errors: Int, now: Double) {
        // \r to the start, the line, then clear anything left of a longer previous line.
        StandardStream.error("\r" + text(done: done, errors: errors, now: now) + "\u{1b}[K")
        drawn = true
    }

    mutating func clear() {
        if drawn { StandardStream.error("\r\u{1b}[K") }
        drawn = false
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let minutes = whole / 60
        let rest = whole % 60
        return "\(minutes):" + (rest < 10 ? "0" : "") + String(rest)
    }
}
