import Foundation

/// Zip files made byte by byte, with a deflate stream written by hand: a member that inflates to gigabytes of zeros
/// from a file of a few hundred KiB, without the test ever holding (or compressing) the zeros.
enum ZipBombs {
  /// Writes a zip with a stored `_chat.txt` and one deflated member of `matchCount` runs of 258 zeros, with a
  /// literal zero after every `literalEvery` runs (nil: none, the densest deflate gets, about 1,032:1).
  /// Returns the zip's URL and the member's inflated size.
  static func zip(
    in folder: URL, chat: [UInt8], member: String, matchCount: Int, literalEvery: Int? = nil
  ) throws -> (url: URL, inflatedByteCount: Int) {
    let (stream, size) = zeros(matchCount: matchCount, literalEvery: literalEvery)
    var file: [UInt8] = []
    var central: [UInt8] = []
    var count: UInt16 = 0
    func add(_ name: String, method: UInt16, data: [UInt8], crc: UInt32, size: Int) {
      let offset = UInt32(file.count)
      let nameBytes = Array(name.utf8)
      file += le32(0x0403_4B50) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0x21)
      file += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(size)) + le16(UInt16(nameBytes.count)) + le16(0)
      file += nameBytes + data
      central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0x21)
      central += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(size)) + le16(UInt16(nameBytes.count))
      central += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
      count += 1
    }
    add("_chat.txt", method: 0, data: chat, crc: crc32(chat), size: chat.count)
    add(member, method: 8, data: stream, crc: crc32OfZeros(size), size: size)
    let centralOffset = UInt32(file.count)
    file += central
    file += le32(0x0605_4B50) + le16(0) + le16(0) + le16(count) + le16(count) + le32(UInt32(central.count))
    file += le32(centralOffset) + le16(0)
    let url = folder.appendingPathComponent("Export.zip")
    try Data(file).write(to: url)
    return (url, size)
  }

  /// A raw deflate stream (one dynamic-Huffman block) of a literal zero, then `matchCount` matches of length 258
  /// at distance 1, each two bits; returns it and how many bytes it inflates to.
  static func zeros(matchCount: Int, literalEvery: Int?) -> (stream: [UInt8], inflatedByteCount: Int) {
    var bits = BitWriter()
    bits.write(1, 1)  // BFINAL
    bits.write(2, 2)  // BTYPE: dynamic Huffman
    bits.write(29, 5)  // HLIT: 286 literal/length codes
    bits.write(0, 5)  // HDIST: 1 distance code
    bits.write(14, 4)  // HCLEN: 18 code length codes
    // Code length code lengths in their order 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1:
    // 18 (a run of zeros) gets 1 bit, 1 and 2 get 2 bits.
    for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { bits.write(UInt64(length), 3) }
    // Canonical codes: 18 → 0, 1 → 10, 2 → 11.
    func code(_ symbol: Int) {
      switch symbol {
      case 18: bits.writeCode(0b0, 1)
      case 1: bits.writeCode(0b10, 2)
      default: bits.writeCode(0b11, 2)
      }
    }
    func zeroRun(_ count: Int) {
      code(18)
      bits.write(UInt64(count - 11), 7)
    }
    // Literal/length lengths: 0 → 2, 1…255 → 0, 256 → 2, 257…284 → 0, 285 → 1; the distance code 0 → 1.
    code(2)
    zeroRun(138)
    zeroRun(117)
    code(2)
    zeroRun(28)
    code(1)
    code(1)
    // Canonical codes: 285 → 0, literal 0 → 10, end of block 256 → 11; distance 0 → 0.
    var size = 1
    bits.writeCode(0b10, 2)
    for match in 1...matchCount {
      bits.write(0, 2)  // length 258, distance 1
      size += 258
      if let literalEvery, match % literalEvery == 0 {
        bits.writeCode(0b10, 2)
        size += 1
      }
    }
    bits.writeCode(0b11, 2)
    return (bits.finish(), size)
  }

  /// Bits packed least significant first, as deflate wants.
  struct BitWriter {
    private var bytes: [UInt8] = []
    private var pending: UInt64 = 0
    private var pendingCount = 0

    mutating func write(_ value: UInt64, _ count: Int) {
      pending |= value << pendingCount
      pendingCount += count
      while pendingCount >= 8 {
        bytes.append(UInt8(truncatingIfNeeded: pending))
        pending >>= 8
        pendingCount -= 8
      }
    }

    /// A Huffman code, written from its most significant bit.
    mutating func writeCode(_ code: UInt64, _ length: Int) {
      var reversed: UInt64 = 0
      for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
      write(reversed, length)
    }

    mutating func finish() -> [UInt8] {
      if pendingCount > 0 { bytes.append(UInt8(truncatingIfNeeded: pending)) }
      return bytes
    }
  }

  static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

  /// CRC-32 (the zip one) of `bytes`.
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
  }

  /// CRC-32 of `count` zero bytes, by squaring the one-zero-bit step (as zlib's crc32_combine does).
  static func crc32OfZeros(_ count: Int) -> UInt32 {
    func times(_ matrix: [UInt32], _ vector: UInt32) -> UInt32 {
      var sum: UInt32 = 0
      var vector = vector
      var row = 0
      while vector != 0 {
        if vector & 1 != 0 { sum ^= matrix[row] }
        vector >>= 1
        row += 1
      }
      return sum
    }
    func square(_ matrix: [UInt32]) -> [UInt32] { matrix.map { times(matrix, $0) } }
    var step = [UInt32](repeating: 0, count: 32)  // one zero bit
    step[0] = 0xEDB8_8320
    for row in 1..<32 { step[row] = 1 << (row - 1) }
    for _ in 0..<3 { step = square(step) }  // one zero byte
    var register: UInt32 = 0xFFFF_FFFF
    var remaining = count
    while remaining > 0 {
      if remaining & 1 != 0 { register = times(step, register) }
      remaining >>= 1
      if remaining > 0 { step = square(step) }
    }
    return register ^ 0xFFFF_FFFF
  }
}
