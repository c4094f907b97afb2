import FoundationEssentials
import Glibc

/// The host memory behind the guest's address space.
///
/// Unicorn 2.0 maps guest virtual addresses to its "physical" memory one to one (the CPU's page
/// tables decide only what may be touched), and it checks that an address is mapped before it
/// walks the page tables. So the guest's user space is covered by two large windows of host
/// memory reserved with `MAP_NORESERVE` (only pages the guest or the executive touches take
/// memory), mapped into Unicorn once: every access inside them faults precisely through the
/// page tables. The low window holds the program, its stacks and heaps and the executive's
/// system area; the high window the system DLLs at their preferred bases.
final class HostWindows {
    struct Window {
        let base: UInt64
        let size: UInt64
        let host: UnsafeMutableRawPointer
        var end: UInt64 { base + size }
    }

    let windows: [Window]

    /// The end of user space on x64 Windows (`MmHighestUserAddress` + 1, rounded to 64 KiB).
    static let userSpaceEnd: UInt64 = 0x7FFF_FFFF_0000

    /// Reserves the windows, trying smaller ones when the host refuses the largest.
    init() throws(EmulationError) {
        var made: [Window] = []
        for (lowSize, highSize) in [
            (UInt64(1) << 40, UInt64(1) << 40), (1 << 36, 1 << 36), (1 << 33, 1 << 33),
        ] {
            guard let low = Self.reserve(lowSize) else { continue }
            guard let high = Self.reserve(highSize) else {
                munmap(low, Int(lowSize))
                continue
            }
            made = [
                Window(base: 0, size: lowSize, host: low),
                Window(base: 0x8000_0000_0000 - highSize, size: highSize, host: high),
            ]
            break
        }
        guard !made.isEmpty else {
            throw .host("cannot reserve host address space for the guest's memory (mmap failed)")
        }
        windows = made
    }

    deinit {
        for window in windows { munmap(window.host, Int(window.size)) }
    }

    private static func reserve(_ size: UInt64) -> UnsafeMutableRawPointer? {
        let pointer = mmap(
            nil, Int(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
            -1, 0)
        guard let pointer, pointer != MAP_FAILED else { return nil }
        return pointer
    }

    /// The window holding `range`, if one holds all of it.
    func window(holding range: Range<UInt64>) -> Window? {
        windows.first { $0.base <= range.lowerBound && range.upperBound <= $0.end }
    }

    /// The host address of guest `address`, when a window holds it.
    func pointer(_ address: UInt64) -> UnsafeMutableRawPointer? {
        guard let window = windows.first(where: { $0.base <= address && address < $0.end }) else {
            return nil
        }
        return window.host + Int(address - window.base)
    }

    /// Gives pages back to the host: they read as zeros afterwards.
    func discard(_ range: Range<UInt64>) {
        guard let window = window(holding: range), let start = pointer(range.lowerBound) else {
            return
        }
        _ = window
        madvise(start, Int(range.upperBound - range.lowerBound), MADV_DONTNEED)
    }
}
