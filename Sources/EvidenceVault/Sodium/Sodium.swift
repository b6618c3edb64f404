internal import CSodium
import Foundation

/// The one place that calls libsodium. Everything else in the package speaks Swift types.
///
/// Each call's return code is checked on the next line, with the libsodium documentation's meaning beside it.
/// Failures surface as `CryptoFailure`, which callers turn into their own domain errors; no failure ever carries key bytes.
enum Sodium {
  private static let initialised: Bool = {
    // sodium_init: 0 on success, 1 if already initialised, -1 if the library could not be initialised.
    sodium_init() >= 0
  }()

  /// Initialises libsodium once per process; stops the program if the system's random source is unusable.
  static func ensureInitialised() {
    guard initialised else { fatalError("libsodium could not be initialised (no usable random source)") }
  }

  /// Fresh random bytes for nonces, salts and identifiers (not secret material).
  static func randomBytes(_ count: Int) -> [UInt8] {
    ensureInitialised()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { randombytes_buf($0.mutableBytes, $0.count) }
    return bytes
  }
}

/// Non-null pointers for empty buffers: libsodium's headers declare every pointer non-null, and a zero-length
/// Swift buffer may have no address. Nothing is ever read from or written to these when the length is zero.
extension Sodium {
  nonisolated(unsafe) static let emptyBuffer: UnsafeMutablePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
  }()
  static var emptyCString: UnsafePointer<CChar> { UnsafeRawPointer(emptyBuffer).assumingMemoryBound(to: CChar.self) }
}

extension UnsafeRawBufferPointer {
  /// The bytes' address for libsodium (a valid pointer even when empty).
  var bytes: UnsafePointer<UInt8> {
    baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(Sodium.emptyBuffer)
  }
}

extension UnsafeMutableRawBufferPointer {
  /// The bytes' address for libsodium to write to (a valid pointer even when empty).
  var mutableBytes: UnsafeMutablePointer<UInt8> {
    baseAddress?.assumingMemoryBound(to: UInt8.self) ?? Sodium.emptyBuffer
  }
}

/// Why a libsodium operation did not produce a result.
enum CryptoFailure: Error, Equatable {
  /// The key, the nonce, the additional data or the ciphertext is not what sealed this data.
  case authenticationFailed
  /// Key derivation could not get the memory it needs.
  case outOfMemory
  /// An input has a length or value the primitive does not take.
  case invalidInput
}

// MARK: - Argon2id

/// Passphrase → key-encryption key with Argon2id (crypto_pwhash, ALG_ARGON2ID13).
enum PasswordHash {
  static let saltByteCount = Int(crypto_pwhash_saltbytes())
  static let opsLimitInteractive = UInt64(crypto_pwhash_opslimit_interactive())
  static let memLimitInteractive = UInt64(crypto_pwhash_memlimit_interactive())
  static let opsLimitModerate = UInt64(crypto_pwhash_opslimit_moderate())
  static let memLimitModerate = UInt64(crypto_pwhash_memlimit_moderate())
  static let opsLimitSensitive = UInt64(crypto_pwhash_opslimit_sensitive())
  static let memLimitSensitive = UInt64(crypto_pwhash_memlimit_sensitive())

  /// Derives a `keyByteCount`-byte key. The caller has already checked `opsLimit` and `memLimit` against its caps.
  static func deriveKey(
    passphrase: borrowing SecretBytes, salt: [UInt8], opsLimit: UInt64, memLimitBytes: UInt64,
    keyByteCount: Int = 32
  ) throws(CryptoFailure) -> SecretBytes {
    guard salt.count == saltByteCount else { throw .invalidInput }
    Sodium.ensureInitialised()
    let key = SecretBytes(zeroedByteCount: keyByteCount)
    let result = passphrase.withUnsafeBytes { pass in
      key.withUnsafeMutableBytes { out in
        salt.withUnsafeBytes { saltBytes in
          pass.withMemoryRebound(to: CChar.self) { passChars in
            crypto_pwhash(
              out.mutableBytes, UInt64(out.count),
              passChars.baseAddress ?? Sodium.emptyCString, UInt64(passChars.count),
              saltBytes.bytes,
              opsLimit, Int(memLimitBytes), crypto_pwhash_ALG_ARGON2ID13)
          }
        }
      }
    }
    // crypto_pwhash: 0 on success, -1 if the computation did not complete (usually: not enough memory).
    guard result == 0 else { throw .outOfMemory }
    return key
  }
}

// MARK: - XChaCha20-Poly1305 (records, the wrapped master key)

/// Authenticated encryption with crypto_aead_xchacha20poly1305_ietf and a random 24-byte nonce.
enum AEAD {
  static let keyByteCount = Int(crypto_aead_xchacha20poly1305_ietf_keybytes())
  static let nonceByteCount = Int(crypto_aead_xchacha20poly1305_ietf_npubbytes())
  static let tagByteCount = Int(crypto_aead_xchacha20poly1305_ietf_abytes())

  /// Encrypts `plaintext` under `key` with a fresh random nonce; returns the nonce and the ciphertext (with its tag).
  static func seal(
    _ plaintext: some ContiguousBytes, associatedData: [UInt8], key: borrowing SecretBytes
  ) -> (nonce: [UInt8], ciphertext: [UInt8]) {
    let nonce = Sodium.randomBytes(nonceByteCount)
    let ciphertext = seal(plaintext, nonce: nonce, associatedData: associatedData, key: key)
    return (nonce, ciphertext)
  }

  /// Encrypts with a given nonce (known-answer tests; production code uses the random-nonce form).
  static func seal(
    _ plaintext: some ContiguousBytes, nonce: [UInt8], associatedData: [UInt8], key: borrowing SecretBytes
  ) -> [UInt8] {
    precondition(key.count == keyByteCount && nonce.count == nonceByteCount)
    return plaintext.withUnsafeBytes { message in
      var ciphertext = [UInt8](repeating: 0, count: message.count + tagByteCount)
      var written: UInt64 = 0
      let result = key.withUnsafeBytes { keyBytes in
        ciphertext.withUnsafeMutableBytes { out in
          crypto_aead_xchacha20poly1305_ietf_encrypt(
            out.mutableBytes, &written,
            message.bytes, UInt64(message.count),
            associatedData, UInt64(associatedData.count),
            nil, nonce, keyBytes.bytes)
        }
      }
      // crypto_aead_xchacha20poly1305_ietf_encrypt always returns 0.
      precondition(result == 0 && Int(written) == ciphertext.count)
      return ciphertext
    }
  }

  /// Decrypts and authenticates; throws `authenticationFailed` for a wrong key, altered bytes or other additional data.
  static func open(
    _ ciphertext: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, associatedData: [UInt8],
    key: borrowing SecretBytes
  ) throws(CryptoFailure) -> [UInt8] {
    guard nonce.count == nonceByteCount, ciphertext.count >= tagByteCount else { throw .authenticationFailed }
    var plaintext = [UInt8](repeating: 0, count: ciphertext.count - tagByteCount)
    var written: UInt64 = 0
    let result = key.withUnsafeBytes { keyBytes in
      plaintext.withUnsafeMutableBytes { out in
        crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.mutableBytes, &written, nil,
          ciphertext.bytes, UInt64(ciphertext.count),
          associatedData, UInt64(associatedData.count),
          nonce.bytes,
          keyBytes.bytes)
      }
    }
    // crypto_aead_xchacha20poly1305_ietf_decrypt: -1 if the verification fails.
    guard result == 0 else { throw .authenticationFailed }
    return plaintext
  }

  /// Decrypts straight into guarded memory (for the wrapped master key).
  static func openSecret(
    _ ciphertext: [UInt8], nonce: [UInt8], associatedData: [UInt8], key: borrowing SecretBytes
  ) throws(CryptoFailure) -> SecretBytes {
    guard nonce.count == nonceByteCount, ciphertext.count > tagByteCount else { throw .authenticationFailed }
    let secret = SecretBytes(zeroedByteCount: ciphertext.count - tagByteCount)
    var written: UInt64 = 0
    let result = key.withUnsafeBytes { keyBytes in
      secret.withUnsafeMutableBytes { out in
        crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.mutableBytes, &written, nil,
          ciphertext, UInt64(ciphertext.count),
          associatedData, UInt64(associatedData.count),
          nonce, keyBytes.bytes)
      }
    }
    // crypto_aead_xchacha20poly1305_ietf_decrypt: -1 if the verification fails.
    guard result == 0 else { throw .authenticationFailed }
    return secret
  }

  /// Encrypts secret bytes (the master key) without copying them out of guarded memory.
  static func sealSecret(
    _ secret: borrowing SecretBytes, associatedData: [UInt8], key: borrowing SecretBytes
  ) -> (nonce: [UInt8], ciphertext: [UInt8]) {
    let nonce = Sodium.randomBytes(nonceByteCount)
    let ciphertext = secret.withUnsafeBytes { bytes in
      seal(UnsafeRawBufferPointerBytes(bytes), nonce: nonce, associatedData: associatedData, key: key)
    }
    return (nonce, ciphertext)
  }
}

/// Lets a borrowed raw buffer pass as `ContiguousBytes` without copying it.
struct UnsafeRawBufferPointerBytes: ContiguousBytes {
  let buffer: UnsafeRawBufferPointer
  init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
  func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(buffer) }
}

// MARK: - Subkeys

/// Purpose-bound subkeys from the master key with crypto_kdf_derive_from_key.
enum SubkeyDerivation {
  static let masterKeyByteCount = Int(crypto_kdf_keybytes())

  /// Derives the subkey for `context` (exactly 8 ASCII bytes) and `id`.
  static func deriveSubkey(
    from masterKey: borrowing SecretBytes, id: UInt64, context: String, byteCount: Int = 32
  ) -> SecretBytes {
    let contextBytes = Array(context.utf8)
    precondition(contextBytes.count == Int(crypto_kdf_contextbytes()), "a KDF context is 8 bytes")
    precondition(masterKey.count == masterKeyByteCount)
    let subkey = SecretBytes(zeroedByteCount: byteCount)
    let result = masterKey.withUnsafeBytes { mk in
      subkey.withUnsafeMutableBytes { out in
        contextBytes.withUnsafeBufferPointer { ctx in
          ctx.withMemoryRebound(to: CChar.self) { ctxChars in
            crypto_kdf_derive_from_key(
              out.mutableBytes, out.count, id, ctxChars.baseAddress ?? Sodium.emptyCString,
              mk.bytes)
          }
        }
      }
    }
    // crypto_kdf_derive_from_key: -1 only for a subkey length outside 16...64 bytes.
    precondition(result == 0, "subkey length must be 16...64 bytes")
    return subkey
  }
}

// MARK: - Hashes

/// SHA-256 (crypto_hash_sha256): the hash that forensic tools and verifiers outside the vault know.
enum SHA256 {
  static let byteCount = Int(crypto_hash_sha256_bytes())

  /// Hashes the concatenation of `parts`.
  static func hash(_ parts: UnsafeRawBufferPointer...) -> [UInt8] {
    var state = crypto_hash_sha256_state()
    // crypto_hash_sha256_init/update/final always return 0.
    crypto_hash_sha256_init(&state)
    for part in parts where part.count > 0 {
      crypto_hash_sha256_update(&state, part.bytes, UInt64(part.count))
    }
    var digest = [UInt8](repeating: 0, count: byteCount)
    crypto_hash_sha256_final(&state, &digest)
    return digest
  }

  /// Hashes one byte string.
  static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
    bytes.withUnsafeBytes { hash($0) }
  }
}

/// Keyed BLAKE2b (crypto_generichash): stays inside the vault (blob names).
enum KeyedBLAKE2b {
  /// A 32-byte keyed hash of `message`.
  static func hash(_ message: some ContiguousBytes, key: borrowing SecretBytes) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    let result = message.withUnsafeBytes { input in
      key.withUnsafeBytes { keyBytes in
        crypto_generichash(
          &digest, digest.count, input.bytes, UInt64(input.count),
          keyBytes.bytes, keyBytes.count)
      }
    }
    // crypto_generichash: -1 only for out-of-range output or key lengths.
    precondition(result == 0)
    return digest
  }
}

// MARK: - Padding

/// ISO/IEC 7816-4 padding with sodium_pad / sodium_unpad, so that ciphertext sizes leak little about text length.
enum Padding {
  static let blockSize = 256

  /// Pads `bytes` to the next multiple of `blockSize` (always adding at least one byte).
  static func pad(_ bytes: [UInt8], blockSize: Int = blockSize) -> [UInt8] {
    let paddedCapacity = (bytes.count / blockSize + 1) * blockSize
    var buffer = bytes + [UInt8](repeating: 0, count: paddedCapacity - bytes.count)
    var paddedLength = 0
    let result = buffer.withUnsafeMutableBufferPointer { buf in
      sodium_pad(&paddedLength, buf.baseAddress ?? Sodium.emptyBuffer, bytes.count, blockSize, buf.count)
    }
    // sodium_pad: -1 if the padded data would not fit the buffer (cannot happen with the capacity above).
    precondition(result == 0 && paddedLength == paddedCapacity)
    return buffer
  }

  /// Removes the padding; throws `invalidInput` when the bytes do not end in valid padding.
  static func unpad(_ bytes: [UInt8], blockSize: Int = blockSize) throws(CryptoFailure) -> [UInt8] {
    var unpaddedLength = 0
    let result = bytes.withUnsafeBufferPointer { buf in
      sodium_unpad(&unpaddedLength, buf.baseAddress ?? UnsafePointer(Sodium.emptyBuffer), buf.count, blockSize)
    }
    // sodium_unpad: -1 if the padding is not valid.
    guard result == 0 else { throw .invalidInput }
    return Array(bytes[..<unpaddedLength])
  }
}

// MARK: - Ed25519 and X25519 key pairs

/// Ed25519 signatures (crypto_sign) from a 32-byte seed.
struct SigningKeyPair: ~Copyable {
  static let seedByteCount = Int(crypto_sign_seedbytes())
  static let signatureByteCount = Int(crypto_sign_bytes())
  let publicKey: [UInt8]
  private let secretKey: SecretBytes

  /// Derives the key pair deterministically from `seed`.
  init(seed: borrowing SecretBytes) {
    precondition(seed.count == Self.seedByteCount)
    var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_publickeybytes()))
    let secretKey = SecretBytes(zeroedByteCount: Int(crypto_sign_secretkeybytes()))
    let result = seed.withUnsafeBytes { seedBytes in
      secretKey.withUnsafeMutableBytes { sk in
        crypto_sign_seed_keypair(
          &publicKey, sk.mutableBytes,
          seedBytes.bytes)
      }
    }
    // crypto_sign_seed_keypair always returns 0.
    precondition(result == 0)
    self.publicKey = publicKey
    self.secretKey = secretKey
  }

  /// A detached signature of `message`.
  func sign(_ message: some ContiguousBytes) -> [UInt8] {
    var signature = [UInt8](repeating: 0, count: Self.signatureByteCount)
    let result = message.withUnsafeBytes { msg in
      secretKey.withUnsafeBytes { sk in
        crypto_sign_detached(
          &signature, nil, msg.bytes, UInt64(msg.count),
          sk.bytes)
      }
    }
    // crypto_sign_detached always returns 0.
    precondition(result == 0)
    return signature
  }

  /// Checks a detached signature against a public key.
  static func isValidSignature(_ signature: [UInt8], of message: some ContiguousBytes, publicKey: [UInt8]) -> Bool {
    guard signature.count == signatureByteCount, publicKey.count == Int(crypto_sign_publickeybytes()) else {
      return false
    }
    return message.withUnsafeBytes { msg in
      // crypto_sign_verify_detached: 0 if the signature is valid, -1 otherwise.
      crypto_sign_verify_detached(
        signature, msg.bytes, UInt64(msg.count), publicKey) == 0
    }
  }
}

/// The X25519 inbox key pair's public half (crypto_box_seed_keypair), derived from the inbox seed.
enum InboxKey {
  static let seedByteCount = Int(crypto_box_seedbytes())

  /// The public key for `seed`; the secret half is wiped at once (it is derived again when the inbox is read).
  static func publicKey(seed: borrowing SecretBytes) -> [UInt8] {
    precondition(seed.count == seedByteCount)
    var publicKey = [UInt8](repeating: 0, count: Int(crypto_box_publickeybytes()))
    let secretKey = SecretBytes(zeroedByteCount: Int(crypto_box_secretkeybytes()))
    let result = seed.withUnsafeBytes { seedBytes in
      secretKey.withUnsafeMutableBytes { sk in
        crypto_box_seed_keypair(
          &publicKey, sk.mutableBytes,
          seedBytes.bytes)
      }
    }
    // crypto_box_seed_keypair always returns 0.
    precondition(result == 0)
    return publicKey
  }
}

extension InboxKey {
  /// Bytes `crypto_box_seal` adds to a message: an ephemeral public key and a Poly1305 tag.
  static let sealOverheadByteCount = Int(crypto_box_sealbytes())
  static let publicKeyByteCount = Int(crypto_box_publickeybytes())

  /// Seals `message` to `publicKey` with crypto_box_seal: only the holder of the secret key can open it, and
  /// the sender needs nothing but the public key.
  static func seal(_ message: UnsafeRawBufferPointer, to publicKey: [UInt8]) -> [UInt8] {
    precondition(publicKey.count == publicKeyByteCount)
    Sodium.ensureInitialised()
    var sealed = [UInt8](repeating: 0, count: message.count + sealOverheadByteCount)
    let result = sealed.withUnsafeMutableBytes { out in
      crypto_box_seal(out.mutableBytes, message.bytes, UInt64(message.count), publicKey)
    }
    // crypto_box_seal: 0 on success, -1 only if the ephemeral key pair could not be made.
    precondition(result == 0, "crypto_box_seal failed")
    return sealed
  }
}

/// The X25519 inbox key pair (crypto_box_seed_keypair) of an unlocked vault: opens what `note` sealed.
struct InboxKeyPair: ~Copyable {
  let publicKey: [UInt8]
  private let secretKey: SecretBytes

  /// Derives the key pair deterministically from the inbox seed.
  init(seed: borrowing SecretBytes) {
    precondition(seed.count == InboxKey.seedByteCount)
    var publicKey = [UInt8](repeating: 0, count: InboxKey.publicKeyByteCount)
    let secretKey = SecretBytes(zeroedByteCount: Int(crypto_box_secretkeybytes()))
    let result = seed.withUnsafeBytes { seedBytes in
      secretKey.withUnsafeMutableBytes { sk in
        crypto_box_seed_keypair(&publicKey, sk.mutableBytes, seedBytes.bytes)
      }
    }
    // crypto_box_seed_keypair always returns 0.
    precondition(result == 0)
    self.publicKey = publicKey
    self.secretKey = secretKey
  }

  /// Opens a crypto_box_seal box into guarded memory; throws `authenticationFailed` for anything not sealed to
  /// this key pair, altered, or too short to be a box.
  /// `sealed[start...]` is the box.
  func openSecret(_ sealed: [UInt8], from start: Int = 0) throws(CryptoFailure) -> SecretBytes {
    let count = sealed.count - start
    guard start >= 0, count >= InboxKey.sealOverheadByteCount else { throw .authenticationFailed }
    let message = SecretBytes(zeroedByteCount: count - InboxKey.sealOverheadByteCount)
    let result = secretKey.withUnsafeBytes { sk in
      message.withUnsafeMutableBytes { out in
        sealed.withUnsafeBytes { box in
          crypto_box_seal_open(out.mutableBytes, box.bytes + start, UInt64(count), publicKey, sk.bytes)
        }
      }
    }
    // crypto_box_seal_open: 0 on success, -1 if the box does not open with this key pair.
    guard result == 0 else { throw .authenticationFailed }
    return message
  }

  /// Opens a box into ordinary memory (for what is not key material: the note's JSON).
  func open(_ sealed: [UInt8], from start: Int = 0) throws(CryptoFailure) -> [UInt8] {
    let secret = try openSecret(sealed, from: start)
    return secret.withUnsafeBytes { Array($0) }
  }
}
