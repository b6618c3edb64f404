internal import CSodium

/// crypto_secretstream_xchacha20poly1305 for attachments: 64 KiB chunks, `TAG_FINAL` on the last and only the last.
///
/// libsodium alone does not notice a stream whose final chunk was cut off; `Decryptor` reports each chunk's tag
/// and the caller (the blob store) demands `TAG_FINAL` followed by end of file. The stream state holds key
/// material, so it lives in guarded memory.
enum SecretStream {
  static let headerByteCount = Int(crypto_secretstream_xchacha20poly1305_headerbytes())
  static let overheadByteCount = Int(crypto_secretstream_xchacha20poly1305_abytes())
  static let keyByteCount = Int(crypto_secretstream_xchacha20poly1305_keybytes())
  /// Plaintext bytes per chunk.
  static let chunkByteCount = 64 * 1024
  /// Ciphertext bytes of a full chunk.
  static let sealedChunkByteCount = chunkByteCount + overheadByteCount

  private static let tagMessage = UInt8(crypto_secretstream_xchacha20poly1305_tag_message())
  private static let tagFinal = UInt8(crypto_secretstream_xchacha20poly1305_tag_final())
  private static let stateByteCount = MemoryLayout<crypto_secretstream_xchacha20poly1305_state>.size

  /// Encrypts one stream.
  struct Encryptor: ~Copyable {
    private let state = SecretBytes(zeroedByteCount: SecretStream.stateByteCount)
    /// The stream header, written before the first chunk.
    let header: [UInt8]

    init(key: borrowing SecretBytes) {
      precondition(key.count == SecretStream.keyByteCount)
      var header = [UInt8](repeating: 0, count: SecretStream.headerByteCount)
      let result = state.withUnsafeMutableBytes { stateBytes in
        key.withUnsafeBytes { keyBytes in
          crypto_secretstream_xchacha20poly1305_init_push(
            stateBytes.streamState,
            &header, keyBytes.bytes)
        }
      }
      // crypto_secretstream_xchacha20poly1305_init_push always returns 0.
      precondition(result == 0)
      self.header = header
    }

    /// Seals one chunk of at most `chunkByteCount` bytes into the start of `output`; returns the bytes written
    /// (the chunk's length plus `overheadByteCount`).
    func push(_ chunk: UnsafeRawBufferPointer, isFinal: Bool, into output: UnsafeMutableRawBufferPointer) -> Int {
      precondition(chunk.count <= SecretStream.chunkByteCount)
      precondition(output.count >= chunk.count + SecretStream.overheadByteCount)
      var written: UInt64 = 0
      let result = state.withUnsafeMutableBytes { stateBytes in
        crypto_secretstream_xchacha20poly1305_push(
          stateBytes.streamState, output.mutableBytes, &written, chunk.bytes, UInt64(chunk.count), nil, 0,
          isFinal ? SecretStream.tagFinal : SecretStream.tagMessage)
      }
      // crypto_secretstream_xchacha20poly1305_push fails only for a message longer than the maximum.
      precondition(result == 0 && Int(written) == chunk.count + SecretStream.overheadByteCount)
      return Int(written)
    }
  }

  /// Decrypts one stream, chunk by chunk.
  struct Decryptor: ~Copyable {
    private let state = SecretBytes(zeroedByteCount: SecretStream.stateByteCount)

    /// Starts reading a stream; throws `authenticationFailed` for a header of the wrong size.
    init(header: [UInt8], key: borrowing SecretBytes) throws(CryptoFailure) {
      guard header.count == SecretStream.headerByteCount, key.count == SecretStream.keyByteCount else {
        throw .authenticationFailed
      }
      let result = state.withUnsafeMutableBytes { stateBytes in
        key.withUnsafeBytes { keyBytes in
          crypto_secretstream_xchacha20poly1305_init_pull(
            stateBytes.streamState,
            header, keyBytes.bytes)
        }
      }
      // crypto_secretstream_xchacha20poly1305_init_pull: -1 if the header is invalid.
      guard result == 0 else { throw .authenticationFailed }
    }

    /// Opens one sealed chunk, `sealed[range]`, into `output` from index `position` on (which must have room
    /// for `range.count - overheadByteCount` bytes); returns the plaintext's length and whether the chunk
    /// carried `TAG_FINAL`. Throws `authenticationFailed` for a chunk that was altered, reordered, cut or taken
    /// from another stream.
    func pull(
      _ sealed: [UInt8], range: Range<Int>, into output: inout [UInt8], at position: Int
    ) throws(CryptoFailure) -> (count: Int, isFinal: Bool) {
      guard range.count >= SecretStream.overheadByteCount, range.count <= SecretStream.sealedChunkByteCount,
        range.upperBound <= sealed.count,
        position + range.count - SecretStream.overheadByteCount <= output.count
      else {
        throw .authenticationFailed
      }
      var written: UInt64 = 0
      var tag: UInt8 = 0
      let result = state.withUnsafeMutableBytes { stateBytes in
        output.withUnsafeMutableBytes { out in
          sealed.withUnsafeBytes { input in
            crypto_secretstream_xchacha20poly1305_pull(
              stateBytes.streamState, out.mutableBytes + position, &written, &tag, input.bytes + range.lowerBound,
              UInt64(range.count), nil, 0)
          }
        }
      }
      // crypto_secretstream_xchacha20poly1305_pull: -1 if the chunk does not authenticate.
      guard result == 0 else { throw .authenticationFailed }
      return (Int(written), tag == SecretStream.tagFinal)
    }
  }
}

extension UnsafeMutableRawBufferPointer {
  /// The secretstream state held in these (guarded, never empty) bytes.
  fileprivate var streamState: UnsafeMutablePointer<crypto_secretstream_xchacha20poly1305_state> {
    UnsafeMutableRawPointer(mutableBytes).assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self)
  }
}
