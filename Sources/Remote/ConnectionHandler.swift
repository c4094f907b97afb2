import Engine
import Foundation
import NIOCore

/// One connection, from its first byte to its close: identification (`#xcdb:hello` or a plain
/// client), the password prompt, joining, and then each line the participant sends.
/// Confined to the channel's event loop.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = InboundLine
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case greeting
        case checkingPassword
        case joined(RemoteParticipant, Outbox)
        case closing
    }

    private let shared: SharedSession
    private let listener: Listener
    private var phase = Phase.greeting
    private var hello: ClientHello?
    private var passwordAsked = false
    private var isPending = false
    private var timer: Scheduled<Void>?
    private var queuedCommands = 0
    /// The client shut down its sending side.
    private var inputClosed = false
    /// The connection is closing after its last output.
    private var finishing = false

    init(shared: SharedSession, listener: Listener) {
        self.shared = shared
        self.listener = listener
    }

    // MARK: - Greeting

    func channelActive(context: ChannelHandlerContext) {
        let limit = shared.limits.maximumPendingHandshakes
        let pending = listener.pendingHandshakes.wrappingAdd(1, ordering: .relaxed).newValue
        isPending = true
        guard pending <= limit else {
            refuse(
                context, "Too many connections are waiting to join this session; try again later.")
            return
        }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        if listener.passwordCheck != nil {
            passwordAsked = true
            sendRaw(context, [WireProtocol.passwordPrompt])
            timer = context.eventLoop.scheduleTask(in: shared.limits.passwordWait) {
                loopBound.value.refuse(
                    contextBound.value, "No password given in time; disconnected.")
            }
        } else {
            timer = context.eventLoop.scheduleTask(in: shared.limits.helloWait) {
                loopBound.value.join(contextBound.value)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let input = unwrapInboundIn(data)
        switch phase {
        case .greeting:
            greet(context, input)
        case .joined(let participant, let outbox):
            handle(context, input, participant: participant, outbox: outbox)
        case .checkingPassword, .closing:
            break
        }
    }

    private func greet(_ context: ChannelHandlerContext, _ input: InboundLine) {
        if case .line(let line) = input, let control = WireProtocol.control(line),
            control.name == "hello", hello == nil
        {
            hello = ClientHello.parse(control.argument)
            if !passwordAsked {
                timer?.cancel()
                join(context)
            }
            return
        }
        if passwordAsked {
            timer?.cancel()
            let given: String
            if case .line(let line) = input { given = line } else { given = "" }
            guard let check = listener.passwordCheck, check.matches(given) else {
                phase = .checkingPassword
                let delay = listener.passwordCheck?.delayAfterFailure ?? .seconds(1)
                let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
                let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    loopBound.value.refuse(contextBound.value, WireProtocol.wrongPassword)
                }
                return
            }
            join(context)
            return
        }
        // A plain client typed before the hello wait ran out: join now, then run the line.
        timer?.cancel()
        join(context)
        if case .joined(let participant, let outbox) = phase {
            handle(context, input, participant: participant, outbox: outbox)
        }
    }

    private func releasePending() {
        if isPending {
            isPending = false
            listener.pendingHandshakes.wrappingSubtract(1, ordering: .relaxed)
        }
    }

    private func join(_ context: ChannelHandlerContext) {
        guard case .greeting = phase else { return }
        releasePending()
        if let wanted = hello?.session, let name = listener.options.sessionName,
            wanted.lowercased() != name.lowercased()
        {
            refuse(context, "No session named '\(wanted)' here (this is '\(name)').")
            return
        }
        let shared = self.shared
        let id = shared.nextParticipantID()
        let outbox = Outbox(channel: context.channel, limits: shared.limits) {
            shared.dropLagging(id)
        }
        let identity = plainIdentity(context)
        let participant = RemoteParticipant(
            id: id,
            user: hello?.user ?? identity.user,
            host: hello?.host ?? identity.host,
            style: listener.options.style,
            readOnly: listener.options.readOnly || (hello?.readOnly ?? false))
        guard
            shared.join(
                participant, outbox: outbox, listener: listener, isProgram: hello != nil,
                replay: hello?.lines)
        else {
            refuse(
                context,
                "This session has the most participants it allows "
                    + "(\(shared.limits.maximumParticipants)); try again later.")
            return
        }
        phase = .joined(participant, outbox)
    }

    /// Who a plain client is: for a Unix-domain socket the connecting user (only they, or
    /// anyone with `access=all`, can open it) on this computer; for TCP the peer address.
    private func plainIdentity(_ context: ChannelHandlerContext) -> (user: String, host: String) {
        guard let address = context.channel.remoteAddress else {
            return (Identity.userName, Identity.hostName)
        }
        switch address {
        case .unixDomainSocket:
            return (PeerCredentials.userName(of: context.channel) ?? "unknown", Identity.hostName)
        case .v4, .v6:
            return ("unknown", Identity.sanitized(address.ipAddress ?? "unknown"))
        }
    }

    // MARK: - Joined

    private func handle(
        _ context: ChannelHandlerContext, _ input: InboundLine, participant: RemoteParticipant,
        outbox: Outbox
    ) {
        shared.touch(participant.id)
        let isProgram = hello != nil
        func reply(_ lines: [String]) {
            for line in lines {
                _ = outbox.enqueue(isProgram ? WireProtocol.transcriptLineForProgram(line) : line)
            }
        }
        let line: String
        switch input {
        case .tooLong(let bytes):
            reply([
                "Line too long (\(bytes) bytes; the limit is \(WireProtocol.maximumLineLength)): "
                    + "ignored."
            ])
            return
        case .interrupt:
            interrupt(participant, reply: reply)
            return
        case .line(let text):
            line = text
        }
        if let control = WireProtocol.control(line) {
            switch control.name {
            case "hello" where hello == nil:
                lateHello(context, ClientHello.parse(control.argument), participant, outbox)
            case "commands":
                _ = outbox.enqueue(
                    WireProtocol.controlLine(
                        "commands", shared.input.commandNames.joined(separator: " ")))
            case "interrupt":
                interrupt(participant, reply: reply)
            default:
                break  // hello again, or a newer client's control line: ignore
            }
            return
        }
        if let command = SessionCommand.parse(line) {
            let label = "\(participant.host) \(participant.user)"
            switch command {
            case .help:
                reply(SessionCommand.helpLines)
            case .message:
                shared.post(
                    [
                        SessionCommand.messageNotice(
                            typed: line.trimmingWhitespace(), from: label,
                            dayAndClock: TimeLabel.dayAndClock())
                    ])
            case .popup(let text):
                shared.post(
                    SessionCommand.popupNotice(
                        text: text, from: label, dayAndClock: TimeLabel.dayAndClock()))
            case .quit:
                leave(context, outbox: outbox, isProgram: isProgram)
            case .kill:
                reply(["@K: only the server's console can end the session (use @Q to leave)."])
            case .escaped(let text):
                submit(text, participant: participant, context: context, reply: reply)
            case .unknown:
                reply(["** Unknown Command **"] + SessionCommand.helpLines)
            }
            return
        }
        submit(line, participant: participant, context: context, reply: reply)
    }

    /// A program's hello that arrived after the wait for it ran out (a slow link or a busy
    /// machine). It is still the first line the program sent, so nothing it typed has run yet:
    /// apply it now. It can only narrow access (`readonly=1`), never widen it.
    private func lateHello(
        _ context: ChannelHandlerContext, _ late: ClientHello, _ participant: RemoteParticipant,
        _ outbox: Outbox
    ) {
        hello = late
        if let wanted = late.session, let name = listener.options.sessionName,
            wanted.lowercased() != name.lowercased()
        {
            _ = outbox.enqueue(WireProtocol.controlLine("bye", "no session named '\(wanted)'"))
            _ = outbox.enqueue("No session named '\(wanted)' here (this is '\(name)').")
            shared.closeAfterFlush(outbox)
            return
        }
        var updated = participant
        updated.user = late.user
        updated.host = late.host
        updated.readOnly = participant.readOnly || late.readOnly
        shared.becameProgram(updated, outbox: outbox)
        phase = .joined(updated, outbox)
    }

    private func submit(
        _ line: String, participant: RemoteParticipant, context: ChannelHandlerContext,
        reply: ([String]) -> Void
    ) {
        guard queuedCommands < shared.limits.maximumQueuedCommands else {
            reply([
                "Too many of your commands are waiting (\(shared.limits.maximumQueuedCommands)); "
                    + "this line was dropped."
            ])
            return
        }
        queuedCommands += 1
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        shared.input.submit(line, from: CommandSource(.remote(participant))) {
            eventLoop.execute {
                loopBound.value.queuedCommands -= 1
                loopBound.value.finishIfDone()
            }
        }
    }

    private func interrupt(_ participant: RemoteParticipant, reply: ([String]) -> Void) {
        if participant.readOnly {
            reply(["Ctrl-C is not allowed: you joined this session read-only."])
        } else {
            shared.input.interrupt()
        }
    }

    /// `@Q`: the participant sees `*** SESSION OVER ***` and the connection closes.
    private func leave(_ context: ChannelHandlerContext, outbox: Outbox, isProgram: Bool) {
        if isProgram { _ = outbox.enqueue(WireProtocol.controlLine("bye", "left")) }
        _ = outbox.enqueue(SessionCommand.sessionOver)
        shared.closeAfterFlush(outbox)
    }

    // MARK: - Closing

    /// Sends `message` and closes (before joining).
    private func refuse(_ context: ChannelHandlerContext, _ message: String) {
        releasePending()
        timer?.cancel()
        phase = .closing
        var lines = [message]
        if hello != nil { lines.insert(WireProtocol.controlLine("bye", message), at: 0) }
        sendRaw(context, lines, thenClose: true)
    }

    private func sendRaw(
        _ context: ChannelHandlerContext, _ lines: [String], thenClose: Bool = false
    ) {
        var buffer = context.channel.allocator.buffer(capacity: 128)
        for line in lines {
            buffer.writeString(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        let channel = context.channel
        let written = context.writeAndFlush(wrapOutboundOut(buffer))
        if thenClose {
            written.whenComplete { _ in channel.close(promise: nil) }
            // A peer that does not read must not keep the connection open.
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .joined(_, let outbox) = phase, context.channel.isWritable {
            outbox.flush()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        releasePending()
        if case .joined(let participant, let outbox) = phase {
            outbox.close()
            shared.leave(participant)
        }
        phase = .closing
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let channelEvent = event as? ChannelEvent, channelEvent == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // The client has nothing more to say (socat at the end of its input): finish what it
        // asked for, send the output, then close.
        inputClosed = true
        switch phase {
        case .greeting:
            if passwordAsked {
                refuse(context, "No password given; disconnected.")
            } else {
                timer?.cancel()
                join(context)
                finishIfDone()
            }
        case .joined:
            finishIfDone()
        case .checkingPassword, .closing:
            break
        }
    }

    /// After the client's input ended: close once its last command has run.
    private func finishIfDone() {
        guard inputClosed, !finishing, queuedCommands == 0, case .joined(_, let outbox) = phase
        else { return }
        finishing = true
        shared.closeAfterFlush(outbox)
    }
}
