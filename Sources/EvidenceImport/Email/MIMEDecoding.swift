import Foundation

/// Turns bytes in a declared charset into text, for the charsets mail uses in practice.
enum MailCharset {
  /// The Foundation encoding for a charset name, or nil when this reader does not know the charset.
  static func encoding(_ name: String) -> String.Encoding? {
    switch name.trimmingCharacters(in: .whitespaces).lowercased() {
    case "utf-8", "utf8": .utf8
    case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819": .isoLatin1
    case "windows-1252", "cp1252", "x-cp1252": .windowsCP1252
    case "us-ascii", "ascii", "ansi_x3.4-1968": .ascii
    default: nil
    }
  }

  /// The text of `bytes` read in `charset`; unknown charsets are read as UTF-8 with replacement characters.
  ///
  /// Bytes the charset cannot hold never fail the import: with no charset declared, or an 8-bit byte in
  /// "us-ascii", the bytes are read as UTF-8 when they are valid UTF-8 and as ISO-8859-1 otherwise; broken UTF-8
  /// gets replacement characters; windows-1252's five unused bytes are read as ISO-8859-1.
  static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, charset: String?) -> String {
    guard let charset else { return header(bytes) }
    guard let encoding = encoding(charset) else { return String(decoding: bytes, as: UTF8.self) }
    if let text = String(bytes: bytes, encoding: encoding) {
      return text
    }
    switch encoding {
    case .windowsCP1252, .isoLatin1: return latin1(bytes)
    case .ascii: return header(bytes)
    default: return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// Reads every byte as the code point of the same number (ISO-8859-1), which never fails.
  static func latin1<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
    var text = String.UnicodeScalarView()
    text.append(contentsOf: bytes.map { Unicode.Scalar($0) })
    return String(text)
  }

  /// Reads header bytes: UTF-8 when they are valid UTF-8 (RFC 6532), otherwise ISO-8859-1.
  static func header<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
    String(bytes: bytes, encoding: .utf8) ?? latin1(bytes)
  }
}

/// Undoes the Content-Transfer-Encodings: base64, quoted-printable and the identity ones.
enum TransferDecoding {
  /// The value of one base64 digit, or nil for a byte that is not one.
  private static func base64Value(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): 62
    case UInt8(ascii: "/"): 63
    default: nil
    }
  }

  /// Decodes base64, skipping whitespace; nil when any other byte is not base64 or the digits do not make bytes.
  ///
  /// Missing "=" padding at the end is accepted (many mailers drop it); digits after padding are not.
  static func base64<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8]? {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count / 4 * 3)
    var quad: UInt32 = 0
    var digits = 0
    var padding = 0
    for byte in bytes {
      switch byte {
      case 0x20, 0x09, 0x0D, 0x0A, 0x0B, 0x0C:
        continue
      case UInt8(ascii: "="):
        padding += 1
        if padding > 2 { return nil }
      default:
        guard padding == 0, let value = base64Value(byte) else { return nil }
        quad = quad << 6 | UInt32(value)
        digits += 1
        if digits == 4 {
          output.append(UInt8(quad >> 16 & 0xFF))
          output.append(UInt8(quad >> 8 & 0xFF))
          output.append(UInt8(quad & 0xFF))
          quad = 0
          digits = 0
        }
      }
    }
    switch digits {
    case 0:
      guard padding == 0 else { return nil }
    case 2:
      guard padding == 0 || padding == 2 else { return nil }
      output.append(UInt8(quad >> 4 & 0xFF))
    case 3:
      guard padding <= 1 else { return nil }
      output.append(UInt8(quad >> 10 & 0xFF))
      output.append(UInt8(quad >> 2 & 0xFF))
    default:
      return nil
    }
    return output
  }

  /// The value of one hexadecimal digit (either case), or nil.
  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }

  /// Decodes quoted-printable: "=XX" becomes the byte, "=" at a line end (a soft line break) goes away.
  ///
  /// Everything else is kept as it is, including spaces at a line end and an "=" not followed by hex digits,
  /// so that nothing the sender wrote is lost.
  static func quotedPrintable<Bytes: Collection<UInt8>>(_ input: Bytes) -> [UInt8] {
    let bytes = Array(input)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "=") else {
        output.append(byte)
        index += 1
        continue
      }
      if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
        output.append(high << 4 | low)
        index += 3
        continue
      }
      // A soft line break: "=", perhaps trailing blanks an encoder left, then CRLF, LF or the end.
      var next = index + 1
      while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
      if next == bytes.count {
        index = next
      } else if bytes[next] == 0x0A {
        index = next + 1
      } else if bytes[next] == 0x0D, next + 1 < bytes.count, bytes[next + 1] == 0x0A {
        index = next + 2
      } else {
        output.append(byte)
        index += 1
      }
    }
    return output
  }

  /// Replaces each CRLF with LF (a lone CR is kept), for the text only.
  static func normalisingLineEndings(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n")
  }
}
