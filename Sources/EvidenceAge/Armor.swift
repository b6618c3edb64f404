/// The ASCII armor of age files: strict PEM (RFC 7468 §3) with the label `AGE ENCRYPTED FILE`.
///
/// Whitespace is allowed before and after the block and lines may end in LF or CRLF; nothing else is lenient:
/// no headers, no blank lines, no whitespace inside, lines of exactly 64 columns but the last, canonical padded base64.
enum AgeArmor {
  static let beginLine = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
  static let endLine = Array("-----END AGE ENCRYPTED FILE-----".utf8)
  /// Armored files are decoded in memory; larger ones are refused before they are read in full.
  static let maximumByteCount = 64 * 1024 * 1024

  private static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// Whether `prefix` (the first bytes of a file) looks like the start of an armored file.
  static func looksArmored(_ prefix: [UInt8]) -> Bool {
    guard let first = prefix.firstIndex(where: { !isWhitespace($0) }) else { return false }
    return prefix[first...].starts(with: Array("-----".utf8))
  }

  /// The binary age file inside the armor.
  static func decode(_ text: [UInt8]) throws(AgeError) -> [UInt8] {
    guard let first = text.firstIndex(where: { !isWhitespace($0) }),
      let last = text.lastIndex(where: { !isWhitespace($0) })
    else { throw AgeError.armor("the file is empty") }
    var lines = text[first...last].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      line.last == 0x0D ? line.dropLast() : line
    }
    guard lines.count >= 2, Array(lines.removeFirst()) == beginLine else {
      throw AgeError.armor("it does not start with the line -----BEGIN AGE ENCRYPTED FILE-----")
    }
    guard Array(lines.removeLast()) == endLine else {
      throw AgeError.armor("it does not end with the line -----END AGE ENCRYPTED FILE-----")
    }
    var encoded: [UInt8] = []
    for (index, line) in lines.enumerated() {
      let isLast = index == lines.count - 1
      guard isLast ? (1...64).contains(line.count) : line.count == 64 else {
        throw AgeError.armor("a line is not 64 columns wide, or a line is empty")
      }
      encoded += line
    }
    guard let decoded = Base64.decodePadded(encoded) else {
      throw AgeError.armor("it is not canonical padded base64")
    }
    return decoded
  }

  /// The armored form of a binary age file (64-column lines, LF endings, a final LF).
  static func encode(_ binary: [UInt8]) -> [UInt8] {
    let text = Base64.encode(binary, padded: true)
    var out = beginLine + [0x0A]
    var offset = 0
    while offset < text.count {
      let end = min(offset + 64, text.count)
      out += text[offset..<end] + [0x0A]
      offset = end
    }
    return out + endLine + [0x0A]
  }
}
