import FoundationEssentials

/// Dates and durations the way CDB prints them.
public enum TimeFormat {
    /// `Wed Jul  8 15:43:44 2015` (C's `ctime` layout), in the given time zone.
    public static func ctime(_ date: Date, timeZone: TimeZone, milliseconds: Bool = false)
        -> String
    {
        let seconds = date.timeIntervalSince1970
        // Far outside any time a dump or a clock gives (and not a number): not a date.
        guard seconds.isFinite, abs(seconds) < 1e14 else { return "(invalid time)" }
        let whole = seconds.rounded(.down)
        let time = CivilTime(
            unixSeconds: Int64(whole), offsetSeconds: timeZone.secondsFromGMT(for: date))
        func two(_ value: Int64) -> String { String(value).leftPadded(to: 2, with: "0") }
        var clock = "\(two(time.hour)):\(two(time.minute)):\(two(time.second))"
        if milliseconds {
            clock +=
                "." + String(min(999, Int((seconds - whole) * 1000))).leftPadded(to: 3, with: "0")
        }
        let day = String(time.day).leftPadded(to: 2)
        return "\(time.weekdayName) \(time.monthName) \(day) \(clock) \(time.year)"
    }

    /// `(UTC + 2:00)` / `(UTC - 7:00)`.
    public static func utcOffset(minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let magnitude = abs(minutes)
        return
            "(UTC \(sign) \(magnitude / 60):\(String(magnitude % 60).leftPadded(to: 2, with: "0")))"
    }

    /// `0 days 0:26:30.274`.
    public static func duration(_ seconds: TimeInterval, milliseconds: Bool = true) -> String {
        let clamped = max(0, seconds.isFinite ? seconds : 0)
        let totalMillis = Int((clamped * 1000).rounded(.down))
        let days = totalMillis / 86_400_000
        let hours = totalMillis / 3_600_000 % 24
        let minutes = totalMillis / 60_000 % 60
        let secs = totalMillis / 1000 % 60
        let millis = totalMillis % 1000
        var text =
            "\(days) days \(hours):\(String(minutes).leftPadded(to: 2, with: "0")):"
            + String(secs).leftPadded(to: 2, with: "0")
        if milliseconds { text += "." + String(millis).leftPadded(to: 3, with: "0") }
        return text
    }
}
