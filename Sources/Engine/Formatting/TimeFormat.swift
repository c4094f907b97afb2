import FoundationEssentials

/// Dates and durations the way CDB prints them.
public enum TimeFormat {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `Wed Jul  8 15:43:44 2015` (C's `ctime` layout), in the given time zone.
    public static func ctime(_ date: Date, timeZone: TimeZone, milliseconds: Bool = false)
        -> String
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.weekday, .month, .day, .hour, .minute, .second, .year], from: date)
        let weekday = weekdays[((parts.weekday ?? 1) - 1 + 7) % 7]
        let month = months[((parts.month ?? 1) - 1 + 12) % 12]
        let day = String(parts.day ?? 0).leftPadded(to: 2)
        func two(_ value: Int?) -> String { String(value ?? 0).leftPadded(to: 2, with: "0") }
        var time = "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
        if milliseconds {
            let fraction = date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)
            time += "." + String(min(999, Int(fraction * 1000))).leftPadded(to: 3, with: "0")
        }
        return "\(weekday) \(month) \(day) \(time) \(parts.year ?? 0)"
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
