import Engine
import FoundationEssentials
import NIOCore

/// One connection, from its first byte to its close: identification (`#xcdb:hello` or a plain
/// client), the password prompt, joining, and then each line the participant sends.
/// Confined to the channel's event loop.
///
/// Until it joins, a connection holds one of its server's handshake slots (`HandshakeSlots`)
/// and has a deadline: `helloWait` for a program's hello when there is no password (then it
/// joins as a plain client, or sooner when a newer connection from its address needs the
/// slot), `handshakeDeadline` for the first whole line when there is one, and `passwordWait`
/// for a program's person to type the password after its hello.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = InboundLine
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case greeting
        case checkingPassword
        case joined(RemoteParticipant, Outbox)
        case closing
    }

    /// Why the participant's connection is ending once its queued lines have run.
    private enum Ending {
        /// `@Q`: leave with a goodbye.
        case leaving
        /// The client sent its last line (half-close): send the output, then close.
        case inputEnded
    }

    private let shared: SharedSession
    private let listener: Listener
    private var phase = Phase.greeting
    private var hello: ClientHello?
    private var passwordAsked = false
    /// The handshake slot held until joining.
    private var ticket: Int?
    private var timer: Scheduled<Void>?
    /// Bytes arrived before joining (a connection that sent nothing and closed was a probe).
    private var sentAnything = false
    private var queuedCommands = 0
    private var ending: Ending?
    /// The connection is closing after its last output.
    private var finishing = false

    init(shared: SharedSession, listener: Listener) {
        self.shared = shared
        self.listener = listener
    }

    private var limits: SharingLimits { shared.limits }

    // MARK: - Greeting

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let admission = listener.handshakes.admit(address: PeerAddress.key(of: context.channel)) {
            // Called from whichever connection needs the room: act on our own event loop.
            eventLoop.execute {
                loopBound.value.ticket = nil
                loopBound.value.makeRoom(contextBound.value)
            }
        }
        guard case .admitted(let ticket) = admission else {
            refuse(
                context, "Too many connections are waiting to join this session; try again later.")
            return
        }
        self.ticket = ticket
        if listener.passwordCheck != nil {
            passwordAsked = true
            sendRaw(context, [WireProtocol.passwordPrompt])
            startTimer(context, limits.handshakeDeadline) { handler, context in
                handler.refuse(context, "No password given in time; disconnected.")
            }
        } else {
            startTimer(context, limits.helloWait) { handler, context in handler.join(context) }
        }
    }

    /// A newer connection from the same address needs this one's handshake slot. Without a
    /// password a silent connection is a plain client that would join at the end of the hello
    /// wait anyway: it joins now. With one, it has not answered the prompt: it is closed.
    private func makeRoom(_ context: ChannelHandlerContext) {
        guard case .greeting = phase else { return }
        if passwordAsked {
            refuse(
                context,
                "Too many connections from your address are waiting to join this session; "
                    + "try again later.")
        } else {
            join(context)
        }
    }

    private func startTimer(
        _ context: ChannelHandlerContext, _ delay: TimeAmount,
        _ action: @escaping (ConnectionHandler, ChannelHandlerContext) -> Void
    ) {
        timer?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let action = NIOLoopBound(action, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            action.value(loopBound.value, contextBound.value)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let input = unwrapInboundIn(data)
        switch phase {
        case .greeting:
            sentAnything = true
            if let ticket { listener.handshakes.spoke(ticket) }
            greet(context, input)
        case .joined(let participant, let outbox):
            guard ending == nil else { return }  // after @Q: nothing more is taken
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
            if passwordAsked {
                // A program: its person may be typing the password at its prompt.
                startTimer(context, limits.passwordWait) { handler, context in
                    handler.refuse(context, "No password given in time; disconnected.")
                }
            } else {
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
                startTimer(context, delay) { handler, context in
                    handler.refuse(context, WireProtocol.wrongPassword)
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

    private func releaseSlot() {
        if let ticket {
            self.ticket = nil
            listener.handshakes.release(ticket)
        }
    }

    private func join(_ context: ChannelHandlerContext) {
        guard case .greeting = phase else { return }
        releaseSlot()
        timer?.cancel()
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
                // Leave after the lines sent before it have run and shown their output (a
                // piped `k` then `@Q` must still print the stack).
                ending = .leaving
                finishIfDone()
            case .kill:
                reply(["@K: only the server's console can end the session (use @Q to leave)."])
            case .escaped(let text):
                submit(text, participant: participant, outbox: outbox, context: context)
            case .unknown:
                reply(["** Unknown Command **"] + SessionCommand.helpLines)
            }
            return
        }
        submit(line, participant: participant, outbox: outbox, context: context)
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
            shared.closeAfterFlush(
                outbox,
                final: [
                    WireProtocol.controlLine("bye", "no session named '\(wanted)'"),
                    "No session named '\(wanted)' here (this is '\(name)').",
                ])
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
        _ line: String, participant: RemoteParticipant, outbox: Outbox,
        context: ChannelHandlerContext
    ) {
        let isProgram = hello != nil
        guard queuedCommands < limits.maximumQueuedCommands else {
            let text =
                "Too many of your commands are waiting (\(limits.maximumQueuedCommands)); "
                + "this line was dropped."
            _ = outbox.enqueue(isProgram ? WireProtocol.transcriptLineForProgram(text) : text)
            shared.lineRefused(participant, outbox: outbox, isProgram: isProgram)
            return
        }
        queuedCommands += 1
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let shared = self.shared
        shared.input.submit(line, from: CommandSource(.remote(participant))) { prompt in
            // On the session's thread, in order with the line's output.
            shared.lineFinished(participant, prompt: prompt)
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

    // MARK: - Closing

    /// Sends `message` and closes; only before joining (a timer or an eviction that comes
    /// after the connection joined does nothing).
    private func refuse(_ context: ChannelHandlerContext, _ message: String) {
        switch phase {
        case .greeting, .checkingPassword: break
        case .joined, .closing: return
        }
        releaseSlot()
        timer?.cancel()
        phase = .closing
        var lines = [message]
        if hello != nil { lines.insert(WireProtocol.controlLine("bye", message), at: 0) }
        sendRaw(context, lines, thenClose: true)
    }

    private func sendRaw(
        _ context: ChannelHandlerContext, _ lines: [String], thenClose: Bool = false
    ) {
        let buffer = Outbox.buffer(of: lines, allocator: context.channel.allocator)
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
        releaseSlot()
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
        switch phase {
        case .greeting:
            if passwordAsked {
                refuse(context, "No password given; disconnected.")
            } else if !sentAnything {
                // Connected and closed without a byte: a check whether the server is alive
                // (another server's start-up probe). Nobody joined, nobody is told.
                releaseSlot()
                timer?.cancel()
                phase = .closing
                context.close(promise: nil)
            } else {
                join(context)
                if ending == nil { ending = .inputEnded }
                finishIfDone()
            }
        case .joined:
            if ending == nil { ending = .inputEnded }
            finishIfDone()
        case .checkingPassword, .closing:
            break
        }
    }

    /// Once the participant is ending (`@Q`, end of its input), close when its last queued
    /// line has run: its output and its prompt go out first.
    private func finishIfDone() {
        guard let ending, !finishing, queuedCommands == 0,
            case .joined(_, let outbox) = phase
        else { return }
        finishing = true
        switch ending {
        case .leaving:
            let final =
                hello != nil
                ? [WireProtocol.controlLine("bye", "left"), SessionCommand.sessionOver]
                : [SessionCommand.sessionOver]
            shared.closeAfterFlush(outbox, final: final)
        case .inputEnded:
            shared.closeAfterFlush(outbox)
        }
    }
}
