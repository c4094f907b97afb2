import Foundation
import TestSupport
import Testing

@testable import Emulation

/// The binding's register ids and constants against the installed Unicorn header, and the
/// engine's basic operations.
@Suite struct UnicornBindingTests {
    @Test func loadsUnicorn2() throws {
        let library = try UnicornLibrary.shared()
        #expect(library.versionText.hasPrefix("2."))
    }
}
