import FoundationEssentials
import Glibc

/// The day/time labels remote.exe puts on notices and echoes, in the server's local time zone:
/// `Wed 9:39 AM` (with the weekday) or `9:39 AM`, and the long form the debugging server uses
/// (`Mon Mar 04 16:05:21 2002`).
public enum TimeLabel {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func localParts(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        return parts
    }

    private static func twoDigits(_ value: Int32) -> String {
        String(value).leftPadded(to: 2, with: "0")
    }

    /// `9:39 AM`.
    public static func clock(_ date: Date = Date()) -> String {
        let parts = localParts(date)
        let hour12 = parts.tm_hour % 12 == 0 ? 12 : parts.tm_hour % 12
        return "\(hour12):\(twoDigits(parts.tm_min)) \(parts.tm_hour < 12 ? "AM" : "PM")"
    }

    /// `Wed 9:39 AM`.
    public static func dayAndClock(_ date: Date = Date()) -> String {
        let parts = localParts(date)
        let day = weekdays[Int(parts.tm_wday).clamped(to: 0...6)]
        return "\(day) \(clock(date))"
    }

    /// `Mon Mar 04 16:05:21 2002`.
    public static func long(_ date: Date = Date()) -> String {
        let parts = localParts(date)
        let day = weekdays[Int(parts.tm_wday).clamped(to: 0...6)]
        let month = months[Int(parts.tm_mon).clamped(to: 0...11)]
        return "\(day) \(month) \(twoDigits(parts.tm_mday)) \(twoDigits(parts.tm_hour)):"
            + "\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) \(1900 + Int(parts.tm_year))"
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
