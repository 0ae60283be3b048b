import Foundation
import Glibc

/// What leadctl prints that a sender controls (names, reasons, file names, raw captures) never
/// reaches the terminal as control characters: an escape sequence in a lead's name could rewrite
/// the screen, hide text or set the window title. Controls become visible `\u{1B}`-style escapes;
/// line breaks and tabs stay where text has lines.
enum TerminalSafe {
    static func text(_ text: String, keepingLines: Bool = false) -> String {
        var clean = true
        for scalar in text.unicodeScalars where isControl(scalar) && !(keepingLines && (scalar == "\n" || scalar == "\t")) {
            clean = false
            break
        }
        if clean { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar), !(keepingLines && (scalar == "\n" || scalar == "\t")) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Raw bytes (a mail file, a webhook body): exactly as they are into a pipe or file, escaped
    /// for a terminal (decoded as UTF-8, invalid bytes shown as U+FFFD; CR/LF line ends kept).
    static func writeRaw(_ bytes: [UInt8]) {
        if isatty(STDOUT_FILENO) == 1 {
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            FileHandle.standardOutput.write(Data(Self.text(text, keepingLines: true).utf8))
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
