import Foundation

/// Decodes RFC 2047 encoded words ("=?UTF-8?B?…?=", "=?ISO-8859-1?Q?…?=") in header text.
///
/// Whitespace between two adjacent encoded words goes away; whitespace between an encoded word and plain text
/// stays. Adjacent words in the same charset are joined as bytes before decoding, so a character split across
/// two words (as some mailers do with UTF-8) comes out whole. A malformed word is kept as it is written.
enum EncodedWords {
  /// The header text with every encoded word decoded.
  static func decode(_ text: String) -> String {
    guard text.contains("=?") else { return text }
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    var pending: (charset: String, bytes: [UInt8])?
    var gap: [UInt8] = []

    func flush() {
      if let word = pending {
        output.append(contentsOf: MailCharset.decode(word.bytes, charset: word.charset).utf8)
        pending = nil
      }
    }

    var index = 0
    while index < bytes.count {
      if let word = parseWord(bytes, at: index) {
        if let current = pending, current.charset == word.charset {
          pending = (current.charset, current.bytes + word.bytes)
        } else {
          flush()
          pending = (word.charset, word.bytes)
        }
        gap = []
        index = word.end
        continue
      }
      let byte = bytes[index]
      if pending != nil {
        if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
          gap.append(byte)
          index += 1
          continue
        }
        flush()
        output.append(contentsOf: gap)
        gap = []
      }
      output.append(byte)
      index += 1
    }
    flush()
    output.append(contentsOf: gap)
    return String(decoding: output, as: UTF8.self)
  }

  /// One encoded word starting at `start`: its charset (lowercased, language dropped), bytes and end index.
  private static func parseWord(_ bytes: [UInt8], at start: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
    let question = UInt8(ascii: "?")
    guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "="), bytes[start + 1] == question else {
      return nil
    }
    var index = start + 2
    let charsetStart = index
    while index < bytes.count, bytes[index] != question, bytes[index] > 0x20 { index += 1 }
    guard index < bytes.count, bytes[index] == question, index > charsetStart else { return nil }
    var charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self).lowercased()
    if let star = charset.firstIndex(of: "*") {
      charset = String(charset[..<star])
    }
    index += 1
    guard index + 1 < bytes.count, bytes[index + 1] == question else { return nil }
    let encoding = bytes[index] | 0x20
    guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
    index += 2
    let textStart = index
    while index + 1 < bytes.count, !(bytes[index] == question && bytes[index + 1] == UInt8(ascii: "=")) {
      if bytes[index] <= 0x20 { return nil }
      index += 1
    }
    guard index + 1 < bytes.count else { return nil }
    let encoded = bytes[textStart..<index]
    let decoded: [UInt8]
    if encoding == UInt8(ascii: "b") {
      guard let value = TransferDecoding.base64(encoded) else { return nil }
      decoded = value
    } else {
      decoded = qDecode(encoded)
    }
    return (charset, decoded, index + 2)
  }

  /// The "Q" encoding: "_" is a space, "=XX" a byte, anything else itself.
  private static func qDecode(_ encoded: ArraySlice<UInt8>) -> [UInt8] {
    let bytes = Array(encoded)
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "_") {
        output.append(0x20)
      } else if byte == UInt8(ascii: "="), index + 2 < bytes.count,
        let high = TransferDecoding.hexValue(bytes[index + 1]), let low = TransferDecoding.hexValue(bytes[index + 2])
      {
        output.append(high << 4 | low)
        index += 2
      } else {
        output.append(byte)
      }
      index += 1
    }
    return output
  }
}
