/// Bech32 (BIP 173) as age uses it: no length limit, one case throughout, checksum over the lowercase string.
enum Bech32 {
  private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
  private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

  private static func polymod(_ values: [UInt8]) -> UInt32 {
    var checksum: UInt32 = 1
    for value in values {
      let top = checksum >> 25
      checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
      for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 { checksum ^= generator[index] }
    }
    return checksum
  }

  private static func expand(_ hrp: [UInt8]) -> [UInt8] {
    hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
  }

  /// Regroups bits from `from`-bit to `to`-bit words; nil when `pad` is false and the leftover is not zero padding.
  private static func convert(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
    var accumulator = 0
    var bits = 0
    var out: [UInt8] = []
    let mask = (1 << to) - 1
    for value in data {
      accumulator = accumulator << from | Int(value)
      bits += from
      while bits >= to {
        bits -= to
        out.append(UInt8(accumulator >> bits & mask))
      }
      accumulator &= (1 << bits) - 1
    }
    if pad {
      if bits > 0 { out.append(UInt8(accumulator << (to - bits) & mask)) }
    } else if bits >= from || accumulator != 0 {
      return nil
    }
    return out
  }

  /// Encodes `data` under the human-readable part `hrp` (given in the case wanted: all upper or all lower).
  static func encode(hrp: String, data: [UInt8]) -> String {
    let lowerHRP = Array(hrp.lowercased().utf8)
    let words = convert(data, from: 8, to: 5, pad: true) ?? []
    let check = polymod(expand(lowerHRP) + words + [0, 0, 0, 0, 0, 0]) ^ 1
    var out = lowerHRP + [UInt8(ascii: "1")] + words.map { charset[Int($0)] }
    for index in 0..<6 { out.append(charset[Int(check >> UInt32(5 * (5 - index)) & 31)]) }
    let text = String(decoding: out, as: UTF8.self)
    return hrp == hrp.uppercased() && hrp != hrp.lowercased() ? text.uppercased() : text
  }

  /// Decodes a Bech32 string into its lowercase human-readable part and data; nil if it is not valid Bech32.
  static func decode(_ bytes: [UInt8]) -> (hrp: String, data: [UInt8])? {
    guard bytes.allSatisfy({ (33...126).contains($0) }) else { return nil }
    let hasLower = bytes.contains { (97...122).contains($0) }
    let hasUpper = bytes.contains { (65...90).contains($0) }
    guard !(hasLower && hasUpper) else { return nil }
    let lower = bytes.map { (65...90).contains($0) ? $0 + 32 : $0 }
    guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator >= 1, lower.count - separator - 1 >= 6
    else { return nil }
    let hrp = Array(lower[..<separator])
    var words: [UInt8] = []
    for character in lower[(separator + 1)...] {
      guard let value = charset.firstIndex(of: character) else { return nil }
      words.append(UInt8(value))
    }
    guard polymod(expand(hrp) + words) == 1 else { return nil }
    guard let data = convert(Array(words.dropLast(6)), from: 5, to: 8, pad: false) else { return nil }
    return (String(decoding: hrp, as: UTF8.self), data)
  }
}
