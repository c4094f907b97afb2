import Foundation

/// Runs a closure on a new thread with a chosen stack size, for stack-depth tests.
enum SmallStackThread {
    static func run<T: Sendable>(
        stackSize: Int, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = stackSize
            thread.start()
        }
    }
}
