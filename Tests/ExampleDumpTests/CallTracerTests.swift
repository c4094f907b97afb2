import Testing

@testable import ExampleDump

/// The shadow stack the generator keeps: which instructions count as calls and returns, and how
/// returns unwind it.
@Suite struct CallTracerTests {
    @Test(
        arguments: [
            ([0xE8, 0xBF, 0xFE, 0xFF, 0xFF], CallTracer.Transfer.call),  // call rel32
            ([0xFF, 0xD0], .call),  // call rax
            ([0x41, 0xFF, 0xD3], .call),  // call r11
            ([0xFF, 0x15, 0, 0, 0, 0], .call),  // call [rip+x]
            ([0x66, 0xFF, 0x14, 0x24], .call),  // prefixed call [rsp]
            ([0xFF, 0xE0], .other),  // jmp rax
            ([0xFF, 0x25, 0, 0, 0, 0], .other),  // jmp [rip+x]
            ([0xE9, 0, 0, 0, 0], .other),  // jmp rel32 (a tail call)
            ([0xC3], .ret),
            ([0xF3, 0xC3], .ret),  // rep ret
            ([0xC2, 0x08, 0x00], .ret),  // ret 8
            ([0x48, 0x83, 0xEC, 0x28], .other),  // sub rsp, 28h
            ([0xFF], .other),  // truncated
            ([], .other),
        ] as [([UInt8], CallTracer.Transfer)])
    func classifies(bytes: [UInt8], expected: CallTracer.Transfer) {
        #expect(CallTracer.classify(bytes) == expected)
    }

    @Test func callsAndReturnsKeepTheActiveChain() {
        var tracer = CallTracer()
        tracer.observe(address: 0x1000, bytes: [0xE8, 0, 0, 0, 0], rsp: 0x8000)
        tracer.observe(address: 0x2000, bytes: [0x56], rsp: 0x7FF8)  // push rsi
        tracer.observe(address: 0x2010, bytes: [0xFF, 0xD0], rsp: 0x7FF0)
        #expect(tracer.active.map(\.returnAddress) == [0x1005, 0x2012])
        #expect(tracer.active.map(\.callerStackPointer) == [0x8000, 0x7FF0])
        #expect(tracer.active.map(\.callSite) == [0x1000, 0x2010])
        // The inner callee returns: its return address sits at 0x7FE8.
        tracer.observe(address: 0x3000, bytes: [0xC3], rsp: 0x7FE8)
        #expect(tracer.active.map(\.returnAddress) == [0x1005])
        // A return far up the stack (a longjmp-like unwind) drops everything below it.
        tracer.observe(address: 0x1010, bytes: [0xE8, 0, 0, 0, 0], rsp: 0x8000)
        tracer.observe(address: 0x4000, bytes: [0xE8, 0, 0, 0, 0], rsp: 0x7F00)
        tracer.observe(address: 0x5000, bytes: [0xC3], rsp: 0x7FF8)
        #expect(tracer.active.isEmpty)
    }
}
