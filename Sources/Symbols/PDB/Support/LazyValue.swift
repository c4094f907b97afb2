import Synchronization

/// A value computed on first use, once, under a lock; a failure is remembered too, so a damaged
/// part of a file is reported the same way every time without being re-read.
final class LazyValue<Value: Sendable>: Sendable {
    private let state = Mutex<Result<Value, PDBError>?>(nil)

    init() {}

    func get(_ make: () throws(PDBError) -> Value) throws(PDBError) -> Value {
        let result = state.withLock { state -> Result<Value, PDBError> in
            if let state { return state }
            let result = Result { () throws(PDBError) -> Value in try make() }
            state = result
            return result
        }
        return try result.get()
    }

    /// The value if it was already computed successfully.
    var existing: Value? {
        state.withLock { state in
            if case .success(let value)? = state { return value }
            return nil
        }
    }
}

/// Values computed on first use per key (module symbols by module index).
final class LazyTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let state = Mutex<[Key: Result<Value, PDBError>]>([:])

    init() {}

    func get(_ key: Key, _ make: () throws(PDBError) -> Value) throws(PDBError) -> Value {
        if let known = state.withLock({ $0[key] }) { return try known.get() }
        // Built outside the lock so other keys are not held up; a rare duplicate build is
        // harmless (the first stored result wins).
        let result = Result { () throws(PDBError) -> Value in try make() }
        let stored = state.withLock { table -> Result<Value, PDBError> in
            if let existing = table[key] { return existing }
            table[key] = result
            return result
        }
        return try stored.get()
    }
}
