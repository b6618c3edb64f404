internal import CSodium

/// The one file of EvidenceAge that calls libsodium. Everything else in the module speaks Swift types.
///
/// Each call's return code is checked on the next line, with the libsodium documentation's meaning beside it.
enum AgeSodium {
  private static let initialised: Bool = {
    // sodium_init: 0 on success, 1 if already initialised, -1 if the library could not be initialised.
    sodium_init() >= 0
  }()

  /// Initialises libsodium once per process; stops the program if the system's random source is unusable.
  static func ensureInitialised() {
    guard initialised else { fatalError("libsodium could not be initialised (no usable random source)") }
  }

  /// Fresh random bytes for nonces and salts (not secret material).
  static func randomBytes(_ count: Int) -> [UInt8] {
    ensureInitialised()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
      if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
    }
    return bytes
  }

  /// Overwrites `bytes` with zeroes in a way the compiler cannot drop.
  static func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
      if let base = buffer.baseAddress { sodium_memzero(base, buffer.count) }
    }
  }

  /// Compares two byte strings of equal length in constant time.
  static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
    guard left.count == right.count else { return false }
    guard !left.isEmpty else { return true }
    return left.withUnsafeBytes { l in
      right.withUnsafeBytes { r in
        // sodium_memcmp: 0 if the buffers are equal, -1 otherwise, in time independent of their contents.
        sodium_memcmp(
          l.baseAddress ?? UnsafeRawPointer(emptyByte), r.baseAddress ?? UnsafeRawPointer(emptyByte), l.count)
          == 0
      }
    }
  }

  /// A non-null address for empty buffers (libsodium declares every pointer non-null); never read or written.
  nonisolated(unsafe) static let emptyByte: UnsafeMutablePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
  }()
}

extension UnsafeRawBufferPointer {
  /// The bytes' address for libsodium (a valid pointer even when empty).
  fileprivate var sodiumBytes: UnsafePointer<UInt8> {
    baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(AgeSodium.emptyByte)
  }
}

extension UnsafeMutableRawBufferPointer {
  /// The bytes' address for libsodium to write to (a valid pointer even when empty).
  fileprivate var sodiumMutableBytes: UnsafeMutablePointer<UInt8> {
    baseAddress?.assumingMemoryBound(to: UInt8.self) ?? AgeSodium.emptyByte
  }
}

/// Key material or a passphrase in libsodium's guarded memory, wiped when it goes away.
///
/// The bytes live in `sodium_malloc` memory and are zeroed by `sodium_free` in `deinit`. The type cannot be copied,
/// so each secret has exactly one owner, and it has no `description`.
public struct AgeSecretBytes: ~Copyable, @unchecked Sendable {
  private let pointer: UnsafeMutableRawPointer
  /// How many secret bytes this holds (zero for an empty passphrase).
  public let count: Int

  /// Makes `count` zeroed bytes of guarded memory.
  public init(zeroedByteCount count: Int) {
    precondition(count >= 0, "AgeSecretBytes cannot have a negative size")
    AgeSodium.ensureInitialised()
    // One byte is always allocated so that an empty secret still has an address to free.
    guard let pointer = sodium_malloc(max(count, 1)) else {
      // sodium_malloc returns NULL only when the system is out of memory.
      fatalError("Out of memory for key material")
    }
    sodium_memzero(pointer, max(count, 1))
    self.pointer = pointer
    self.count = count
  }

  /// Makes `count` bytes from libsodium's random generator.
  public init(randomByteCount count: Int) {
    self.init(zeroedByteCount: count)
    randombytes_buf(pointer, count)
  }

  /// Copies `bytes` into guarded memory. The caller remains responsible for wiping its own copy.
  public init(copying bytes: UnsafeRawBufferPointer) {
    self.init(zeroedByteCount: bytes.count)
    if let base = bytes.baseAddress, bytes.count > 0 {
      pointer.copyMemory(from: base, byteCount: bytes.count)
    }
  }

  deinit {
    sodium_free(pointer)  // sodium_free zeroes the memory before releasing it.
  }

  /// Lends the bytes for reading.
  public borrowing func withUnsafeBytes<R: ~Copyable, E: Error>(
    _ body: (UnsafeRawBufferPointer) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeRawBufferPointer(start: pointer, count: count))
  }

  /// Lends the bytes for writing (to fill a freshly made secret).
  public borrowing func withUnsafeMutableBytes<R: ~Copyable, E: Error>(
    _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
  }

  /// A copy in fresh guarded memory.
  public borrowing func duplicate() -> AgeSecretBytes {
    withUnsafeBytes { AgeSecretBytes(copying: $0) }
  }

  /// Whether every byte is zero, in time independent of the contents.
  borrowing func isAllZero() -> Bool {
    // sodium_is_zero: 1 if the buffer holds only zeroes, 0 otherwise; constant time.
    sodium_is_zero(pointer.assumingMemoryBound(to: UInt8.self), count) == 1
  }
}

/// HMAC-SHA-256 and HKDF-SHA-256 (RFC 5869) over libsodium's `crypto_auth_hmacsha256_*`.
///
/// libsodium 1.0.18 has no HKDF of its own; the streaming HMAC takes keys of any length, which HKDF needs.
enum AgeHMAC {
  static let byteCount = Int(crypto_auth_hmacsha256_bytes())

  /// HMAC-SHA-256 of the concatenated `parts` under `key`, into `out` (32 bytes).
  static func authenticate(
    key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer], into out: UnsafeMutableRawBufferPointer
  ) {
    precondition(out.count == byteCount)
    AgeSodium.ensureInitialised()
    var state = crypto_auth_hmacsha256_state()
    // crypto_auth_hmacsha256_init/update/final: always 0 (they cannot fail for any key length).
    _ = crypto_auth_hmacsha256_init(&state, key.sodiumBytes, key.count)
    for part in parts {
      _ = crypto_auth_hmacsha256_update(&state, part.sodiumBytes, UInt64(part.count))
    }
    _ = crypto_auth_hmacsha256_final(&state, out.sodiumMutableBytes)
    withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) }
  }

  /// The MAC of `message` under `key`, as plain bytes (a MAC is not secret once written).
  static func mac(key: borrowing AgeSecretBytes, message: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: byteCount)
    key.withUnsafeBytes { keyBytes in
      message.withUnsafeBytes { messageBytes in
        out.withUnsafeMutableBytes { authenticate(key: keyBytes, parts: [messageBytes], into: $0) }
      }
    }
    return out
  }

  /// HKDF-SHA-256 with 32 bytes of output: Extract(salt, ikm) then Expand(info), as the age spec uses it.
  static func deriveKey(ikm: borrowing AgeSecretBytes, salt: [UInt8], info: String) -> AgeSecretBytes {
    let pseudorandomKey = AgeSecretBytes(zeroedByteCount: byteCount)
    ikm.withUnsafeBytes { ikmBytes in
      salt.withUnsafeBytes { saltBytes in
        pseudorandomKey.withUnsafeMutableBytes { authenticate(key: saltBytes, parts: [ikmBytes], into: $0) }
      }
    }
    // One block of Expand suffices for 32 bytes: T(1) = HMAC(PRK, info || 0x01).
    let output = AgeSecretBytes(zeroedByteCount: byteCount)
    let infoBytes = Array(info.utf8)
    let counter: [UInt8] = [1]
    pseudorandomKey.withUnsafeBytes { prk in
      infoBytes.withUnsafeBytes { infoBuffer in
        counter.withUnsafeBytes { counterBuffer in
          output.withUnsafeMutableBytes { authenticate(key: prk, parts: [infoBuffer, counterBuffer], into: $0) }
        }
      }
    }
    return output
  }
}

/// ChaCha20-Poly1305 IETF (RFC 7539), with empty additional data, as age uses it everywhere.
enum AgeAEAD {
  static let keyByteCount = Int(crypto_aead_chacha20poly1305_ietf_keybytes())
  static let nonceByteCount = Int(crypto_aead_chacha20poly1305_ietf_npubbytes())
  static let tagByteCount = Int(crypto_aead_chacha20poly1305_ietf_abytes())

  /// Encrypts `plaintext` and appends the tag to `out`.
  static func seal(
    key: borrowing AgeSecretBytes, nonce: [UInt8], plaintext: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]
  ) {
    precondition(key.count == keyByteCount && nonce.count == nonceByteCount)
    let sealedCount = plaintext.count + tagByteCount
    var written: UInt64 = 0
    var result: Int32 = -1
    let sealed = [UInt8](unsafeUninitializedCapacity: sealedCount) { outBytes, initialized in
      result = key.withUnsafeBytes { keyBytes in
        nonce.withUnsafeBytes { nonceBytes in
          crypto_aead_chacha20poly1305_ietf_encrypt(
            outBytes.baseAddress ?? AgeSodium.emptyByte, &written, plaintext.sodiumBytes, UInt64(plaintext.count),
            nil, 0, nil, nonceBytes.sodiumBytes, keyBytes.sodiumBytes)
        }
      }
      initialized = sealedCount
    }
    out.append(contentsOf: sealed)
    // crypto_aead_chacha20poly1305_ietf_encrypt: always 0.
    precondition(result == 0 && Int(written) == plaintext.count + tagByteCount)
  }

  /// Decrypts `ciphertext` (with its tag) into `out`, which must hold `ciphertext.count - tagByteCount` bytes.
  /// Returns false, and leaves `out` zeroed, when the tag does not verify.
  static func open(
    key: borrowing AgeSecretBytes, nonce: [UInt8], ciphertext: UnsafeRawBufferPointer,
    into out: UnsafeMutableRawBufferPointer
  ) -> Bool {
    precondition(key.count == keyByteCount && nonce.count == nonceByteCount)
    guard ciphertext.count >= tagByteCount, out.count == ciphertext.count - tagByteCount else { return false }
    var written: UInt64 = 0
    let result = key.withUnsafeBytes { keyBytes in
      nonce.withUnsafeBytes { nonceBytes in
        crypto_aead_chacha20poly1305_ietf_decrypt(
          out.sodiumMutableBytes, &written, nil, ciphertext.sodiumBytes, UInt64(ciphertext.count), nil, 0,
          nonceBytes.sodiumBytes, keyBytes.sodiumBytes)
      }
    }
    // crypto_aead_chacha20poly1305_ietf_decrypt: 0 on success, -1 if the tag does not verify (nothing released).
    guard result == 0 else {
      if out.count > 0 { sodium_memzero(out.baseAddress, out.count) }
      return false
    }
    return true
  }
}

/// X25519 (RFC 7748) through `crypto_scalarmult`.
enum AgeX25519 {
  static let byteCount = Int(crypto_scalarmult_bytes())

  /// The public point of `secret`: X25519(secret, basepoint).
  static func publicKey(secret: borrowing AgeSecretBytes) -> [UInt8] {
    precondition(secret.count == byteCount)
    var out = [UInt8](repeating: 0, count: byteCount)
    let result = secret.withUnsafeBytes { secretBytes in
      out.withUnsafeMutableBytes { crypto_scalarmult_base($0.sodiumMutableBytes, secretBytes.sodiumBytes) }
    }
    // crypto_scalarmult_base: 0 on success (it cannot fail for a 32-byte scalar).
    precondition(result == 0)
    return out
  }

  /// X25519(secret, point), or nil when the result is all zeroes (a low-order point; age must abort then).
  static func sharedSecret(secret: borrowing AgeSecretBytes, point: [UInt8]) -> AgeSecretBytes? {
    precondition(secret.count == byteCount && point.count == byteCount)
    let shared = AgeSecretBytes(zeroedByteCount: byteCount)
    let result = secret.withUnsafeBytes { secretBytes in
      point.withUnsafeBytes { pointBytes in
        shared.withUnsafeMutableBytes {
          crypto_scalarmult($0.sodiumMutableBytes, secretBytes.sodiumBytes, pointBytes.sodiumBytes)
        }
      }
    }
    // crypto_scalarmult: 0 on success, -1 when the result would be all zeroes (a low-order input point).
    guard result == 0, !shared.isAllZero() else { return nil }
    return shared
  }
}

/// scrypt (RFC 7914) with r = 8 and p = 1, through `crypto_pwhash_scryptsalsa208sha256_ll`.
enum AgeScrypt {
  /// Derives 32 bytes; nil when libsodium cannot get the memory (or refuses the parameters).
  /// The caller has already checked `logN` against its cap.
  static func deriveKey(passphrase: borrowing AgeSecretBytes, salt: [UInt8], logN: Int) -> AgeSecretBytes? {
    precondition((1...30).contains(logN))
    AgeSodium.ensureInitialised()
    let key = AgeSecretBytes(zeroedByteCount: 32)
    let result = passphrase.withUnsafeBytes { passBytes in
      salt.withUnsafeBytes { saltBytes in
        key.withUnsafeMutableBytes { keyBytes in
          crypto_pwhash_scryptsalsa208sha256_ll(
            passBytes.sodiumBytes, passBytes.count, saltBytes.sodiumBytes, saltBytes.count, UInt64(1) << UInt64(logN),
            8, 1, keyBytes.sodiumMutableBytes, keyBytes.count)
        }
      }
    }
    // crypto_pwhash_scryptsalsa208sha256_ll: 0 on success, -1 on invalid parameters or when memory runs out.
    guard result == 0 else { return nil }
    return key
  }
}
