/// Offsets of the documented x64 structures the executive writes (Windows 10 layouts, the same
/// `!peb` and `!teb` read from dumps).
enum Layout {
    enum PEB {
        static let size = 0x7C8
        static let beingDebugged = 0x002
        static let mutant = 0x008
        static let imageBaseAddress = 0x010
        static let ldr = 0x018
        static let processParameters = 0x020
        static let processHeap = 0x030
        static let numberOfProcessors = 0x0B8
        static let ntGlobalFlag = 0x0BC
        static let criticalSectionTimeout = 0x0C0
        static let heapSegmentReserve = 0x0C8
        static let heapSegmentCommit = 0x0D0
        static let osMajorVersion = 0x118
        static let osMinorVersion = 0x11C
        static let osBuildNumber = 0x120
        static let osPlatformId = 0x124
        static let imageSubsystem = 0x128
        static let imageSubsystemMajorVersion = 0x12C
        static let imageSubsystemMinorVersion = 0x130
        static let sessionId = 0x2C0
    }

    enum LdrData {
        static let size = 0x58
        static let initialized = 0x04
        static let inLoadOrder = 0x10
        static let inMemoryOrder = 0x20
        static let inInitializationOrder = 0x30
    }

    enum LdrEntry {
        static let size = 0x120
        static let inLoadOrderLinks = 0x00
        static let inMemoryOrderLinks = 0x10
        static let inInitializationOrderLinks = 0x20
        static let dllBase = 0x30
        static let entryPoint = 0x38
        static let sizeOfImage = 0x40
        static let fullDllName = 0x48
        static let baseDllName = 0x58
        static let flags = 0x68
        static let obsoleteLoadCount = 0x6C
        static let tlsIndex = 0x6E
        static let hashLinks = 0x70
        static let timeDateStamp = 0x80
        static let originalBase = 0xF8
        static let loadReason = 0x10C
        static let referenceCount = 0x114
    }

    enum Parameters {
        static let size = 0x440
        static let maximumLength = 0x000
        static let length = 0x004
        static let flags = 0x008
        static let consoleHandle = 0x010
        static let standardInput = 0x020
        static let standardOutput = 0x028
        static let standardError = 0x030
        static let currentDirectory = 0x038
        static let dllPath = 0x050
        static let imagePathName = 0x060
        static let commandLine = 0x070
        static let environment = 0x080
        static let showWindowFlags = 0x0A8
        static let windowTitle = 0x0B0
        static let desktopInfo = 0x0C0
        static let shellInfo = 0x0D0
        static let runtimeData = 0x0E0
        static let environmentSize = 0x3F0
    }

    enum TEB {
        static let size = 0x1838
        static let allocation: UInt64 = 0x2000
        static let exceptionList = 0x000
        static let stackBase = 0x008
        static let stackLimit = 0x010
        static let selfPointer = 0x030
        static let clientProcess = 0x040
        static let clientThread = 0x048
        static let threadLocalStoragePointer = 0x058
        static let processEnvironmentBlock = 0x060
        static let lastErrorValue = 0x068
        static let currentLocale = 0x108
        static let lastStatusValue = 0x1250
        static let deallocationStack = 0x1478
        static let tlsSlots = 0x1480
        static let tlsLinks = 0x1680
    }

    enum KUser {
        static let address: UInt64 = 0x7FFE_0000
        static let tickCountMultiplier = 0x004
        static let interruptTime = 0x008
        static let systemTime = 0x014
        static let timeZoneBias = 0x020
        static let imageNumberLow = 0x02C
        static let imageNumberHigh = 0x02E
        static let ntSystemRoot = 0x030
        static let ntBuildNumber = 0x260
        static let ntProductType = 0x264
        static let productTypeIsValid = 0x268
        static let nativeProcessorArchitecture = 0x26A
        static let ntMajorVersion = 0x26C
        static let ntMinorVersion = 0x270
        static let kdDebuggerEnabled = 0x2D4
        static let numberOfPhysicalPages = 0x2E8
        static let tickCount = 0x320
        static let cookie = 0x330
        static let activeProcessorCount = 0x3C0
        static let activeGroupCount = 0x3C4
    }

    enum ExceptionRecord {
        static let size = 0x98
        static let code = 0x00
        static let flags = 0x04
        static let nested = 0x08
        static let address = 0x10
        static let numberParameters = 0x18
        static let information = 0x20
        static let maximumParameters = 15
    }
}
