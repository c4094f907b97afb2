import FoundationEssentials
import NIOCore
import Synchronization

/// Password checks for one server: constant-time comparison and a growing delay after wrong
/// answers, so guessing is slow.
final class PasswordCheck: Sendable {
    let password: String
    private let failures = Mutex<(count: Int, last: Date)>((0, .distantPast))

    init(password: String) {
        self.password = password
    }

    /// Compares without an early exit, so the time taken does not reveal how much matched.
    static func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    func matches(_ given: String) -> Bool {
        let ok = Self.constantTimeEquals(given, password)
        failures.withLock { failures in
            if ok {
                failures = (0, .distantPast)
            } else {
                // Forget old failures after a quiet minute.
                if Date().timeIntervalSince(failures.last) > 60 { failures.count = 0 }
                failures = (failures.count + 1, Date())
            }
        }
        return ok
    }

    /// How long to wait before answering a wrong password: 0.5 s, doubling with each recent
    /// failure, at most 8 s.
    var delayAfterFailure: TimeAmount {
        let count = failures.withLock { $0.count }
        let milliseconds = min(8000, 500 << min(max(0, count - 1), 5))
        return .milliseconds(Int64(milliseconds))
    }
}
