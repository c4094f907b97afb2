/// A stream read once and kept, or why it could not be read. `Result` would do, but its
/// `Failure: Error` requirement makes the runtime scan every protocol conformance in the
/// program the first time a `Result` of a new error type is made: a cost paid at start-up.
enum ReadOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case failure(MinidumpError)

    /// Runs `read` and keeps what it gave or threw.
    init(_ read: () throws(MinidumpError) -> Value) {
        do {
            self = .value(try read())
        } catch {
            self = .failure(error)
        }
    }

    func get() throws(MinidumpError) -> Value {
        switch self {
        case .value(let value): return value
        case .failure(let error): throw error
        }
    }
}
