// The `Time:` line of `.formats`: a 32-bit value as a C runtime `time_t`, a larger one as a
// Windows FILETIME, both in the debugger's local time zone.

import FoundationEssentials

enum CRTTimeFormat {
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    /// Seconds from 1601-01-01 (FILETIME epoch) to 1970-01-01.
    static let fileTimeEpochOffset: Int64 = 11_644_473_600

    /// `Mon Jan 07 15:31:46 1985`, or `***** Invalid` for a negative 32-bit time
    /// (the C runtime's 32-bit time functions reject times before 1970).
    static func crtTime(_ value: UInt32, timeZone: TimeZone) -> String {
        let seconds = Int32(bitPattern: value)
        guard seconds >= 0 else { return "***** Invalid" }
        let local = localFields(unixSeconds: Int64(seconds), timeZone: timeZone)
        return "\(local.prefix) \(local.year)"
    }

    /// `Sat May 26 08:00:00.000 3618 (UTC + 8:00)`, or `***** Invalid FILETIME` for values
    /// with the top bit set (which Windows' FileTimeToSystemTime rejects).
    static func fileTime(_ value: UInt64, timeZone: TimeZone) -> String {
        guard value <= UInt64(Int64.max) else { return "***** Invalid FILETIME" }
        let ticks = Int64(value)
        let unixSeconds = ticks / 10_000_000 - fileTimeEpochOffset
        let milliseconds = (ticks / 10_000) % 1000
        let local = localFields(unixSeconds: unixSeconds, timeZone: timeZone)
        let offset = local.offsetSeconds
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        let zone = "(UTC \(sign) \(magnitude / 3600):\(twoDigits(Int64(magnitude % 3600 / 60))))"
        let millisText = EvaluateExpressionFormat.padded(String(milliseconds), to: 3)
        return "\(local.prefix).\(millisText) \(local.year) \(zone)"
    }

    /// `Mon Jan 07 15:31:46` (no year), the year, and the zone offset used.
    private static func localFields(unixSeconds: Int64, timeZone: TimeZone)
        -> (prefix: String, year: Int64, offsetSeconds: Int)
    {
        let offset = timeZone.secondsFromGMT(
            for: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
        let local = unixSeconds + Int64(offset)
        let days = floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4).
        let prefix =
            "\(weekdays[weekday]) \(months[Int(month - 1)]) \(twoDigits(day)) "
            + "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay % 3600 / 60)):"
            + twoDigits(secondOfDay % 60)
        return (prefix, year, offset)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// Proleptic Gregorian date from a day count since 1970-01-01 (the well-known
    /// `civil_from_days` algorithm).
    private static func civilDate(daysSince1970 days: Int64) -> (
        year: Int64, month: Int64, day: Int64
    ) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
