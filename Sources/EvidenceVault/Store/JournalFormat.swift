/// The framing of `journal.log`, in its two versions (docs/FORMAT.md, "Journal").
///
/// **Version 1**: frames one after another from the first byte, each `u32be(L) ‖ 24-byte nonce ‖ ciphertext`, the
/// ciphertext XChaCha20-Poly1305 of the `sodium_pad`ded record with additional data
/// `"…record v1\0" ‖ vault id ‖ u64be(i) ‖ chain_(i-1)`. A change to one record breaks every frame after it.
///
/// **Version 2**: an 8-byte file magic, then frames `u32be(L) ‖ u64be(i) ‖ 24-byte nonce ‖ ciphertext`, the ciphertext
/// of `chain_(i-1) ‖ sodium_pad(record)` with additional data `"…record v2\0" ‖ vault id ‖ u64be(i)`. Each frame
/// authenticates on its own, so damage costs only the frames it touches; the chain value it carries lets the chain
/// go on past a lost record.
enum JournalFormat {
  enum Version: Int, Sendable {
    case v1 = 1
    case v2 = 2
  }

  static let lengthByteCount = 4
  static let sequenceByteCount = 8
  static let chainByteCount = 32
  static let maximumPaddedRecord = (RecordCodec.maximumRecordSize / Padding.blockSize + 1) * Padding.blockSize

  /// The first bytes of a version 2 journal. A version 1 journal starts with a frame length, whose first byte is
  /// always 0x00, so the two can never be confused.
  static let magicV2: [UInt8] = [0x45, 0x56, 0x4A, 0x32, 0x0D, 0x0A, 0x1A, 0x0A]  // "EVJ2" CR LF ^Z LF

  static let tagV1 = Array("evidence-journal record v1\0".utf8)
  static let tagV2 = Array("evidence-journal record v2\0".utf8)

  /// Where the first frame starts.
  static func firstFrameOffset(_ version: Version) -> Int { version == .v1 ? 0 : magicV2.count }

  /// The shortest and longest frame body (`L`, the bytes after the length field) a version allows.
  static func lengthRange(_ version: Version) -> ClosedRange<Int> {
    let overhead = overheadByteCount(version)
    return (overhead + Padding.blockSize)...(overhead + maximumPaddedRecord)
  }

  /// What a frame body holds besides the padded record.
  static func overheadByteCount(_ version: Version) -> Int {
    switch version {
    case .v1: AEAD.nonceByteCount + AEAD.tagByteCount
    case .v2: sequenceByteCount + AEAD.nonceByteCount + chainByteCount + AEAD.tagByteCount
    }
  }

  /// True for a length field that a frame of `version` can have.
  static func isPossibleLength(_ length: Int, _ version: Version) -> Bool {
    lengthRange(version).contains(length) && (length - overheadByteCount(version)) % Padding.blockSize == 0
  }

  /// The additional data of a version 1 frame: it binds the record to its vault, place and predecessor.
  static func associatedDataV1(vaultId: [UInt8], sequence: UInt64, previousChain: [UInt8]) -> [UInt8] {
    var bytes = tagV1
    bytes.append(contentsOf: vaultId)
    bytes.appendBigEndian(sequence)
    bytes.append(contentsOf: previousChain)
    return bytes
  }

  /// The additional data of a version 2 frame: it binds the record to its vault and place, and to nothing else.
  static func associatedDataV2(vaultId: [UInt8], sequence: UInt64) -> [UInt8] {
    var bytes = tagV2
    bytes.append(contentsOf: vaultId)
    bytes.appendBigEndian(sequence)
    return bytes
  }

  /// One sealed frame of `version`, ready to append.
  static func seal(
    recordBytes: [UInt8], version: Version, vaultId: [UInt8], sequence: UInt64, previousChain: [UInt8],
    key: borrowing SecretBytes
  ) -> [UInt8] {
    precondition(previousChain.count == chainByteCount)
    var frame: [UInt8] = []
    switch version {
    case .v1:
      let associatedData = associatedDataV1(vaultId: vaultId, sequence: sequence, previousChain: previousChain)
      let (nonce, ciphertext) = AEAD.seal(Padding.pad(recordBytes), associatedData: associatedData, key: key)
      frame.reserveCapacity(lengthByteCount + nonce.count + ciphertext.count)
      frame.appendBigEndian(UInt32(nonce.count + ciphertext.count))
      frame.append(contentsOf: nonce)
      frame.append(contentsOf: ciphertext)
    case .v2:
      let associatedData = associatedDataV2(vaultId: vaultId, sequence: sequence)
      let (nonce, ciphertext) = AEAD.seal(
        previousChain + Padding.pad(recordBytes), associatedData: associatedData, key: key)
      frame.reserveCapacity(lengthByteCount + sequenceByteCount + nonce.count + ciphertext.count)
      frame.appendBigEndian(UInt32(sequenceByteCount + nonce.count + ciphertext.count))
      frame.appendBigEndian(sequence)
      frame.append(contentsOf: nonce)
      frame.append(contentsOf: ciphertext)
    }
    return frame
  }

  /// The big-endian integer in the first `count` bytes of `bytes`.
  static func bigEndian(_ bytes: UnsafeRawBufferPointer, count: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in 0..<count { value = value << 8 | UInt64(bytes[index]) }
    return value
  }
}
