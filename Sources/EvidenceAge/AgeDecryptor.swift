/// Decrypts an age v1 file one authenticated chunk at a time.
///
/// Making a decryptor reads and checks the header (and removes the ASCII armor, if any). `unlock` finds the file
/// key with identities or a passphrase and checks the header MAC. `nextChunk()` then releases plaintext only after
/// its chunk authenticated, and returns nil only once the final chunk authenticated: a caller that writes the
/// chunks somewhere must treat what it wrote as incomplete until then.
public final class AgeDecryptor {
  /// The highest scrypt work factor (log2 N) accepted by default: 2^22 × 1 KiB = 4 GiB of memory at most… in theory;
  /// in practice scrypt with r = 8 uses 128 × r × N bytes = 4 GiB at 22. age itself caps at 22 too.
  public static let defaultMaximumWorkFactor = 22

  /// How the input is encoded.
  public enum Encoding: Sendable {
    /// Armored if it starts (after whitespace) with `-----`, binary otherwise.
    case detect
    case binary
    case armored
  }

  private let reader: AgeByteReader
  private let header: AgeHeader
  private let nonce: [UInt8]
  /// The payload key, once `unlock` found the file key and the header authenticated.
  private var payloadKey: PayloadKey?
  private var counter: UInt64 = 0
  private var finished = false

  /// Whether the file is protected by a passphrase (then `unlock(passphrase:)` opens it), not by identities.
  public var isPassphraseProtected: Bool { header.isPassphraseProtected }

  /// Reads and checks the header of the age file in `input`.
  ///
  /// - Throws: `headerInvalid`, `armorInvalid`, `limitExceeded`, `fileSystem`.
  public init(input: any AgeInput, encoding: Encoding = .detect) throws(AgeError) {
    var reader = AgeByteReader(input)
    var armored = encoding == .armored
    if encoding == .detect {
      armored = AgeArmor.looksArmored(try reader.peek(upTo: 1024))
    }
    if armored {
      let tooLarge = AgeError(
        .limitExceeded, "The armored age file is larger than the \(AgeArmor.maximumByteCount) bytes read in memory.",
        hint: "Ask the sender for the binary (unarmored) age file instead.")
      let text = try reader.readAll(limit: AgeArmor.maximumByteCount, tooLarge: tooLarge)
      reader = AgeByteReader(AgeMemoryInput(try AgeArmor.decode(text)))
    }
    self.reader = reader
    header = try AgeHeader.read(from: reader)
    try Self.checkKnownStanzas(header.stanzas)
    nonce = try reader.read(upTo: AgePayload.nonceByteCount)
    guard nonce.count == AgePayload.nonceByteCount else {
      throw AgeError.header("the file ends before the payload's nonce")
    }
  }

  /// The rules of age.md for the stanza types this program knows, applied whatever opens the file.
  private static func checkKnownStanzas(_ stanzas: [AgeStanza]) throws(AgeError) {
    for stanza in stanzas {
      switch stanza.type {
      case "X25519":
        guard stanza.arguments.count == 2, let share = Base64.decodeUnpadded(Array(stanza.arguments[1].utf8)),
          share.count == AgeX25519.byteCount
        else { throw AgeError.header("an X25519 stanza does not have exactly one 32-byte share") }
        guard stanza.body.count == AgePayload.fileKeyByteCount + AgeAEAD.tagByteCount else {
          throw AgeError.header("an X25519 stanza's body is not a 16-byte wrapped file key")
        }
      case "scrypt":
        guard stanzas.count == 1 else {
          throw AgeError.header("a passphrase (scrypt) stanza is not alone in the header, as age requires")
        }
        guard stanza.arguments.count == 3, let salt = Base64.decodeUnpadded(Array(stanza.arguments[1].utf8)),
          salt.count == 16
        else { throw AgeError.header("the scrypt stanza does not have a 16-byte salt and a work factor") }
        guard workFactor(stanza.arguments[2]) != nil else {
          throw AgeError.header("the scrypt work factor is not a plain decimal number")
        }
        guard stanza.body.count == AgePayload.fileKeyByteCount + AgeAEAD.tagByteCount else {
          throw AgeError.header("the scrypt stanza's body is not a 16-byte wrapped file key")
        }
      default:
        continue  // Unknown types are ignored, as the spec requires (they may be for someone else's program).
      }
    }
  }

  /// `^[1-9][0-9]*$`, at most two digits (nothing larger is meaningful; larger is refused as a cap anyway).
  private static func workFactor(_ text: String) -> Int? {
    let digits = Array(text.utf8)
    guard (1...2).contains(digits.count), digits[0] != UInt8(ascii: "0"),
      digits.allSatisfy({ (48...57).contains($0) })
    else { return nil }
    return Int(text)
  }

  /// Opens the file with the first of `identities` that unwraps a stanza.
  ///
  /// - Throws: `noMatchingIdentity` when none does; `headerInvalid` for a stanza that is malformed for its type
  ///   (or a low-order share); `headerAuthenticationFailed` when the header MAC does not verify.
  public func unlock(identities: [AgeIdentity]) throws(AgeError) {
    precondition(payloadKey == nil, "AgeDecryptor is already unlocked")
    if isPassphraseProtected {
      throw AgeError(
        .noMatchingIdentity, "This age file is protected by a passphrase, not by a key.",
        hint: "Give the passphrase instead of an identity file.")
    }
    for stanza in header.stanzas where stanza.type == "X25519" {
      guard let share = Base64.decodeUnpadded(Array(stanza.arguments[1].utf8)) else { continue }
      for identity in identities {
        guard let shared = AgeX25519.sharedSecret(secret: identity.secretKey, point: share) else {
          throw AgeError.header("an X25519 stanza has a share that gives no shared secret (a low-order point)")
        }
        let wrapKey = AgeHMAC.deriveKey(
          ikm: shared, salt: share + identity.recipient.publicKey, info: AgePayload.x25519Label)
        if let fileKey = Self.unwrap(stanza.body, with: wrapKey) {
          try authenticate(fileKey: fileKey)
          return
        }
      }
    }
    throw AgeError(
      .noMatchingIdentity, "None of the identities given can open this age file.",
      hint: "It was encrypted to someone else's key; check that you gave the right identity file.")
  }

  /// Opens a passphrase-protected file.
  ///
  /// - Throws: `limitExceeded` when the file asks for a work factor above `maximumWorkFactor` (checked before any
  ///   work); `noMatchingIdentity` for a wrong passphrase or a file without a passphrase; `headerAuthenticationFailed`.
  public func unlock(
    passphrase: borrowing AgeSecretBytes, maximumWorkFactor: Int = AgeDecryptor.defaultMaximumWorkFactor
  ) throws(AgeError) {
    precondition(payloadKey == nil, "AgeDecryptor is already unlocked")
    guard let stanza = header.stanzas.first, stanza.type == "scrypt",
      let salt = Base64.decodeUnpadded(Array(stanza.arguments[1].utf8)),
      let logN = Self.workFactor(stanza.arguments[2])
    else {
      throw AgeError(
        .noMatchingIdentity, "This age file is not protected by a passphrase; it was encrypted to keys.",
        hint: "Give the identity file (--identity) of the recipient it was encrypted to.")
    }
    guard logN <= maximumWorkFactor else {
      throw AgeError(
        .limitExceeded,
        "The file asks for a passphrase work factor of 2^\(logN), above the 2^\(maximumWorkFactor) this program allows.",
        hint: "This would take minutes and gigabytes of memory; ask the sender to encrypt with a standard age program.")
    }
    guard
      let wrapKey = AgeScrypt.deriveKey(
        passphrase: passphrase, salt: Array(AgePayload.scryptLabel.utf8) + salt, logN: logN)
    else {
      throw AgeError(.limitExceeded, "There is not enough memory to derive the key from the passphrase.")
    }
    guard let fileKey = Self.unwrap(stanza.body, with: wrapKey) else {
      throw AgeError(
        .noMatchingIdentity, "The passphrase does not open this age file.",
        hint: "Check the passphrase (it is case-sensitive) and try again.")
    }
    try authenticate(fileKey: fileKey)
  }

  private static func unwrap(_ body: [UInt8], with wrapKey: borrowing AgeSecretBytes) -> AgeSecretBytes? {
    guard body.count == AgePayload.fileKeyByteCount + AgeAEAD.tagByteCount else { return nil }
    let fileKey = AgeSecretBytes(zeroedByteCount: AgePayload.fileKeyByteCount)
    let opened = body.withUnsafeBytes { bodyBytes in
      fileKey.withUnsafeMutableBytes {
        AgeAEAD.open(key: wrapKey, nonce: AgePayload.zeroNonce, ciphertext: bodyBytes, into: $0)
      }
    }
    guard opened else { return nil }
    return fileKey
  }

  private func authenticate(fileKey: borrowing AgeSecretBytes) throws(AgeError) {
    let expected = AgePayload.headerMAC(fileKey: fileKey, authenticatedBytes: header.authenticatedBytes)
    guard AgeSodium.constantTimeEqual(expected, header.mac) else { throw AgeError.headerMACMismatch }
    payloadKey = PayloadKey(key: AgeHMAC.deriveKey(ikm: fileKey, salt: nonce, info: "payload"))
  }

  /// The plaintext of the next chunk, released only after it authenticated; nil once the final chunk authenticated.
  ///
  /// - Throws: `payloadInvalid` for a damaged, truncated or extended payload; `fileSystem` when reading fails.
  public func nextChunk() throws(AgeError) -> [UInt8]? {
    guard let payloadKey else { preconditionFailure("AgeDecryptor.nextChunk() before unlock") }
    if finished { return nil }
    // One byte of look-ahead tells whether this chunk is the last one.
    let (ciphertext, more) = try reader.read(upTo: AgePayload.encryptedChunkByteCount, lookingAhead: true)
    let isLast = !more
    if ciphertext.isEmpty {
      throw AgeError.payload(counter == 0 ? "there is no encrypted content after the header" : "it ends early")
    }
    guard ciphertext.count >= AgeAEAD.tagByteCount else { throw AgeError.payload("the last chunk is cut short") }
    if isLast, ciphertext.count == AgeAEAD.tagByteCount, counter > 0 {
      throw AgeError.payload("the final chunk is empty, which only an empty file may have")
    }
    var plaintext = [UInt8](repeating: 0, count: ciphertext.count - AgeAEAD.tagByteCount)
    let nonce = AgePayload.chunkNonce(counter: counter, isLast: isLast)
    let opened = ciphertext.withUnsafeBytes { cipherBytes in
      plaintext.withUnsafeMutableBytes {
        AgeAEAD.open(key: payloadKey.key, nonce: nonce, ciphertext: cipherBytes, into: $0)
      }
    }
    guard opened else {
      throw AgeError.payload(
        isLast ? "the file is cut short or its last chunk was altered" : "chunk \(counter + 1) does not authenticate")
    }
    counter += 1
    finished = isLast
    return plaintext
  }

  /// Decrypts the rest of the file into `output`. What was written is complete only when this returns normally.
  public func decrypt(to output: any AgeOutput) throws(AgeError) {
    while var chunk = try nextChunk() {
      try output.write(chunk)
      AgeSodium.wipe(&chunk)
    }
  }
}

extension AgeDecryptor {
  /// Decrypts a whole file in memory with `identities` (small files and tests).
  public static func decrypt(_ file: [UInt8], identities: [AgeIdentity]) throws(AgeError) -> [UInt8] {
    let decryptor = try AgeDecryptor(input: AgeMemoryInput(file))
    try decryptor.unlock(identities: identities)
    let output = AgeMemoryOutput()
    try decryptor.decrypt(to: output)
    return output.bytes
  }
}

/// A class around the payload key, so that an optional of it can be read without being consumed.
private final class PayloadKey {
  let key: AgeSecretBytes
  init(key: consuming AgeSecretBytes) { self.key = key }
}
