internal import CSodium

/// The baseline the vault is measured against: libsodium alone decrypting and hashing the same record bytes,
/// with none of the vault's framing, JSON decoding or bookkeeping.
struct RawBaseline {
  private let key: [UInt8]
  private var sealed: [(nonce: [UInt8], ciphertext: [UInt8], associatedData: [UInt8])] = []

  /// Seals each record the way the journal does (sodium_pad to 256, XChaCha20-Poly1305, 68 bytes of additional data).
  init(records: [[UInt8]]) {
    _ = sodium_init()
    var key = [UInt8](repeating: 0, count: 32)
    randombytes_buf(&key, 32)
    self.key = key
    for record in records {
      var padded = record + [UInt8](repeating: 0, count: 256)
      var paddedLength = 0
      _ = sodium_pad(&paddedLength, &padded, record.count, 256, padded.count)
      padded.removeLast(padded.count - paddedLength)
      var nonce = [UInt8](repeating: 0, count: 24)
      randombytes_buf(&nonce, 24)
      let associatedData = [UInt8](repeating: 1, count: 68)
      var ciphertext = [UInt8](repeating: 0, count: padded.count + 16)
      var written: UInt64 = 0
      _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
        &ciphertext, &written, padded, UInt64(padded.count), associatedData, UInt64(associatedData.count), nil, nonce,
        key)
      sealed.append((nonce, ciphertext, associatedData))
    }
  }

  /// Decrypts, unpads and SHA-256-hashes every record; returns how many authenticated.
  func decryptAndHash() -> Int {
    var verified = 0
    var plaintext = [UInt8](repeating: 0, count: 1 << 16)
    var digest = [UInt8](repeating: 0, count: 32)
    for frame in sealed {
      var written: UInt64 = 0
      guard
        crypto_aead_xchacha20poly1305_ietf_decrypt(
          &plaintext, &written, nil, frame.ciphertext, UInt64(frame.ciphertext.count), frame.associatedData,
          UInt64(frame.associatedData.count), frame.nonce, key) == 0
      else { continue }
      var unpadded = 0
      _ = sodium_unpad(&unpadded, plaintext, Int(written), 256)
      crypto_hash_sha256(&digest, plaintext, UInt64(unpadded))
      verified += 1
    }
    return verified
  }

  /// Argon2id alone at the interactive cost: the unlock step every open pays.
  static func argon2idInteractive() {
    var key = [UInt8](repeating: 0, count: 32)
    let salt = [UInt8](repeating: 7, count: 16)
    _ = crypto_pwhash(
      &key, 32, "benchmark passphrase", 20, salt, UInt64(crypto_pwhash_opslimit_interactive()),
      Int(crypto_pwhash_memlimit_interactive()), crypto_pwhash_ALG_ARGON2ID13)
  }
}

/// Raw throughput of the primitives an attachment goes through, on a buffer in memory.
enum RawStreamBaseline {
  /// crypto_secretstream encryption of `totalBytes` in 64 KiB chunks (the buffer is reused; no I/O).
  static func secretstream(totalBytes: Int) -> UInt8 {
    _ = sodium_init()
    var key = [UInt8](repeating: 0, count: 32)
    randombytes_buf(&key, 32)
    var state = crypto_secretstream_xchacha20poly1305_state()
    var header = [UInt8](repeating: 0, count: 24)
    _ = crypto_secretstream_xchacha20poly1305_init_push(&state, &header, key)
    let chunk = [UInt8](repeating: 7, count: 65_536)
    var sealed = [UInt8](repeating: 0, count: 65_536 + 17)
    var done = 0
    while done < totalBytes {
      let isFinal = done + 65_536 >= totalBytes
      _ = crypto_secretstream_xchacha20poly1305_push(
        &state, &sealed, nil, chunk, 65_536, nil, 0,
        UInt8(isFinal ? crypto_secretstream_xchacha20poly1305_tag_final() : 0))
      done += 65_536
    }
    return sealed[0]
  }

  /// libsodium's SHA-256 (portable C) over `totalBytes`.
  static func libsodiumSHA256(totalBytes: Int) -> UInt8 {
    var state = crypto_hash_sha256_state()
    _ = crypto_hash_sha256_init(&state)
    let chunk = [UInt8](repeating: 7, count: 1 << 20)
    var done = 0
    while done < totalBytes {
      _ = crypto_hash_sha256_update(&state, chunk, UInt64(chunk.count))
      done += chunk.count
    }
    var digest = [UInt8](repeating: 0, count: 32)
    _ = crypto_hash_sha256_final(&state, &digest)
    return digest[0]
  }
}
