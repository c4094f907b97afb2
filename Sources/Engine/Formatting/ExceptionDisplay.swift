/// The text of exception records and events.
public enum ExceptionDisplay {
    /// The `.exr` block.
    public static func recordLines(
        _ record: ExceptionRecord, pointerSize: Int, platform: TargetSystem.Platform?,
        symbolize: (UInt64) -> (name: String, offset: UInt64)?
    ) -> [String] {
        let width = pointerSize * 2
        var address = "ExceptionAddress: " + Hex.pointer(record.address, size: pointerSize)
        if let symbol = symbolize(record.address) {
            address += " (\(symbol.name)+0x\(Hex.digits(symbol.offset, width: width)))"
        }
        var lines = [
            address,
            "   ExceptionCode: \(Hex.digits(UInt64(record.code), width: 8)) "
                + "(\(ExceptionNames.description(of: record.code, platform: platform)))",
            "  ExceptionFlags: \(Hex.digits(UInt64(record.flags), width: 8))",
            "NumberParameters: \(record.parameters.count)",
        ]
        for (index, parameter) in record.parameters.enumerated() {
            lines.append("   Parameter[\(index)]: \(Hex.pointer(parameter, size: pointerSize))")
        }
        if let explanation = explanation(record, pointerSize: pointerSize, platform: platform) {
            lines.append(explanation)
        }
        return lines
    }

    /// The line CDB adds under an access violation or a fast fail.
    public static func explanation(
        _ record: ExceptionRecord, pointerSize: Int, platform: TargetSystem.Platform?
    ) -> String? {
        switch platform {
        case .linux?, .android?, .macOS?, .iOS?: return nil
        default: break
        }
        if record.code == 0xC000_0005 || record.code == 0xC000_0006, record.parameters.count >= 2 {
            let target = Hex.pointer(record.parameters[1], size: pointerSize)
            switch record.parameters[0] {
            case 0: return "Attempt to read from address \(target)"
            case 1: return "Attempt to write to address \(target)"
            case 8: return "Attempt to execute non-executable address \(target)"
            default: return nil
            }
        }
        if record.code == 0xC000_0409, let code = record.parameters.first {
            let name = FastFailCodes.name(code).map { " \($0)" } ?? ""
            return "   Subcode: 0x\(String(code, radix: 16))\(name)"
        }
        return nil
    }

    /// `(490.530): Access violation - code c0000005 (first/second chance not available)`.
    public static func eventLine(_ event: TargetEvent, platform: TargetSystem.Platform?) -> String {
        "(\(String(event.processID, radix: 16)).\(String(event.threadID, radix: 16))): "
            + eventDescription(event, platform: platform)
    }

    /// `Access violation - code c0000005 (first/second chance not available)`.
    public static func eventDescription(_ event: TargetEvent, platform: TargetSystem.Platform?)
        -> String
    {
        let chance: String
        switch event.firstChance {
        case true?: chance = "(first chance)"
        case false?: chance = "(!!! second chance !!!)"
        case nil: chance = "(first/second chance not available)"
        }
        return "\(ExceptionNames.description(of: event.exception.code, platform: platform)) - code "
            + "\(Hex.digits(UInt64(event.exception.code), width: 8)) \(chance)"
    }
}
