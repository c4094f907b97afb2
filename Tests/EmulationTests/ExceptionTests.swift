import Foundation
import Testing

@testable import Emulation

/// Exceptions the CPU or the program raises, as Windows dispatches them.
@Suite struct ExceptionTests {
    @Test func fastFailIsSecondChanceAndEndsTheProcess() throws {
        let launched = try Launched.start(try GuestBuild.program("fastfail"))
        let event = try #require(launched.run { $0.kind.exceptionInfo != nil })
        let info = try #require(event.kind.exceptionInfo)
        #expect(info.code == 0xC000_0409)
        #expect(!info.firstChance)
        #expect(info.parameters == [7])
        #expect(launched.process.readMemory(at: info.address, count: 2) == [0xCD, 0x29])
        #expect(launched.process.run(.handled).kind == .processExited(exitCode: 0xC000_0409))
    }

    @Test func trapFlagSetByTheProgramRaisesASingleStepException() throws {
        let launched = try Launched.start(try GuestBuild.program("trap"))
        let event = try #require(launched.run { $0.kind.exceptionInfo != nil })
        #expect(event.kind.exceptionInfo?.code == 0x8000_0004)
        // Handled: it goes on without the trap flag.
        #expect(launched.process.run(.handled).kind == .processExited(exitCode: 3))
    }

    @Test func registersRoundTripWholeContexts() throws {
        let launched = try Launched.start(try GuestBuild.program("breakpoint"))
        let stop = try #require(launched.run { $0.kind.exceptionInfo != nil })
        var context = try #require(launched.process.context(ofThread: stop.threadID))
        #expect(context.cs == 0x33)
        #expect(context.ss == 0x2B)
        #expect(context.mxcsr == 0x1F80)
        #expect(context.fpControl == 0x27F)
        context.xmm[7] = 0x0123_4567_89AB_CDEF_FEDC_BA98_7654_3210
        context.r13 = 0xDEAD_BEEF
        context.st[2] = 0x4000_8000_0000_0000_0000
        context.fpTag = 0x04
        try launched.process.setContext(context, ofThread: stop.threadID)
        let again = try #require(launched.process.context(ofThread: stop.threadID))
        #expect(again.xmm[7] == context.xmm[7])
        #expect(again.r13 == 0xDEAD_BEEF)
        // CONTEXT records round-trip.
        let record = again.contextRecord(flags: ThreadContext.flagsAll)
        #expect(record.count == 0x4D0)
        #expect(ThreadContext(contextRecord: record) == again)
    }

    @Test func droppedMachinesReleaseEverything() throws {
        let path = try GuestBuild.program("hello")
        var sandbox = ""
        do {
            let launched = try Launched.start(path)
            launched.runToExit()
            sandbox = launched.process.sandboxFolder
            #expect(FileManager.default.fileExists(atPath: sandbox))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox))
    }
}
