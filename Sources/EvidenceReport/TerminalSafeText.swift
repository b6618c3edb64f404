/// Text that came from a file or from a person, made safe to print on a terminal.
///
/// A file name, a message or an EXIF camera name can hold control characters: an ESC sequence that moves the
/// cursor, changes colours or clears the screen, a carriage return that overwrites a line, a line break that
/// fakes one (`evidence: error: …`). Printed through here, each control character is shown as a visible escape
/// instead of acting on the terminal: ESC as `\e`, line break, carriage return and tab as `\n`, `\r` and `\t`,
/// any other C0 character and DEL as `\xHH`, a C1 character (U+0080–U+009F, which some terminals also obey) as
/// `\u{HH}`. Everything else, every script and emoji, is left as it is.
public enum TerminalSafeText {
  /// One line: every control character escaped, line breaks and tabs included.
  public static func line(_ text: some StringProtocol) -> String {
    escaped(text, keepingLineBreaks: false)
  }

  /// A text of several lines (a narrative, a message): line breaks and tabs kept, every other control escaped.
  public static func text(_ text: some StringProtocol) -> String {
    escaped(text, keepingLineBreaks: true)
  }

  /// True when `text` holds no character that `line(_:)` would escape.
  public static func isSafeLine(_ text: some StringProtocol) -> Bool {
    !text.unicodeScalars.contains(where: isControl)
  }

  static func escaped(_ text: some StringProtocol, keepingLineBreaks: Bool) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return String(text) }
    var result = ""
    result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0A where keepingLineBreaks, 0x09 where keepingLineBreaks: result.unicodeScalars.append(scalar)
      case 0x1B: result += "\\e"
      case 0x0A: result += "\\n"
      case 0x0D: result += "\\r"
      case 0x09: result += "\\t"
      case 0x00...0x1F, 0x7F: result += "\\x" + hex(scalar.value)
      case 0x80...0x9F: result += "\\u{" + hex(scalar.value).uppercased() + "}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return digits.count < 2 ? "0" + digits : digits
  }
}
