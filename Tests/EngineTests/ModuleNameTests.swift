import Testing

@testable import Engine

/// The names `lm` and `module!symbol` use, from the paths dumps record.
@Suite struct ModuleNameTests {
    @Test(arguments: [
        ("C:\\Windows\\System32\\ntdll.dll", "ntdll"),
        ("C:\\Program Files\\App\\App.EXE", "App"),
        ("C:\\drivers\\tcpip.sys", "tcpip"),
        ("/usr/lib/x86_64-linux-gnu/libc.so.6", "libc"),
        ("/lib/libpthread-2.19.so", "libpthread_2_19"),
        ("/opt/app/libfoo.so.1.2", "libfoo"),
        ("/opt/app/libfoo.sox", "libfoo_sox"),
        ("/opt/app/data.json", "data_json"),
        ("/usr/lib/dyld", "dyld"),
        ("/System/Library/Foo.dylib", "Foo"),
        (".hidden", "_hidden"),
        ("C:\\Temp\\trailing\\", "trailing"),
        ("ünïcode.dll", "ünïcode"),
        ("name with spaces.exe", "name_with_spaces"),
        ("", "image"),
    ])
    func moduleNames(path: String, expected: String) {
        let module = TargetModule(base: 0x1000, size: 0x1000, path: path)
        #expect(module.moduleName == expected)
    }

    /// The last path component, whichever separators the path mixes; a path of separators only
    /// stays as it is.
    @Test(arguments: [
        ("C:\\Windows/System32\\ntdll.dll", "ntdll.dll"),
        ("/usr/lib/libc.so.6", "libc.so.6"),
        ("C:\\Temp\\trailing\\\\", "trailing"),
        ("ünï/cödé.dll", "cödé.dll"),
        ("plain.exe", "plain.exe"),
        ("\\/", "\\/"),
        ("", ""),
    ])
    func imageNames(path: String, expected: String) {
        #expect(TargetModule(base: 0x1000, size: 0x1000, path: path).imageName == expected)
    }
}
