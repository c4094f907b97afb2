import Engine
import Foundation
import TestSupport
import Testing

/// Read-only means read-only: every form of every command in the table, run by a read-only
/// participant against a dump, leaves the session as it was, and other participants see only
/// that participant's lines and refusals, never a cleared screen. The full participant's run
/// shows the other side: each changing form does change something (so the first test can
/// fail), and each display form changes nothing (so a form that changes is declared).
@Suite(.serialized) struct ReadOnlyFormTests {
    static let dumpName = "win-x64-win10-electron-functiontable.dmp"
    static let refusal = "is not allowed: you joined this session read-only"

    static let viewer = CommandSource(
        .remote(
            RemoteParticipant(id: 7, user: "viv", host: "box", style: .remoteExe, readOnly: true))
    )

    /// A fresh session on the dump, with the recording sharing layer.
    static func openSession() throws -> (DumpSession, RecordingSharing) {
        let dump = DumpSession(Self.dumpName)
        try #require(dump.isOpen, "cannot open \(Corpus.dump(Self.dumpName))")
        let sharing = RecordingSharing()
        dump.session.withState { $0.sharing = sharing }
        return (dump, sharing)
    }

    /// Every form of every table command, failing for a command with arguments that has none.
    static func allForms(_ catalog: CommandFormCatalog, table: CommandTable) -> [CommandFormCatalog
        .Form]
    {
        var forms: [CommandFormCatalog.Form] = []
        for command in table.commands {
            if let listed = catalog.forms(for: command.name) {
                forms += listed
            } else if command.argument == .none {
                forms.append(CommandFormCatalog.Form(command.name))
            } else {
                Issue.record("'\(command.name)' takes arguments: list its forms in the catalog")
                forms.append(CommandFormCatalog.Form(command.name))
            }
        }
        return forms
    }

    static func declaredChange(_ line: String, table: CommandTable) -> Bool {
        guard let match = table.lookup(Substring(line)) else { return false }
        return match.command.effect.kind(of: match).isChange
    }

    @Test func readOnlyParticipantsChangeNothingWithAnyForm() throws {
        let (dump, sharing) = try Self.openSession()
        let session = dump.session
        let catalog = try CommandFormCatalog(dumpPath: Corpus.dump(Self.dumpName))
        defer { catalog.removeFiles() }
        // Someone else has a log open; read-only participants must not close or replace it.
        session.execute(".logopen \(catalog.directory)/console.log", from: .console)
        let other = ParticipantScreen(participantID: 8)
        let console = ParticipantScreen(participantID: nil, isLocalConsole: true)
        let own = ParticipantScreen(participantID: 7)
        for screen in [other, console, own] { session.hub.add(screen) }

        // A frame other than 0 is selected: a display form that switches threads on the way
        // (`~* k`) must leave it, as it must leave the thread.
        session.execute(".frame 1", from: .console)
        let before = SessionSnapshot(session, sharing: sharing)
        #expect(before.currentFrame == 1)
        let forms = Self.allForms(catalog, table: session.table) + catalog.readOnlyOnly
        #expect(forms.count > 150)
        for screen in [other, console, own] { screen.recording = true }
        var ownScreenCleared = false
        for form in forms {
            own.clear()
            session.execute(form.line, from: Self.viewer)
            ownScreenCleared = ownScreenCleared || own.events.contains { $0.kind == .clearScreen }
            let shown = own.events.filter { $0.kind == .output || $0.kind == .error }.map(\.text)
            let refused = shown.contains { $0.contains(Self.refusal) }
            if Self.declaredChange(form.line, table: session.table) {
                #expect(refused, "'\(form.line)' changes something but was not refused: \(shown)")
            } else if !catalog.readOnlyOnly.contains(where: { $0.line == form.line }) {
                #expect(!refused, "'\(form.line)' only displays but was refused")
            }
            let after = SessionSnapshot(session, sharing: sharing)
            #expect(
                after == before,
                "'\(form.line)' by a read-only participant changed: \(after.differences(from: before))"
            )
        }
        // The changing scripts were refused line by line, as if typed.
        session.execute("$<\(catalog.changingScript)", from: Self.viewer)
        #expect(own.events.filter { $0.text.contains(Self.refusal) }.count >= 10)

        // Others saw only the viewer's own lines; nobody's screen but the viewer's was cleared.
        #expect(!other.events.isEmpty)
        let strangers = other.events.filter { $0.origin.remoteParticipant?.id != 7 }
        #expect(strangers.isEmpty, "\(strangers.prefix(3))")
        #expect(!other.events.contains { $0.kind == .clearScreen })
        #expect(!console.events.contains { $0.kind == .clearScreen })
        #expect(ownScreenCleared)
        // The console's log still holds only what everyone saw, and no clear.
        let log = try String(contentsOfFile: "\(catalog.directory)/console.log", encoding: .utf8)
        #expect(log.contains(".echo hello"))
        #expect(!FileManager.default.fileExists(atPath: catalog.logPath))
        #expect(!FileManager.default.fileExists(atPath: "\(catalog.directory)/script.log"))
    }

    @Test func fullParticipantsChangeWithChangingFormsOnly() throws {
        let catalog = try CommandFormCatalog(dumpPath: Corpus.dump(Self.dumpName))
        defer { catalog.removeFiles() }
        let table = Builtins.table
        // At the console `.remote_exit` ends the `.remote` session; for a participant (the
        // only one the read-only check concerns) it means leaving, which changes nothing.
        let differsAtTheConsole: Set<String> = [".remote_exit", ".remote_exit .echo bye"]
        // The target cannot do these; the error says so.
        let cannot = [
            "No runnable debuggees", "cannot be changed on this target",
            "not a mode of this target", "not a WOW64 process",
        ]
        var changing = 0
        for form in Self.allForms(catalog, table: table) {
            let (dump, sharing) = try Self.openSession()
            if let setup = form.setup { _ = dump.run(setup) }
            let before = SessionSnapshot(dump.session, sharing: sharing)
            let shown = dump.run(form.line)
            let after = SessionSnapshot(dump.session, sharing: sharing)
            if form.failing {
                #expect(
                    shown.contains { $0.contains("error") } && after == before,
                    "'\(form.line)' should fail and change nothing: \(shown.prefix(3))")
            } else if Self.declaredChange(form.line, table: table) {
                changing += 1
                let impossible = shown.contains { line in cannot.contains { line.contains($0) } }
                #expect(
                    after != before || impossible,
                    "'\(form.line)' is declared a change but changed nothing: \(shown.prefix(3))")
            } else if !differsAtTheConsole.contains(form.line) {
                let changed = after.differences(from: before)
                #expect(
                    after == before,
                    "'\(form.line)' is declared display-only but changed \(changed)")
            }
        }
        #expect(changing > 40)
    }

    @Test func helpShowsWhichFormsReadOnlyParticipantsMayRun() {
        let harness = SessionHarness()
        let lines = harness.run(".help r")
        #expect(lines.contains("  Forms:"))
        #expect(
            lines.contains("    r | r Register [, Register ...]: read-only participants may run it")
        )
        #expect(
            lines.contains(
                "    r Register = Value: changes the target; not for read-only participants"))
        #expect(harness.run(".help .echo").contains("  Read-only participants may run it."))
        #expect(
            harness.run(".help .logopen").contains(
                "  Changes the session; read-only participants may not run it."))
        let thread = harness.run(".help ~")
        #expect(
            thread.contains("    ~Thread s: changes the session; not for read-only participants"))
    }
}
