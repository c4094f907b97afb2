// The `Time:` line of `.formats`: a 32-bit value as a C runtime `time_t`, a larger one as a
// Windows FILETIME, both in the debugger's local time zone.

import FoundationEssentials

enum CRTTimeFormat {
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
        let time = CivilTime(unixSeconds: unixSeconds, offsetSeconds: offset)
        let prefix =
            "\(time.weekdayName) \(time.monthName) \(twoDigits(time.day)) "
            + "\(twoDigits(time.hour)):\(twoDigits(time.minute)):\(twoDigits(time.second))"
        let year = time.year
        return (prefix, year, offset)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
