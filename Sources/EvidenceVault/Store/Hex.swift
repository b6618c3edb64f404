/// Lowercase hexadecimal, the one way bytes are written into the vault's JSON.
enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  /// Hex of `bytes`.
  static func encode(_ bytes: some Sequence<UInt8>) -> String {
    var characters: [UInt8] = []
    for byte in bytes {
      characters.append(digits[Int(byte >> 4)])
      characters.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: characters, as: UTF8.self)
  }

  /// Bytes of `text`, or nil unless it is lowercase hex (the only form we write) of exactly `byteCount` bytes (any length if nil).
  static func decode(_ text: String, byteCount: Int? = nil) -> [UInt8]? {
    let characters = Array(text.utf8)
    guard characters.count % 2 == 0 else { return nil }
    if let byteCount, characters.count != byteCount * 2 { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(characters.count / 2)
    var index = 0
    while index < characters.count {
      guard let high = value(characters[index]), let low = value(characters[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
      index += 2
    }
    return bytes
  }

  private static func value(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}

/// Big-endian integers in byte strings (frame lengths, additional data).
extension Array where Element == UInt8 {
  mutating func appendBigEndian(_ value: UInt32) {
    append(contentsOf: [
      UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
      UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value),
    ])
  }

  mutating func appendBigEndian(_ value: UInt64) {
    appendBigEndian(UInt32(truncatingIfNeeded: value >> 32))
    appendBigEndian(UInt32(truncatingIfNeeded: value))
  }

  /// Appends a u32 big-endian length and then the bytes, so that fields cannot run into each other.
  mutating func appendField(_ bytes: some Collection<UInt8>) {
    appendBigEndian(UInt32(bytes.count))
    append(contentsOf: bytes)
  }
}
