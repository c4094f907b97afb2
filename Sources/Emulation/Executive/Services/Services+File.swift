import FoundationEssentials
import Glibc
import HostSystem

/// Files in the sandbox folder and the console streams.
extension Executive {
    private static let genericRead: UInt32 = 0x8000_0000
    private static let genericWrite: UInt32 = 0x4000_0000
    private static let genericAll: UInt32 = 0x1000_0000
    private static let fileReadData: UInt32 = 0x1
    private static let fileWriteData: UInt32 = 0x2
    private static let fileAppendData: UInt32 = 0x4
    private static let directoryFile: UInt32 = 0x1
    private static let deleteOnClose: UInt32 = 0x1000
    /// Reads and writes larger than this are refused.
    private static let maximumTransfer = 64 << 20

    /// An errno as the NTSTATUS Windows would return.
    static func status(errno code: Int32) -> UInt32 {
        switch code {
        case ENOENT: NTStatus.objectNameNotFound
        case ENOTDIR: NTStatus.objectPathNotFound
        case EEXIST: NTStatus.objectNameCollision
        case EACCES, EPERM, ELOOP: NTStatus.accessDenied
        case EISDIR: NTStatus.fileIsADirectory
        case ENOTEMPTY: NTStatus.directoryNotEmpty
        case ENOSPC, EDQUOT: 0xC000_007F
        default: NTStatus.unsuccessful
        }
    }

    private func consoleObject(_ ntPath: String) -> FileObject? {
        let upper = ntPath.uppercased()
        if upper.hasSuffix("CONOUT$") {
            return FileObject(kind: .consoleOutput, guestPath: "\\Device\\ConDrv")
        }
        if upper.hasSuffix("CONIN$") {
            return FileObject(kind: .consoleInput, guestPath: "\\Device\\ConDrv")
        }
        return nil
    }

    private func openFile(
        _ call: ServiceCall, handlePointer: UInt64, access: UInt32, attributes: UInt64,
        statusBlock: UInt64, disposition: UInt32, options: UInt32
    ) throws(StatusError) -> ServiceOutcome {
        guard let name = try objectName(attributes) else {
            return .complete(NTStatus.objectNameInvalid)
        }
        guard try readU64(attributes + 8) == 0 else {
            // Paths relative to a directory handle are not supported.
            return .complete(NTStatus.objectPathNotFound)
        }
        if let console = consoleObject(name) {
            try insertHandle(console, at: handlePointer)
            try writeIOStatus(statusBlock, status: 0, information: 1)
            return .complete(0)
        }
        let (host, guest) = try sandbox.hostPath(for: name)
        let readAccess = access & (Self.genericRead | Self.genericAll | Self.fileReadData) != 0
        let writeAccess =
            access
            & (Self.genericWrite | Self.genericAll | Self.fileWriteData | Self.fileAppendData) != 0
        var flags: Int32 = O_CLOEXEC | O_NOFOLLOW
        flags |= readAccess && writeAccess ? O_RDWR : writeAccess ? O_WRONLY : O_RDONLY
        var information: UInt64 = 1
        let exists = access_check(host)
        if options & Self.directoryFile != 0 {
            if disposition == 2 || (disposition == 3 && !exists) {
                guard mkdir(host, 0o755) == 0 else { return .complete(Self.status(errno: errno)) }
                information = 2
            }
            let descriptor = Glibc.open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { return .complete(Self.status(errno: errno)) }
            let object = FileObject(
                kind: .file(descriptor: descriptor, hostPath: host), guestPath: guest)
            try insertHandle(object, at: handlePointer)
            try writeIOStatus(statusBlock, status: 0, information: information)
            return .complete(0)
        }
        switch disposition {
        case 0:  // FILE_SUPERSEDE
            flags |= O_CREAT | O_TRUNC
            information = exists ? 0 : 2
        case 1:  // FILE_OPEN
            information = 1
        case 2:  // FILE_CREATE
            flags |= O_CREAT | O_EXCL
            information = 2
        case 3:  // FILE_OPEN_IF
            flags |= O_CREAT
            information = exists ? 1 : 2
        case 4:  // FILE_OVERWRITE
            flags |= O_TRUNC
            information = 3
        case 5:  // FILE_OVERWRITE_IF
            flags |= O_CREAT | O_TRUNC
            information = exists ? 3 : 2
        default:
            return .complete(NTStatus.invalidParameter)
        }
        if flags & O_TRUNC != 0, flags & O_ACCMODE == O_RDONLY {
            flags = (flags & ~O_ACCMODE) | O_RDWR
        }
        let descriptor = Glibc.open(host, flags, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT, !access_check(PathText.parent(of: host)) {
                return .complete(NTStatus.objectPathNotFound)
            }
            return .complete(Self.status(errno: code))
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, options & 0x40 != 0 {
            Glibc.close(descriptor)
            return .complete(NTStatus.fileIsADirectory)
        }
        let object = FileObject(
            kind: .file(descriptor: descriptor, hostPath: host), guestPath: guest)
        object.deleteOnClose = options & Self.deleteOnClose != 0
        object.appendOnly =
            access & Self.fileAppendData != 0 && access & Self.fileWriteData == 0
            && access & (Self.genericWrite | Self.genericAll) == 0
        try insertHandle(object, at: handlePointer)
        try writeIOStatus(statusBlock, status: 0, information: information)
        return .complete(0)
    }

    private func access_check(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    func ntCreateFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try openFile(
            call, handlePointer: try call.argument(0), access: try call.argument32(1),
            attributes: try call.argument(2), statusBlock: try call.argument(3),
            disposition: try call.argument32(7), options: try call.argument32(8))
    }

    func ntOpenFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        try openFile(
            call, handlePointer: try call.argument(0), access: try call.argument32(1),
            attributes: try call.argument(2), statusBlock: try call.argument(3), disposition: 1,
            options: try call.argument32(5))
    }

    /// The offset a read or write uses: the explicit one, or the file position.
    private func offset(_ file: FileObject, pointer: UInt64) throws(StatusError) -> UInt64 {
        guard pointer != 0 else { return file.position }
        let value = try readU64(pointer)
        // FILE_USE_FILE_POINTER_POSITION (-2) and FILE_WRITE_TO_END_OF_FILE (-1).
        if value == UInt64.max - 1 { return file.position }
        return value
    }

    func ntReadFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let file = try object(try call.argument(0), as: FileObject.self)
        let statusBlock = try call.argument(4)
        let buffer = try call.argument(5)
        let length = Int(min(try call.argument32(6), UInt32(Self.maximumTransfer)))
        let offsetPointer = try call.argument(7)
        switch file.kind {
        case .consoleInput:
            let input = options.standardInput ?? []
            guard standardInputOffset < input.count else {
                try writeIOStatus(statusBlock, status: NTStatus.endOfFile, information: 0)
                return .complete(NTStatus.endOfFile)
            }
            let chunk = Array(
                input[standardInputOffset..<min(input.count, standardInputOffset + length)])
            try writeGuest(buffer, chunk)
            standardInputOffset += chunk.count
            try writeIOStatus(statusBlock, status: 0, information: UInt64(chunk.count))
            return .complete(0)
        case .consoleOutput, .consoleError:
            return .complete(NTStatus.invalidParameter)
        case .file(let descriptor, _):
            let start = try offset(file, pointer: offsetPointer)
            var bytes = [UInt8](repeating: 0, count: length)
            let count = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, length, off_t(start))
            }
            guard count >= 0 else { return .complete(Self.status(errno: errno)) }
            if count == 0 && length > 0 {
                try writeIOStatus(statusBlock, status: NTStatus.endOfFile, information: 0)
                return .complete(NTStatus.endOfFile)
            }
            try writeGuest(buffer, Array(bytes.prefix(count)))
            file.position = start + UInt64(count)
            try writeIOStatus(statusBlock, status: 0, information: UInt64(count))
            return .complete(0)
        }
    }

    func ntWriteFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let file = try object(try call.argument(0), as: FileObject.self)
        let statusBlock = try call.argument(4)
        let buffer = try call.argument(5)
        let length = Int(min(try call.argument32(6), UInt32(Self.maximumTransfer)))
        let offsetPointer = try call.argument(7)
        let bytes = try readGuest(buffer, count: length)
        switch file.kind {
        case .consoleOutput, .consoleError:
            options.consoleOutput?(
                ConsoleOutput(
                    stream: file.kind == .consoleError ? .error : .output, bytes: bytes,
                    clock: clock))
            try writeIOStatus(statusBlock, status: 0, information: UInt64(bytes.count))
            return .complete(0)
        case .consoleInput:
            return .complete(NTStatus.invalidParameter)
        case .file(let descriptor, _):
            var start = try offset(file, pointer: offsetPointer)
            var toEnd = false
            if offsetPointer != 0 { toEnd = try readU64(offsetPointer) == UInt64.max }
            if toEnd || file.appendOnly {
                var info = stat()
                if fstat(descriptor, &info) == 0 { start = UInt64(info.st_size) }
            }
            let count = bytes.withUnsafeBytes {
                pwrite(descriptor, $0.baseAddress, bytes.count, off_t(start))
            }
            guard count >= 0 else { return .complete(Self.status(errno: errno)) }
            file.position = start + UInt64(count)
            try writeIOStatus(statusBlock, status: 0, information: UInt64(count))
            return .complete(0)
        }
    }

    /// FILETIME of a host time.
    private static func fileTime(_ time: timespec) -> UInt64 {
        let seconds = UInt64(max(0, time.tv_sec)) + 11_644_473_600
        return seconds * 10_000_000 + UInt64(max(0, time.tv_nsec)) / 100
    }

    /// FILE_BASIC_INFORMATION (times and attributes) of a host file.
    private static func basicInformation(_ info: stat) -> [UInt8] {
        var basic = StructBuilder(size: 0x28)
        basic.put(fileTime(info.st_ctim), at: 0)
        basic.put(fileTime(info.st_atim), at: 8)
        basic.put(fileTime(info.st_mtim), at: 0x10)
        basic.put(fileTime(info.st_ctim), at: 0x18)
        basic.put(UInt32(info.st_mode & S_IFMT == S_IFDIR ? 0x10 : 0x80), at: 0x20)
        return basic.bytes
    }

    func ntQueryInformationFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let file = try object(try call.argument(0), as: FileObject.self)
        let statusBlock = try call.argument(1)
        let buffer = try call.argument(2)
        let length = try call.argument32(3)
        let informationClass = try call.argument32(4)
        var info = stat()
        if case .file(let descriptor, _) = file.kind {
            guard fstat(descriptor, &info) == 0 else { return .complete(Self.status(errno: errno)) }
        }
        let bytes: [UInt8]
        switch informationClass {
        case 4:
            bytes = Self.basicInformation(info)
        case 5:
            var standard = StructBuilder(size: 0x18)
            standard.put(UInt64((Int64(info.st_size) + 0xFFF) & ~0xFFF), at: 0)
            standard.put(UInt64(max(0, info.st_size)), at: 8)
            standard.put(UInt32(1), at: 0x10)
            standard.put(UInt8(file.deleteOnClose ? 1 : 0), at: 0x14)
            standard.put(UInt8(info.st_mode & S_IFMT == S_IFDIR ? 1 : 0), at: 0x15)
            bytes = standard.bytes
        case 14:
            bytes = withUnsafeBytes(of: file.position.littleEndian) { Array($0) }
        default:
            return .complete(NTStatus.invalidInfoClass)
        }
        guard Int(length) >= bytes.count else { return .complete(NTStatus.infoLengthMismatch) }
        try writeGuest(buffer, bytes)
        try writeIOStatus(statusBlock, status: 0, information: UInt64(bytes.count))
        return .complete(0)
    }

    func ntSetInformationFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let file = try object(try call.argument(0), as: FileObject.self)
        let statusBlock = try call.argument(1)
        let buffer = try call.argument(2)
        let length = try call.argument32(3)
        let informationClass = try call.argument32(4)
        guard case .file(let descriptor, let host) = file.kind else {
            return .complete(informationClass == 14 ? 0 : NTStatus.invalidHandle)
        }
        switch informationClass {
        case 14:
            file.position = try readU64(buffer)
        case 20:
            guard ftruncate(descriptor, off_t(Int64(bitPattern: try readU64(buffer)))) == 0 else {
                return .complete(Self.status(errno: errno))
            }
        case 13:
            file.deleteOnClose = try readGuest(buffer, count: 1)[0] != 0
        case 10:
            guard length >= 0x14 else { return .complete(NTStatus.infoLengthMismatch) }
            let replace = try readGuest(buffer, count: 1)[0] != 0
            let nameLength = Int(try readU32(buffer + 0x10))
            guard nameLength <= 0x10000 else { return .complete(NTStatus.objectNameInvalid) }
            let nameBytes = try readGuest(buffer + 0x14, count: nameLength & ~1)
            let units = stride(from: 0, to: nameBytes.count, by: 2).map {
                UInt16(nameBytes[$0]) | UInt16(nameBytes[$0 + 1]) << 8
            }
            let (target, _) = try sandbox.hostPath(for: String(decoding: units, as: UTF16.self))
            if !replace, access_check(target) { return .complete(NTStatus.objectNameCollision) }
            guard rename(host, target) == 0 else { return .complete(Self.status(errno: errno)) }
        default:
            return .complete(NTStatus.invalidInfoClass)
        }
        try writeIOStatus(statusBlock, status: 0, information: 0)
        return .complete(0)
    }

    func ntQueryAttributesFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        guard let name = try objectName(try call.argument(0)) else {
            return .complete(NTStatus.objectNameInvalid)
        }
        let buffer = try call.argument(1)
        let (host, _) = try sandbox.hostPath(for: name)
        var info = stat()
        guard lstat(host, &info) == 0 else { return .complete(Self.status(errno: errno)) }
        try writeGuest(buffer, Self.basicInformation(info))
        return .complete(0)
    }

    func ntDeleteFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        guard let name = try objectName(try call.argument(0)) else {
            return .complete(NTStatus.objectNameInvalid)
        }
        let (host, _) = try sandbox.hostPath(for: name)
        var info = stat()
        guard lstat(host, &info) == 0 else { return .complete(Self.status(errno: errno)) }
        let result = info.st_mode & S_IFMT == S_IFDIR ? rmdir(host) : unlink(host)
        return .complete(result == 0 ? 0 : Self.status(errno: errno))
    }

    func ntFlushBuffersFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        _ = try object(try call.argument(0), as: FileObject.self)
        try writeIOStatus(try call.argument(1), status: 0, information: 0)
        return .complete(0)
    }

    func ntQueryVolumeInformationFile(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let file = try object(try call.argument(0), as: FileObject.self)
        let statusBlock = try call.argument(1)
        let buffer = try call.argument(2)
        let length = try call.argument32(3)
        let informationClass = try call.argument32(4)
        guard informationClass == 4 else { return .complete(NTStatus.invalidInfoClass) }
        guard length >= 8 else { return .complete(NTStatus.infoLengthMismatch) }
        var device = StructBuilder(size: 8)
        device.put(UInt32(file.isConsole ? 0x50 : 0x07), at: 0)
        try writeGuest(buffer, device.bytes)
        try writeIOStatus(statusBlock, status: 0, information: 8)
        return .complete(0)
    }
}
