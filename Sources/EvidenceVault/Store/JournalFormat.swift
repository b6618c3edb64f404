/// The framing of `journal.log`: `u32 big-endian length ‖ 24-byte nonce ‖ ciphertext`, appended one after another.
///
/// The length counts the nonce and the ciphertext. The ciphertext is XChaCha20-Poly1305 of the
/// `sodium_pad`ded record JSON, with additional data `tag ‖ vault id ‖ sequence (u64 BE) ‖ previous chain value`,
/// so a frame cannot be moved, dropped, reordered or replayed from another vault without failing to decrypt.
enum JournalFormat {
  static let lengthByteCount = 4
  static let associatedDataTag = Array("evidence-journal record v1\0".utf8)
  static let minimumFrameLength = AEAD.nonceByteCount + Padding.blockSize + AEAD.tagByteCount
  static let maximumFrameLength =
    AEAD.nonceByteCount + (RecordCodec.maximumRecordSize / Padding.blockSize + 1) * Padding.blockSize
    + AEAD.tagByteCount

  /// The additional data that binds a record to its vault, place and predecessor.
  static func associatedData(vaultId: [UInt8], sequence: UInt64, previousChain: [UInt8]) -> [UInt8] {
    var bytes = associatedDataTag
    bytes.append(contentsOf: vaultId)
    bytes.appendBigEndian(sequence)
    bytes.append(contentsOf: previousChain)
    return bytes
  }

  /// One sealed frame, ready to append.
  static func seal(
    recordBytes: [UInt8], vaultId: [UInt8], sequence: UInt64, previousChain: [UInt8], key: borrowing SecretBytes
  ) -> [UInt8] {
    let associatedData = associatedData(vaultId: vaultId, sequence: sequence, previousChain: previousChain)
    let (nonce, ciphertext) = AEAD.seal(Padding.pad(recordBytes), associatedData: associatedData, key: key)
    var frame: [UInt8] = []
    frame.reserveCapacity(lengthByteCount + nonce.count + ciphertext.count)
    frame.appendBigEndian(UInt32(nonce.count + ciphertext.count))
    frame.append(contentsOf: nonce)
    frame.append(contentsOf: ciphertext)
    return frame
  }

  /// Where each frame's body (nonce and ciphertext) lies in the file, and how the file ends.
  struct Layout: Equatable {
    var bodies: [Range<Int>] = []
    var ending: Ending = .clean
  }

  enum Ending: Equatable {
    /// The last frame ends exactly at the end of the file.
    case clean
    /// The file ends inside a frame: an append that never finished. `offset` is where that frame starts.
    case torn(offset: Int)
    /// A length field that no frame we write can have: corruption at the frame that starts at `offset`.
    case impossibleLength(offset: Int, length: Int)
  }

  /// Splits the journal into frames without decrypting anything.
  static func layout(of bytes: UnsafeRawBufferPointer) -> Layout {
    var layout = Layout()
    var offset = 0
    while offset < bytes.count {
      let remaining = bytes.count - offset
      guard remaining >= lengthByteCount else {
        layout.ending = .torn(offset: offset)
        return layout
      }
      let length =
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      guard length >= minimumFrameLength, length <= maximumFrameLength,
        (length - AEAD.nonceByteCount - AEAD.tagByteCount) % Padding.blockSize == 0
      else {
        layout.ending = .impossibleLength(offset: offset, length: length)
        return layout
      }
      guard remaining - lengthByteCount >= length else {
        layout.ending = .torn(offset: offset)
        return layout
      }
      layout.bodies.append((offset + lengthByteCount)..<(offset + lengthByteCount + length))
      offset += lengthByteCount + length
    }
    return layout
  }
}
