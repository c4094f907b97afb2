/// Calendar fields of a moment, computed with integer arithmetic for a fixed UTC offset: the
/// debugger's date lines (session time, `.formats`, `lmv` time stamps) need no calendar object,
/// whose creation costs more than the rest of opening a dump's banner.
struct CivilTime {
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    let year: Int64
    /// 1...12.
    let month: Int64
    let day: Int64
    /// 0 (Sunday)...6.
    let weekday: Int
    let hour: Int64
    let minute: Int64
    let second: Int64

    /// The fields of `unixSeconds` (seconds since 1970-01-01 UTC) shifted by `offsetSeconds`.
    init(unixSeconds: Int64, offsetSeconds: Int) {
        let local = unixSeconds &+ Int64(offsetSeconds)
        let days = Self.floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        (year, month, day) = Self.civilDate(daysSince1970: days)
        weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4).
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
    }

    var weekdayName: String { Self.weekdays[weekday] }
    var monthName: String { Self.months[Int(month - 1)] }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
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
