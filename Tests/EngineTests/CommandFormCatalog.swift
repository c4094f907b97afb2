import Foundation

/// Every command of the table in the forms worth telling apart (display vs change), for the
/// read-only form test. A command missing here is run bare; a command that takes arguments must
/// be listed (the test fails otherwise), so a new command is covered as soon as it exists.
struct CommandFormCatalog {
    /// One way to type a command. `setup` runs first (as the console) in the full-participant
    /// run, so a changing form has something to change (`.cxr` alone resets a context only when
    /// one is set).
    struct Form {
        var line: String
        var setup: String?
        /// A mistake (a number out of range): it must fail with an error and change nothing.
        var failing: Bool

        init(_ line: String, setup: String? = nil, failing: Bool = false) {
            self.line = line
            self.setup = setup
            self.failing = failing
        }
    }

    let directory: String
    let dumpPath: String

    /// A script that only displays.
    var displayScript: String { directory + "/display.txt" }
    /// A script whose every line would change something.
    var changingScript: String { directory + "/changing.txt" }
    var logPath: String { directory + "/form.log" }
    var otherLogPath: String { directory + "/other.log" }

    init(dumpPath: String) throws {
        directory = NSTemporaryDirectory() + "xcdb-forms-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.dumpPath = dumpPath
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        try ".echo from a script\nk 2\nr $t1\n~\n".write(
            toFile: displayScript, atomically: true, encoding: .utf8)
        try [
            "q", "qq", "g", ".logopen \(directory)/script.log", "~1s", "n 8", "r $t0 = 7",
            ".sympath /nowhere", "bp @$ip", ".frame 1", ".ecxr", ".lines", "ed @$csp 0",
            ".opendump \(dumpPath)",
        ].joined(separator: "\n").write(toFile: changingScript, atomically: true, encoding: .utf8)
    }

    func removeFiles() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Forms read-only participants try; `readOnlyOnly` forms (scripts full of changes) are not
    /// run by the full participant, whose check is that display forms change nothing.
    func forms(for name: String) -> [Form]? {
        if let listed = table[name] { return listed }
        if name.hasPrefix("d") && memoryDisplays.contains(name) {
            return ["", " @$csp", " @$csp L4", " @$csp L?4", " @$csp L-4"].map { Form(name + $0) }
                + [Form(name + " 0 ffffffff`ffffffff", failing: true)]
        }
        if editCommands.contains(name) { return [Form("\(name) @$csp 1")] }
        return nil
    }

    /// Lines a read-only participant runs beyond `forms(for:)`: scripts whose lines change.
    var readOnlyOnly: [Form] {
        [
            Form("$<\(changingScript)"), Form("$><\(changingScript)"),
            Form("$$<\(changingScript)"), Form("$$><\(changingScript)"),
            Form("$$>a<\(changingScript) one two"),
            Form("~* r $t0 = 1"), Form("~1 .logopen \(otherLogPath)"),
            Form("~1s; .echo switched"),
            // Control flow runs its lines as if typed: the changing ones are refused.
            Form(".if (1) { r $t0 = 7 }"), Form("j 1 'r $t0 = 7'"), Form(".block { as x 1 }"),
            Form(".foreach /s (v \"1\") { r $t0 = v }"),
            Form(".for (r $t0 = 0; @$t0 < 1; r $t0 = @$t0 + 1) { }"),
            Form(".catch { .echo caught; ~1s }"), Form("as /c x ~1s"),
        ]
    }

    let memoryDisplays: Set<String> = [
        "d", "db", "dw", "dd", "dc", "dq", "dp", "df", "da", "du", "dds", "dqs", "dps", "dyb",
        "dyd",
    ]
    let editCommands: Set<String> = [
        "e", "eb", "ew", "ed", "eq", "ep", "ea", "eu", "eza", "ezu",
    ]

    private var table: [String: [Form]] {
        [
            "$$": [Form("$$ a comment")],
            // Aliases and control flow (scripting pages of the debugger documentation).
            "as": [
                Form("as fa 1"), Form("aS /x fb 1+1"), Form("as /c fc .echo x"),
                Form("as /e fd PATH"),
            ],
            "ad": [Form("ad fa", setup: "as fa 1"), Form("ad *", setup: "as fa 1")],
            ".if": [
                Form(".if (1) { .echo yes } .else { .echo no }"),
                Form(".if (0) { .echo a } .elsif (1) { .echo b }"),
            ],
            ".elsif": [Form(".elsif (1) { .echo x }", failing: true)],
            ".else": [Form(".else { .echo x }", failing: true)],
            ".block": [Form(".block { .echo b }")],
            ".catch": [Form(".catch { .echo c; zzz }")],
            ".for": [Form(".for (.echo init; 0; .echo inc) { .echo body }")],
            ".while": [Form(".while (0) { .echo w }")],
            ".do": [Form(".do { .echo d } (0)")],
            ".foreach": [
                Form(".foreach (t {? 1}) { .echo t }"),
                Form(".foreach /pS 1 /ps 1 /s (t \"a b c\") { .echo t }"),
            ],
            "j": [Form("j 1 '.echo a' ; '.echo b'"), Form("j 0 .echo a ; .echo b")],
            ".kframes": [Form(".kframes"), Form(".kframes 2")],
            "!error": [Form("!error 2"), Form("!error 2 1")],
            ".symfix": [Form(".symfix \(directory)/cache")],
            ".exepath": [Form(".exepath"), Form(".exepath \(directory);/tmp")],
            ".chain": [Form(".chain")],
            "||": [Form("||"), Form("||.")],
            ".effmach": [
                // The catalog's dump is not a WOW64 process: `.effmach .` changes nothing
                // there and `x86` is refused (Wow64DumpTests switches modes).
                Form(".effmach"), Form(".effmach x86"),
            ],
            "!sw": [Form("!sw"), Form("!wow64exts.sw")],
            "*": [Form("* a comment")],
            "$<": [Form("$<\(displayScript)")],
            "$><": [Form("$><\(displayScript)")],
            "$$<": [Form("$$<\(displayScript)")],
            "$$><": [Form("$$><\(displayScript)")],
            "$$>a<": [Form("$$>a<\(displayScript) one")],
            "?": [Form("?"), Form("? 1+2"), Form("? @$ip")],
            "??": [Form("?? @$ip")],
            "ba": [Form("ba r4 @$csp")],
            "bc": [Form("bc *")],
            "bd": [Form("bd *")],
            "be": [Form("be *")],
            "bl": [Form("bl"), Form("bl *")],
            "bm": [Form("bm kernel32!*")],
            "bp": [Form("bp @$ip")],
            "bu": [Form("bu @$ip")],
            "g": [Form("g"), Form("g @$ip")],
            "gu": [Form("gu")],
            "gh": [Form("gh")],
            "gn": [Form("gn")],
            "pa": [Form("pa @$ip")],
            "ta": [Form("ta @$ip")],
            "tc": [Form("tc")],
            "tt": [Form("tt")],
            "sxe": [Form("sxe eh"), Form("sxe -c \"k\" ld")],
            "sxd": [Form("sxd av")],
            "sxn": [Form("sxn ct")],
            "sxi": [Form("sxi eh")],
            ".detach": [Form(".detach")],
            "p": [Form("p"), Form("p 2")],
            "t": [Form("t"), Form("t 2")],
            "pc": [Form("pc")],
            "pt": [Form("pt")],
            "k": [
                Form("k"), Form("kb 3"), Form("kv"), Form("kc"), Form("kn 2"),
                Form("k ffffffff`ffffffff"),
            ],
            "lm": [Form("lm"), Form("lmv m ntdll"), Form("lm a @$ip"), Form("lmf")],
            "ln": [Form("ln @$ip")],
            "n": [Form("n"), Form("n 10")],
            "r": [
                Form("r"), Form("r @$ip"), Form("r $t1"), Form("rM 1"), Form("r $t0 = 5"),
                Form("r $t0 = 5, $t1 = 6"),
                Form("r zf=1"), Form("r $.u0=.echo a; .echo b"),
            ],
            "s": [
                Form("s -d @$csp L100 0"), Form("s -sa @$csp L200"),
                Form("s -d 0 ffffffff`ffffffff 0", failing: true),
            ],
            "u": [Form("u"), Form("u @$ip"), Form("u @$ip L3")],
            "ub": [Form("ub @$ip")],
            "uf": [Form("uf @$ip")],
            "x": [Form("x kernel32!CreateF*")],
            "|": [Form("|"), Form("|0s"), Form("|.")],
            "~": [
                Form("~"), Form("~."), Form("~1"), Form("~* k 1"), Form("~1 r $t1"),
                Form("~*e .echo each"), Form("~99999999999999999999 k", failing: true),
                Form("~1s", setup: "~0s"), Form("~#s", setup: "~1s"),
                Form("~1s; k 1", setup: "~0s"), Form("~1f"), Form("~1u"), Form("~1n"),
                Form("~1m"),
            ],
            ".cxr": [Form(".cxr", setup: ".ecxr"), Form(".cxr @$csp")],
            ".echo": [Form(".echo hello"), Form(".echo \"a;b\"")],
            ".endsrv": [Form(".endsrv 0")],
            ".expr": [Form(".expr"), Form(".expr /q")],
            ".exr": [Form(".exr -1"), Form(".exr @$csp")],
            ".formats": [Form(".formats 5")],
            ".frame": [
                Form(".frame"), Form(".frame /r"), Form(".frame 1"), Form(".frame /r 1"),
                Form(".frame -1", failing: true),
            ],
            ".help": [Form(".help"), Form(".help r"), Form(".help ~"), Form(".help .l*")],
            ".lines": [Form(".lines"), Form(".lines -e"), Form(".lines -d", setup: ".lines -e")],
            ".logappend": [Form(".logappend \(logPath)")],
            ".logclose": [Form(".logclose", setup: ".logopen \(otherLogPath)")],
            ".logopen": [Form(".logopen \(logPath)")],
            ".opendump": [Form(".opendump \(dumpPath)")],
            ".printf": [Form(".printf \"%p %d\\n\", @$ip, 5"), Form(".printf \"%600d\\n\", 1")],
            ".reload": [Form(".reload"), Form(".reload /f")],
            ".remote": [Form(".remote formtest")],
            ".remote_exit": [Form(".remote_exit"), Form(".remote_exit .echo bye")],
            ".server": [Form(".server npipe:pipe=formtest")],
            ".sleep": [Form(".sleep 1")],
            ".sympath": [Form(".sympath"), Form(".sympath \(directory)")],
            ".sympath+": [Form(".sympath+ \(directory)")],
            ".srcpath": [Form(".srcpath"), Form(".srcpath \(directory)")],
            ".srcpath+": [Form(".srcpath+ \(directory)")],
            "!sym": [Form("!sym"), Form("!sym noisy"), Form("!sym quiet", setup: "!sym noisy")],
            "ld": [Form("ld ntdll")],
            "dt": [Form("dt ntdll!_PEB"), Form("dt -r1 _TEB @$teb")],
            "dv": [Form("dv"), Form("dv /t /v")],
            "ls": [Form("ls")],
            "lsa": [Form("lsa @$ip")],
            "!address": [Form("!address"), Form("!address @$csp"), Form("!address -summary")],
            "!analyze": [Form("!analyze"), Form("!analyze -v")],
            "!gle": [Form("!gle"), Form("!gle -all")],
            "!runaway": [Form("!runaway"), Form("!runaway 7")],
            "!handle": [Form("!handle"), Form("!handle 4 f")],
            "!help": [Form("!help"), Form("!help analyze")],
            "!linux": [Form("!linux"), Form("!linux maps")],
            "!peb": [Form("!peb"), Form("!peb @$peb")],
            "!teb": [Form("!teb"), Form("!teb @$teb")],
        ]
    }
}
