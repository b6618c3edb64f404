/// Standard base64 (RFC 4648 §4) as age uses it: unpadded and canonical in the header, padded in the armor.
///
/// Decoders refuse anything an encoder would not write: characters outside the alphabet, `=` where it does not
/// belong, and leftover bits that are not zero (RFC 4648 §3.5), so that one file has exactly one encoding.
enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  private static let values: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
    return table
  }()

  /// Whether `byte` is one of the 64 characters of the standard alphabet.
  static func isAlphabet(_ byte: UInt8) -> Bool { values[Int(byte)] != 0xFF }

  /// Unpadded encoding.
  static func encode(_ bytes: some Collection<UInt8>, padded: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var iterator = bytes.makeIterator()
    while let first = iterator.next() {
      let second = iterator.next()
      let third = second == nil ? nil : iterator.next()
      let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
      out.append(alphabet[Int(group >> 18 & 63)])
      out.append(alphabet[Int(group >> 12 & 63)])
      if second != nil { out.append(alphabet[Int(group >> 6 & 63)]) } else if padded { out.append(UInt8(ascii: "=")) }
      if third != nil { out.append(alphabet[Int(group & 63)]) } else if padded { out.append(UInt8(ascii: "=")) }
    }
    return out
  }

  /// Decodes canonical unpadded base64; nil for any other input (padding, stray characters, non-zero trailing bits).
  static func decodeUnpadded(_ text: some Collection<UInt8>) -> [UInt8]? {
    let characters = Array(text)
    if characters.count % 4 == 1 { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(characters.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for character in characters {
      let value = values[Int(character)]
      guard value != 0xFF else { return nil }
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        accumulator &= (1 << UInt32(bits)) - 1
      }
    }
    // Canonical: the bits left over after the last whole byte must be zero.
    guard accumulator == 0 else { return nil }
    return out
  }

  /// Decodes canonical padded base64 (length a multiple of four, `=` only at the end and only as needed).
  static func decodePadded(_ text: some Collection<UInt8>) -> [UInt8]? {
    let characters = Array(text)
    guard characters.count % 4 == 0 else { return nil }
    var body = characters[...]
    var padding = 0
    while body.last == UInt8(ascii: "="), padding < 2 {
      body.removeLast()
      padding += 1
    }
    guard !body.contains(UInt8(ascii: "=")) else { return nil }
    if padding > 0, body.count % 4 != 4 - padding { return nil }
    return decodeUnpadded(body)
  }
}
