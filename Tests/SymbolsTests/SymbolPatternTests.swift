import Testing

@testable import Symbols
