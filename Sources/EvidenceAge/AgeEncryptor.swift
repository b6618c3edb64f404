/// The constants of the age v1 payload (age.md, "Payload").
enum AgePayload {
  /// Plaintext bytes per STREAM chunk.
  static let chunkByteCount = 64 * 1024
  /// Ciphertext bytes per full chunk: the chunk and its Poly1305 tag.
  static let encryptedChunkByteCount = chunkByteCount + AgeAEAD.tagByteCount
  static let nonceByteCount = 16
  static let fileKeyByteCount = 16
  static let x25519Label = "age-encryption.org/v1/X25519"
  static let scryptLabel = "age-encryption.org/v1/scrypt"

  /// The 12-byte ChaCha20-Poly1305 nonce of chunk `counter`: an 11-byte big-endian counter and the last-chunk flag.
  static func chunkNonce(counter: UInt64, isLast: Bool) -> [UInt8] {
    var nonce = [UInt8](repeating: 0, count: AgeAEAD.nonceByteCount)
    for index in 0..<8 { nonce[10 - index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * index)) }
    nonce[11] = isLast ? 1 : 0
    return nonce
  }

  static let zeroNonce = [UInt8](repeating: 0, count: AgeAEAD.nonceByteCount)

  /// The header MAC of `authenticatedBytes` under `fileKey`.
  static func headerMAC(fileKey: borrowing AgeSecretBytes, authenticatedBytes: [UInt8]) -> [UInt8] {
    let macKey = AgeHMAC.deriveKey(ikm: fileKey, salt: [], info: "header")
    return AgeHMAC.mac(key: macKey, message: authenticatedBytes)
  }
}

/// Encrypts a stream to age v1: to X25519 recipients, or to a passphrase (scrypt).
///
/// The header is written when the encryptor is made; `write` buffers up to one 64 KiB chunk, so that only the
/// chunk given to `finish()` carries the last-chunk flag. Nothing is complete until `finish()` returns.
public final class AgeEncryptor {
  /// The scrypt work factor (log2 N) age itself uses by default.
  public static let defaultWorkFactor = 18

  private let output: any AgeOutput
  private let payloadKey: AgeSecretBytes
  private var buffer: [UInt8] = []
  private var counter: UInt64 = 0
  private var finished = false
  private var ciphertext: [UInt8] = []

  /// Starts a file that any one of `recipients` can open.
  ///
  /// - Throws: `recipientsInvalid` when the list is empty; `fileSystem` when writing the header fails.
  public convenience init(recipients: [AgeRecipient], output: any AgeOutput) throws(AgeError) {
    guard !recipients.isEmpty else {
      throw AgeError(.recipientsInvalid, "An age file needs at least one recipient.")
    }
    let fileKey = AgeSecretBytes(randomByteCount: AgePayload.fileKeyByteCount)
    var stanzas: [AgeStanza] = []
    for recipient in recipients {
      let ephemeral = AgeSecretBytes(randomByteCount: AgeX25519.byteCount)
      let share = AgeX25519.publicKey(secret: ephemeral)
      guard let shared = AgeX25519.sharedSecret(secret: ephemeral, point: recipient.publicKey) else {
        throw AgeError(
          .keyInvalid, "The recipient \(recipient.encoded) is not a usable public key (a low-order point).",
          hint: "Ask the recipient for a key made with `age-keygen`.")
      }
      let wrapKey = AgeHMAC.deriveKey(ikm: shared, salt: share + recipient.publicKey, info: AgePayload.x25519Label)
      var body: [UInt8] = []
      fileKey.withUnsafeBytes {
        AgeAEAD.seal(key: wrapKey, nonce: AgePayload.zeroNonce, plaintext: $0, appendingTo: &body)
      }
      stanzas.append(
        AgeStanza(arguments: ["X25519", String(decoding: Base64.encode(share), as: UTF8.self)], body: body))
    }
    try self.init(fileKey: fileKey, stanzas: stanzas, output: output)
  }

  /// Starts a file that opens with `passphrase`, derived with scrypt at 2^`workFactor` (age's default is 18).
  ///
  /// - Throws: `limitExceeded` for a work factor outside 1...22; `fileSystem` when writing the header fails.
  public convenience init(
    passphrase: borrowing AgeSecretBytes, workFactor: Int = AgeEncryptor.defaultWorkFactor, output: any AgeOutput
  ) throws(AgeError) {
    guard (1...AgeDecryptor.defaultMaximumWorkFactor).contains(workFactor) else {
      throw AgeError(.limitExceeded, "The scrypt work factor \(workFactor) is outside 1…22.")
    }
    let fileKey = AgeSecretBytes(randomByteCount: AgePayload.fileKeyByteCount)
    let salt = AgeSodium.randomBytes(16)
    guard
      let wrapKey = AgeScrypt.deriveKey(
        passphrase: passphrase, salt: Array(AgePayload.scryptLabel.utf8) + salt, logN: workFactor)
    else {
      throw AgeError(.limitExceeded, "There is not enough memory to derive the key from the passphrase.")
    }
    var body: [UInt8] = []
    fileKey.withUnsafeBytes {
      AgeAEAD.seal(key: wrapKey, nonce: AgePayload.zeroNonce, plaintext: $0, appendingTo: &body)
    }
    let stanza = AgeStanza(
      arguments: ["scrypt", String(decoding: Base64.encode(salt), as: UTF8.self), String(workFactor)], body: body)
    try self.init(fileKey: fileKey, stanzas: [stanza], output: output)
  }

  private init(fileKey: consuming AgeSecretBytes, stanzas: [AgeStanza], output: any AgeOutput) throws(AgeError) {
    self.output = output
    var header = AgeHeader.encodeWithoutMAC(stanzas)
    let mac = AgePayload.headerMAC(fileKey: fileKey, authenticatedBytes: header)
    header += Array(" ".utf8) + Base64.encode(mac) + [0x0A]
    let nonce = AgeSodium.randomBytes(AgePayload.nonceByteCount)
    payloadKey = AgeHMAC.deriveKey(ikm: fileKey, salt: nonce, info: "payload")
    buffer.reserveCapacity(AgePayload.chunkByteCount)
    ciphertext.reserveCapacity(AgePayload.encryptedChunkByteCount)
    header += nonce
    try output.write(header)
  }

  deinit {
    AgeSodium.wipe(&buffer)
  }

  /// Adds `bytes` to the file.
  public func write(_ bytes: UnsafeRawBufferPointer) throws(AgeError) {
    precondition(!finished, "AgeEncryptor.write after finish()")
    var offset = 0
    while offset < bytes.count {
      if buffer.count == AgePayload.chunkByteCount {
        // More data follows, so the buffered chunk is not the last one.
        try sealBuffer(isLast: false)
      }
      let taken = min(AgePayload.chunkByteCount - buffer.count, bytes.count - offset)
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + taken)]))
      offset += taken
    }
  }

  /// Adds `bytes` to the file.
  public func write(_ bytes: [UInt8]) throws(AgeError) {
    var failure: AgeError?
    bytes.withUnsafeBytes { buffer in
      do throws(AgeError) { try write(buffer) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Seals the last chunk. The file is a valid age file only once this returns.
  public func finish() throws(AgeError) {
    precondition(!finished, "AgeEncryptor.finish() called twice")
    try sealBuffer(isLast: true)
    finished = true
  }

  private func sealBuffer(isLast: Bool) throws(AgeError) {
    ciphertext.removeAll(keepingCapacity: true)
    let nonce = AgePayload.chunkNonce(counter: counter, isLast: isLast)
    buffer.withUnsafeBytes { AgeAEAD.seal(key: payloadKey, nonce: nonce, plaintext: $0, appendingTo: &ciphertext) }
    AgeSodium.wipe(&buffer)
    buffer.removeAll(keepingCapacity: true)
    counter += 1
    try output.write(ciphertext)
  }
}

extension AgeEncryptor {
  /// Encrypts `plaintext` in memory to `recipients` (small files and tests).
  public static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient]) throws(AgeError) -> [UInt8] {
    let output = AgeMemoryOutput()
    let encryptor = try AgeEncryptor(recipients: recipients, output: output)
    try encryptor.write(plaintext)
    try encryptor.finish()
    return output.bytes
  }

  /// The ASCII-armored form of a binary age file.
  public static func armor(_ binary: [UInt8]) -> [UInt8] { AgeArmor.encode(binary) }
}
