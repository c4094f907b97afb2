import DumpFormat
import Foundation
import TestSupport
import Testing

@Test func explore() throws {
    guard ProcessInfo.processInfo.environment["EXPLORE"] != nil else { return }
    for name in Corpus.allDumps() {
        print("=== \(name)")
        do {
            let d = try Minidump(path: Corpus.dump(name))
            print("streams", d.directory.map { "\($0.streamType)" })
            if let s = try? d.systemInfo() {
                print(
                    "sys", s.architecture, s.platform, s.osVersion, s.processorCount,
                    s.csdVersion ?? "-")
            }
            do {
                let m = try d.modules();
                print(
                    "modules", m.count,
                    m.first.map {
                        "\($0.name) \(String($0.baseAddress, radix: 16)) \($0.codeView.map { $0.debugIdentifier } ?? "-")"
                    } ?? "")
            } catch { print("modules error:", error) }
            do {
                let t = try d.threads(); print("threads", t.map { $0.threadId });
                for th in t.prefix(1) {
                    do {
                        let c = try d.context(of: th);
                        print(
                            "ctx", c.architecture, String(c.instructionPointer, radix: 16),
                            String(c.stackPointer, radix: 16), c.registers.count)
                    } catch { print("ctx error", error) }
                }
            } catch { print("threads error:", error) }
            do {
                let e = try d.exception();
                print(
                    "exc", String(e.exceptionRecord.exceptionCode, radix: 16),
                    String(e.exceptionRecord.exceptionAddress, radix: 16), e.threadId)
                do {
                    let c = try d.context(of: e);
                    print("exc ctx", String(c.instructionPointer, radix: 16), c.xstate != nil)
                } catch { print("exc ctx error", error) }
            } catch { print("exc error:", error) }
            let mem = d.memory(); print("memory ranges", mem.ranges.count, mem.totalBytes)
            if let mi = try? d.miscInfo() {
                print("misc", mi.sizeOfInfo, mi.processId ?? 0, mi.buildString ?? "-")
            }
            if let h = try? d.handleData() { print("handles", h.count, h.first?.typeName ?? "-") }
            if let t = try? d.tokens() { print("tokens", t.count) }
            if let f = try? d.functionTables() {
                print(
                    "ftables", f.descriptors.count, f.descriptors.first?.runtimeFunctions.count ?? 0
                )
            }
            if let u = try? d.unloadedModules() { print("unloaded", u.count) }
            if let ti = try? d.threadInfoList() { print("threadinfo", ti.count) }
            if let mi = try? d.memoryInfoList() { print("meminfo", mi.count) }
            if let c = try? d.crashpadInfo() {
                print("crashpad", c.simpleAnnotations.count, c.moduleList.count)
            }
            if let b = try? d.breakpadInfo() {
                print("breakpad", b.dumpThread ?? 0, b.requestingThread ?? 0)
            }
            if let a = try? d.assertionInfo() {
                print("assert", a.expression, a.function, a.file, a.line)
            }
            if let m = try? d.linuxMaps() { print("maps", m.count) }
            if let a = try? d.linuxAuxv() { print("auxv", a.count) }
            if let x = try? d.linuxDsoDebug() {
                print("dso", x.linkMaps.count, x.linkMaps.first?.name ?? "")
            }
            if let x = try? d.macCrashInfo() { print("maccrash", x.count, x.first?.message ?? "") }
            for w in d.warnings { print("warning:", w) }
        } catch {
            print("open error:", error)
        }
    }
}
